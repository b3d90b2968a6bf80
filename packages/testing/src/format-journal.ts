import { decode, type JournalEntry } from "@durable/core";
import { alignColumns } from "./replay-diff.js";
import { byChain } from "./run-chain.js";

const WIDTH = 60;

/**
 * A journal as a table a person can read: seq, kind, name, outcome, the value (or error) and attempts; with
 * a run column first when the entries come from several runs (a continue-as-new chain).
 * @example
 * console.log(formatJournal(await env.journal(run.id)));
 * //   seq  kind   name        outcome  value                attempts
 * //   0    call   fetch-user  ok       {"id":"u1"}          1
 */
export function formatJournal(entries: readonly JournalEntry[], indent = "  "): string {
  const runs = new Set(entries.map((e) => e.runId)).size > 1;
  const rows = [[...(runs ? ["run"] : []), "seq", "kind", "name", "outcome", "value", "attempts"]];
  for (const entry of [...entries].sort(byChain("seq"))) {
    const value = entry.outcome === "ok" ? preview(entry) : `${entry.error.name}: ${entry.error.message}`;
    rows.push([
      ...(runs ? [entry.runId] : []),
      String(entry.seq),
      entry.kind,
      entry.name,
      entry.outcome,
      clip(value),
      String(entry.attempts),
    ]);
  }
  if (entries.length === 0) return `${indent}(empty)`;
  return alignColumns(rows)
    .map((line) => indent + line)
    .join("\n");
}

/**
 * A value as short readable text (JSON where it can be, with Dates as ISO strings).
 * @example
 * describeValue({ at: new Date(0) }); // '{"at":"1970-01-01T00:00:00.000Z"}'
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value)
    );
  } catch {
    return String(value);
  }
}

function preview(entry: JournalEntry & { outcome: "ok" }): string {
  try {
    return describeValue(decode(entry.result));
  } catch {
    return describeValue(entry.result);
  }
}

function clip(text: string): string {
  return text.length > WIDTH ? `${text.slice(0, WIDTH - 1)}…` : text;
}
