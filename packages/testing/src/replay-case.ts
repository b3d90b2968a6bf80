import { describeCommand } from "@durable/core";
import { describeValue, formatJournal } from "./format-journal.js";
import { byChain, describeSeq } from "./run-chain.js";
import {
  CRASH_LEASE_MS,
  isMessage,
  type SimulatedEvent,
  type SimulatedMessage,
  type Simulation,
} from "./simulate-run.js";
import type { ProcessIdentity } from "./simulated-process.js";

/** One generated case of `replayProperty`. */
export interface ReplayCase<I> {
  input: I;
  /** Raw crash points, taken modulo the number of journal entries + 1. */
  crashAt: number[];
  /** Seqs whose first attempt fails transiently. */
  failFirstAttempt: number[];
  /** The process that starts the run, and the ones that resume it after each crash. */
  original: ProcessIdentity;
  resumed: ProcessIdentity[];
  /** Values drawn for steps doubled by an arbitrary. */
  stepValues: Record<string, unknown[]>;
  /** Events (or other messages) sent, one at each pause of the run. */
  events: readonly (SimulatedEvent | SimulatedMessage)[];
}

/**
 * The report of a failing case: input, crash points, problems, and the journals with and without the crash.
 * @example
 * throw new Error(describeReplayCase(c, { points, reference, uninterrupted, crashed, problems }));
 */
export function describeReplayCase<I>(
  c: ReplayCase<I>,
  runs: {
    points: readonly number[];
    reference: Simulation;
    uninterrupted: Simulation;
    crashed: Simulation;
    problems: readonly string[];
  },
): string {
  const { crashed, uninterrupted, reference } = runs;
  const total = reference.journal.length;
  const byOrder = [...crashed.journal].sort(byChain("order"));
  const deaths = runs.points.slice(0, Math.max(0, crashed.processes.length - 1)).map((point, i) => {
    const last = byOrder[point - 1];
    const after = last
      ? `after journal entry ${point} of ${total} (${describeSeq(last)} ${describeCommand(last)})`
      : "before its first journal entry";
    const next = c.resumed[i];
    const days = Math.round((next?.clockOffsetMs ?? 0) / 86_400_000);
    return `process ${i + 1} died ${after}; process ${i + 2} (another Math.random seed, a wall clock ${days} days ahead) resumed the run when the lease expired ${CRASH_LEASE_MS / 1000}s later`;
  });
  const lines = [
    `input: ${describeValue(c.input)}`,
    `crash: ${deaths.length > 0 ? deaths.join("; ") : "none (the run ended before the crash point)"}`,
  ];
  if (c.failFirstAttempt.length > 0) {
    lines.push(
      `transient failures: the first attempt of the steps at seq ${c.failFirstAttempt.join(", ")} failed`,
    );
  }
  if (Object.keys(c.stepValues).length > 0) lines.push(`step values: ${describeValue(c.stepValues)}`);
  if (c.events.length > 0) {
    const sent = c.events
      .map((e) => (isMessage(e) ? e.name : `${e.name} ${describeValue(e.payload)}`))
      .join(", then ");
    lines.push(`events, one at each pause of the run: ${sent}`);
  }
  lines.push("problems:", ...runs.problems.map((p) => `  - ${p}`));
  lines.push("journal after the crash:", formatJournal(crashed.journal));
  lines.push("journal without the crash:", formatJournal(uninterrupted.journal));
  const warnings = crashed.logs.filter(
    (r) =>
      r.level === "warn" &&
      !/simulated crash/.test(describeValue(r.fields)) &&
      !runs.problems.some((p) => r.msg !== undefined && p.includes(r.msg)),
  );
  if (warnings.length > 0) lines.push("worker warnings:", ...warnings.slice(0, 5).map((r) => `  ${r.msg}`));
  return lines.join("\n");
}
