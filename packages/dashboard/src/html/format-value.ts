import { decode, type Encoded } from "@durable/core";

/**
 * A decoded payload as plain JSON data: Dates become ISO strings, BigInts `"12n"`, Maps objects (or
 * `[key, value]` pairs when a key is not a string), Sets arrays, errors `{ name, message }`, `undefined`
 * in objects is dropped. For the JSON API and for showing values.
 * @example
 * toJsonValue(new Map([["a", new Date(0)]])); // { a: "1970-01-01T00:00:00.000Z" }
 */
export function toJsonValue(value: unknown, seen: Set<object> = new Set()): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "undefined" || typeof value === "function" || typeof value === "symbol") {
    return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (value instanceof Map) {
      const entries = [...value.entries()];
      return entries.every(([k]) => typeof k === "string")
        ? Object.fromEntries(entries.map(([k, v]) => [k, toJsonValue(v, seen)]))
        : entries.map(([k, v]) => [toJsonValue(k, seen), toJsonValue(v, seen)]);
    }
    if (value instanceof Set) return [...value].map((v) => toJsonValue(v, seen));
    if (Array.isArray(value)) return value.map((v) => toJsonValue(v, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = toJsonValue(v, seen);
      if (converted !== undefined) out[k] = converted;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * A value as readable text: pretty JSON (see `toJsonValue`), `undefined` as the word.
 * @example
 * formatValue({ ok: true }, 0); // '{"ok":true}'
 */
export function formatValue(value: unknown, indent = 2): string {
  const json = toJsonValue(value);
  if (json === undefined) return "undefined";
  return JSON.stringify(json, null, indent) ?? "undefined";
}

/**
 * A value on one line, cut to `max` characters with an ellipsis.
 * @example
 * formatValueShort("a".repeat(100), 10); // '"aaaaaaaa…'
 */
export function formatValueShort(value: unknown, max = 80): string {
  const text = formatValue(value, 0);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A stored payload decoded, or a note saying why it cannot be read by this version. */
export type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Decodes a stored payload without throwing: an unreadable value must not take the page down.
 * @example
 * const d = safeDecode(entry.result); if (d.ok) show(d.value);
 */
export function safeDecode(encoded: Encoded): Decoded {
  try {
    return { ok: true, value: decode(encoded) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
