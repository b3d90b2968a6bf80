import type { RunStatus } from "@durable/core";
import pc from "picocolors";

/** Colour functions: picocolors when writing to a terminal, identity when piped or `NO_COLOR` is set. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for a stream: on when it is a TTY and `NO_COLOR` is unset (or `FORCE_COLOR` is set).
 * @example
 * const c = colorsFor(process.stdout); c.green("completed");
 */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0";
  const enabled = forced || (stream.isTTY === true && process.env.NO_COLOR === undefined);
  return pc.createColors(enabled);
}

/**
 * A time in UTC to the millisecond, readable and sortable: `2030-01-01 09:00:00.000Z`.
 * @example
 * formatTime(new Date(0)); // "1970-01-01 00:00:00.000Z"
 */
export function formatTime(date: Date | undefined): string {
  return date === undefined ? "" : date.toISOString().replace("T", " ");
}

/**
 * A value as one line of JSON, cut to `max` characters.
 * @example
 * formatValue({ ok: true }); // '{"ok":true}'
 */
export function formatValue(value: unknown, max = 80): string {
  let text: string;
  if (value === undefined) text = "undefined";
  else {
    try {
      text = JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Text cut to at most `max` characters at a word boundary, with an ellipsis when cut. A single word longer
 * than `max` is cut inside it, as nothing else would fit.
 * @example
 * truncateWords("the carrier has no trucks today", 20); // "the carrier has no…"
 */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const boundary = /\s/.test(text.charAt(max - 1)) ? head.length : head.lastIndexOf(" ");
  const kept = boundary > 0 ? head.slice(0, boundary) : head;
  return `${kept.replace(/[\s,;:.-]+$/, "")}…`;
}

/**
 * A status in its colour: green done, red failed or blocked, yellow cancelled, cyan running.
 * @example
 * paintStatus("failed", colorsFor(process.stdout));
 */
export function paintStatus(status: RunStatus, c: Colors): string {
  switch (status) {
    case "completed":
      return c.green(status);
    case "failed":
    case "blocked":
      return c.red(status);
    case "cancelled":
      return c.yellow(status);
    case "running":
      return c.cyan(status);
    case "suspended":
      return c.blue(status);
    case "pending":
      return c.dim(status);
  }
}

/**
 * Tags as `k=v` pairs.
 * @example
 * formatTags({ customer: "c-9" }); // "customer=c-9"
 */
export function formatTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}
