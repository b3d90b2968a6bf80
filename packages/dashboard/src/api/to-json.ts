import type { JournalEntry, RunInfo } from "@durable/core";
import { safeDecode, toJsonValue } from "../html/format-value.js";

/**
 * A run as JSON: times as ISO strings, input and output as plain JSON data (see `toJsonValue`).
 * @example
 * c.json({ run: runJson(run) });
 */
export function runJson(run: RunInfo): Record<string, unknown> {
  return toJsonValue(run) as Record<string, unknown>;
}

/**
 * A journal entry as JSON: as stored (`result` is the encoded payload, as `durable show --json` prints
 * it), plus `value`, the decoded result as plain JSON data.
 * @example
 * c.json({ journal: journal.map(entryJson) });
 */
export function entryJson(entry: JournalEntry): Record<string, unknown> {
  const json = toJsonValue(entry) as Record<string, unknown>;
  if (entry.outcome === "ok") {
    const decoded = safeDecode(entry.result);
    if (decoded.ok) {
      const value = toJsonValue(decoded.value);
      if (value !== undefined) json.value = value;
    }
  }
  return json;
}
