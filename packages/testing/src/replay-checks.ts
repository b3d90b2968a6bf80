import { isDeepStrictEqual } from "node:util";
import { describeCommand, type JournalEntry } from "@durable/core";
import { describeValue } from "./format-journal.js";
import { byChain, describeSeq, stepKey } from "./run-chain.js";
import type { Simulation } from "./simulate-run.js";

/**
 * Why a run did not finish normally, if it did not: blocked by non-determinism, or stuck. `when` says
 * which run (e.g. "without any crash").
 * @example
 * const problem = abnormalEnd(reference, "without any crash");
 */
export function abnormalEnd(sim: Simulation, when: string): string | undefined {
  if (sim.status === "blocked")
    return `${when}, the run is blocked by non-determinism: ${sim.error?.message}`;
  if (sim.status === "stuck") return `${when}, the run never finishes: ${sim.stuck}`;
  return undefined;
}

/**
 * How the run that crashed and resumed (`actual`) ended differently from `expected`: status, output, error,
 * or the steps it took. Empty when they agree.
 * @example
 * const differences = compareRuns(uninterrupted, crashed, "without the crash", "after the crash");
 */
export function compareRuns(
  expected: Simulation,
  actual: Simulation,
  expectedIs: string,
  actualIs: string,
): string[] {
  const problems: string[] = [];
  if (actual.status !== expected.status) {
    problems.push(`${actualIs}, the run ended ${actual.status}; ${expectedIs} it ended ${expected.status}`);
  } else if (!isDeepStrictEqual(actual.output, expected.output)) {
    problems.push(
      `${actualIs}, the run returned ${describeValue(actual.output)}; ${expectedIs} it returned ${describeValue(expected.output)}`,
    );
  } else if (
    actual.error?.name !== expected.error?.name ||
    actual.error?.message !== expected.error?.message
  ) {
    problems.push(
      `${actualIs}, the run failed with ${actual.error?.name}: ${actual.error?.message}; ${expectedIs} with ${expected.error?.name}: ${expected.error?.message}`,
    );
  }
  const path = firstStepDifference(expected.journal, actual.journal, expectedIs, actualIs);
  if (path) problems.push(path);
  return problems;
}

/**
 * True when two journals record the same commands with the same results, whatever their times: a crash
 * legitimately moves time (a lost retry restarts, the lease takes a while to expire), nothing else.
 * @example
 * sameButForTime(control.journal, uninterrupted.journal);
 */
export function sameButForTime(a: readonly JournalEntry[], b: readonly JournalEntry[]): boolean {
  const shape = (journal: readonly JournalEntry[]) =>
    [...journal]
      .sort(byChain("seq"))
      .map((e) => `${stepKey(e)}|${e.kind}|${e.name}|${e.outcome}|${outcomeText(e, e.kind !== "sleep")}`);
  return isDeepStrictEqual(shape(a), shape(b));
}

function firstStepDifference(
  expected: readonly JournalEntry[],
  actual: readonly JournalEntry[],
  expectedIs: string,
  actualIs: string,
): string | undefined {
  const a = steps(expected);
  const b = steps(actual);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x && y && x.text === y.text) continue;
    return `the steps differ from ${x?.where ?? y?.where}: ${expectedIs} ${x ? x.text : "nothing more"}; ${actualIs} ${y ? y.text : "nothing more"}`;
  }
  return undefined;
}

function steps(journal: readonly JournalEntry[]) {
  return journal
    .filter((e) => e.kind === "call" || e.kind === "decide")
    .sort(byChain("seq"))
    .map((e) => ({
      where: describeSeq(e),
      text: `${describeSeq(e)} ${describeCommand(e)} ${outcomeText(e, true)}`,
    }));
}

function outcomeText(entry: JournalEntry, withValue: boolean): string {
  if (entry.outcome === "error") return `✗ ${entry.error.message}`;
  return withValue ? `→ ${JSON.stringify(entry.result.json)}` : "";
}

/**
 * Steps that did not run exactly once: without a crash every journaled step runs once; with crashes, a
 * step journaled before a process died never runs again, and no process runs a step twice.
 * @example
 * const problems = countProblems(uninterrupted, crashed);
 */
export function countProblems(uninterrupted: Simulation, crashed: Simulation): string[] {
  const problems: string[] = [];
  const once = uninterrupted.processes[0]?.successes ?? new Map<string, number>();
  for (const entry of uninterrupted.journal) {
    if ((entry.kind !== "call" && entry.kind !== "decide") || entry.outcome !== "ok") continue;
    const ran = once.get(stepKey(entry)) ?? 0;
    if (ran !== 1)
      problems.push(
        `without a crash, step ${describeSeq(entry)} ${describeCommand(entry)} ran ${ran} times, not once`,
      );
  }
  const named = new Map(crashed.journal.map((e) => [stepKey(e), `${describeSeq(e)} ${describeCommand(e)}`]));
  for (const [p, proc] of crashed.processes.entries()) {
    for (const [key, ran] of proc.successes) {
      const step = named.get(key) ?? key;
      if (p > 0 && proc.journaledBefore.has(key)) {
        problems.push(
          `step ${step} was journaled before process ${p} died, yet ran again in process ${p + 1}`,
        );
      } else if (ran > 1) {
        problems.push(`step ${step} ran ${ran} times in process ${p + 1}`);
      }
    }
  }
  return problems;
}
