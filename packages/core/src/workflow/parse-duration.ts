import { ValidationError } from "./errors.js";

/** A duration: `"90d"`, `"1h30m"`, `"1.5h"`, `"250ms"`, `"0s"`, or a non-negative number of milliseconds. */
export type Duration = string | number;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

/**
 * Parses a duration into milliseconds, or throws a `ValidationError` that names `field`.
 * @example
 * parseDuration("1h30m"); // 5_400_000
 * parseDuration(250);     // 250
 */
export function parseDuration(value: Duration, field = "duration"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw invalid(field, value, "a number of milliseconds must be finite and not negative");
    }
    return value;
  }
  if (typeof value !== "string" || value.length === 0) {
    throw invalid(field, value, 'expected a string like "90d", "1h30m", "250ms" or a number of milliseconds');
  }
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < value.length) {
    const start = PART.lastIndex;
    const match = PART.exec(value);
    if (match === null) {
      throw invalid(
        field,
        value,
        `unexpected "${value.slice(start)}"; use <number><unit> parts with units ms s m h d w, like "1h30m"`,
      );
    }
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  if (!Number.isFinite(total)) throw invalid(field, value, "the duration is too large");
  return Math.round(total);
}

/**
 * Formats milliseconds as a compact duration (`5400000` → `"1h30m"`), for messages and tables.
 * @example
 * formatDuration(90 * 86_400_000); // "90d"
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  const parts: string[] = [];
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = UNIT_MS[unit] as number;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  return parts.join("");
}

function invalid(field: string, value: unknown, why: string): ValidationError {
  const shown = typeof value === "string" ? `"${value}"` : String(value);
  return new ValidationError(`${field}: ${shown} is not a duration: ${why}`, [{ path: field, message: why }]);
}
