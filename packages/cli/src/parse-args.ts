import { parseDuration } from "@durable/core";
import { InvalidArgumentError } from "commander";

/**
 * Parses a JSON argument for commander; bad JSON is a usage error naming the problem.
 * @example
 * parseJson('{"who":"ann"}'); // { who: "ann" }
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(
      `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Collects repeated `--tag k=v` into a record.
 * @example
 * parseTag("customer=c-9", {}); // { customer: "c-9" }
 */
export function parseTag(pair: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = pair.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError("expected key=value");
  return { ...previous, [pair.slice(0, at)]: pair.slice(at + 1) };
}

/**
 * A whole number within bounds.
 * @example
 * parseCount("20"); // 20
 */
export function parseCount(text: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new InvalidArgumentError(
      `expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ""}`,
    );
  }
  return value;
}

/**
 * A duration (`30s`, `1h30m`, `250ms`) in milliseconds.
 * @example
 * parseDurationArg("30s"); // 30000
 */
export function parseDurationArg(text: string): number {
  try {
    return parseDuration(/^\d+$/.test(text) ? Number(text) : text, "duration");
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** When a run starts: at a time, or after a delay. */
export type StartTime = { startAt: Date } | { delay: number };

/**
 * `--at`: an ISO time (`2030-01-01T09:00:00Z`) or a delay from now (`10m`).
 * @example
 * parseStartTime("10m"); // { delay: 600000 }
 */
export function parseStartTime(text: string): StartTime {
  try {
    return { delay: parseDuration(text, "at") };
  } catch {
    const ms = Date.parse(text);
    if (Number.isNaN(ms))
      throw new InvalidArgumentError("expected an ISO time (2030-01-01T09:00:00Z) or a delay (10m)");
    return { startAt: new Date(ms) };
  }
}
