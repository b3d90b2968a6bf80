import type { StatementTally } from "./statement-counter.js";
import { median } from "./stats.js";

/** Formats a number for the report: thousands grouped, `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** One figure: its median and every run's value, e.g. `5,812 (5,790 / 5,812 / 5,901)`. */
export function figure(values: readonly number[], digits = 0): string {
  return `${fmt(median(values), digits)}  (runs: ${values.map((v) => fmt(v, digits)).join(" / ")})`;
}

/** Whether a target holds, for the report. */
export function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

/** The statements of a tally by kind, most time first, with count per `unit` and mean latency. */
export function breakdown(tally: StatementTally, units: number, unit: string): string[] {
  return [...tally.byKind.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(
      ([kind, { count, ms }]) =>
        `    ${kind.padEnd(40)} ${fmt(count).padStart(7)}  ${fmt(count / units, 3).padStart(7)} per ${unit}  mean ${fmt(ms / count, 2)} ms`,
    );
}
