import {
  describeCommand,
  type JournalEntry,
  NonDeterminismError,
  type StepContext,
  type Workflow,
} from "@durable/core";
import { sourcePosition } from "./caller-location.js";
import { describeValue } from "./format-journal.js";
import { compareRuns } from "./replay-checks.js";
import { type Simulation, simulate } from "./simulate-run.js";
import { type BodyCall, watchWorkflowBody } from "./simulated-process.js";
import { StepWorld } from "./step-world.js";

/** Options of `assertDeterministic`. */
export interface DeterminismOptions {
  /** Other workflows the worker must know (children). */
  // biome-ignore lint/suspicious/noExplicitAny: workflows of any input and output
  workflows?: readonly Workflow<any, any>[];
  /** Doubles for steps and decisions, by name. */
  steps?: Readonly<Record<string, (step: StepContext) => unknown>>;
}

/** A nondeterministic call in a workflow body, where it is, and what to use instead. */
export interface NondeterministicCall {
  api: BodyCall["api"];
  location: string;
  instead: string;
}

/** What `assertDeterministic` found. */
export interface DeterminismReport {
  ok: boolean;
  workflow: string;
  /** `Date.now()`, `new Date()`, `Math.random()` and `setTimeout` used in the body outside ctx. */
  calls: NondeterministicCall[];
  /** How the two runs differ: journal entries seq by seq, status, output. */
  differences: string[];
  journals: [JournalEntry[], JournalEntry[]];
}

const INSTEAD: Record<BodyCall["api"], string> = {
  "Date.now()": "ctx.now()",
  "new Date()": "ctx.now()",
  "Math.random()": "ctx.random()",
  setTimeout: 'ctx.sleep("…")',
};
const DAY_MS = 86_400_000;

/**
 * Runs the workflow twice with the same input, under wall clocks 400 days apart and mirrored `Math.random`
 * streams (a draw `x` in the first run is `1 - x` in the second; steps answer alike in both runs), and reports every `Date.now()`, `new Date()`,
 * `Math.random()` or `setTimeout` the body uses outside ctx, with its source line (from core's determinism
 * guard and from its own watch), and any difference between the two journals. Never throws for findings.
 * @example
 * const report = await checkDeterminism(onboarding, { userId: "u1" });
 * for (const call of report.calls) console.log(`${call.api} at ${call.location}: use ${call.instead}`);
 */
export async function checkDeterminism<I, O>(
  wf: Workflow<I, O>,
  input: I,
  options: DeterminismOptions = {},
): Promise<DeterminismReport> {
  const calls = new Map<string, NondeterministicCall>();
  const note = (api: BodyCall["api"], location: string) => {
    const key = `${api}@${sourcePosition(location)}`;
    if (!calls.has(key)) calls.set(key, { api, location: sourcePosition(location), instead: INSTEAD[api] });
  };
  const watched = watchWorkflowBody(wf, (call) => note(call.api, call.location));
  const world = new StepWorld();
  const run = (seed: number, clockOffsetMs: number, mirrorRandom: boolean) =>
    simulate({
      workflows: [watched, ...(options.workflows ?? [])],
      workflow: watched,
      input,
      runId: `deterministic:${wf.name}`,
      mode: { type: "uninterrupted" },
      processes: [{ seed, clockOffsetMs, mirrorRandom }],
      world,
      recordWorld: !mirrorRandom,
      failFirstAttempt: new Set(),
      stepMocks: new Map(Object.entries(options.steps ?? {})),
      determinismGuard: true,
    });
  // The second run draws the mirror image of the first one's random numbers: every threshold tips over.
  const first = await run(1, 0, false);
  const second = await run(1, 400 * DAY_MS + 12_345, true);
  for (const record of [...first.logs, ...second.logs]) {
    const { api, location } = record.fields;
    if (typeof location === "string" && typeof api === "string" && api in INSTEAD) {
      note(api as BodyCall["api"], location);
    }
  }
  const differences = [
    ...journalDifferences(first.journal, second.journal),
    ...endDifferences(first, second),
  ];
  return {
    ok: calls.size === 0 && differences.length === 0,
    workflow: wf.name,
    calls: [...calls.values()],
    differences,
    journals: [first.journal, second.journal],
  };
}

/**
 * `checkDeterminism`, throwing `NonDeterminismError` with every finding when there is any.
 * @example
 * await assertDeterministic(onboarding, { userId: "u1" });
 * // NonDeterminismError: workflow "onboarding" is not deterministic:
 * //   Math.random() in its body at src/onboarding.ts:14:22; use ctx.random(), or move it into a step
 */
export async function assertDeterministic<I, O>(
  wf: Workflow<I, O>,
  input: I,
  options: DeterminismOptions = {},
): Promise<DeterminismReport> {
  const report = await checkDeterminism(wf, input, options);
  if (report.ok) return report;
  throw new NonDeterminismError(`deterministic:${wf.name}`, { message: formatDeterminismReport(report) });
}

/**
 * A determinism report as text.
 * @example
 * console.log(formatDeterminismReport(await checkDeterminism(onboarding, input)));
 */
export function formatDeterminismReport(report: DeterminismReport): string {
  if (report.ok)
    return `workflow "${report.workflow}" ran alike under two wall clocks and Math.random streams`;
  const lines = [
    `workflow "${report.workflow}" is not deterministic (two runs with one input, under wall clocks 400 days apart and mirrored Math.random draws):`,
  ];
  for (const call of report.calls) {
    lines.push(`  ${call.api} in its body at ${call.location}; use ${call.instead}, or move it into a step`);
  }
  for (const difference of report.differences) lines.push(`  ${difference}`);
  return lines.join("\n");
}

function journalDifferences(a: readonly JournalEntry[], b: readonly JournalEntry[]): string[] {
  const bySeq = (journal: readonly JournalEntry[]) => new Map(journal.map((e) => [e.seq, e]));
  const left = bySeq(a);
  const right = bySeq(b);
  const seqs = [...new Set([...left.keys(), ...right.keys()])].sort((x, y) => x - y);
  const differences: string[] = [];
  for (const seq of seqs) {
    const x = describeEntry(left.get(seq));
    const y = describeEntry(right.get(seq));
    if (x !== y) differences.push(`the journals differ at seq ${seq}: first run ${x}, second run ${y}`);
  }
  return differences;
}

function describeEntry(entry: JournalEntry | undefined): string {
  if (!entry) return "nothing";
  const value =
    entry.outcome === "error" ? `✗ ${entry.error.message}` : `→ ${describeValue(entry.result.json)}`;
  return `${describeCommand(entry)} ${value}`;
}

function endDifferences(first: Simulation, second: Simulation): string[] {
  // Step paths are compared entry by entry above; this adds status and output.
  return compareRuns(first, second, "in the first run", "in the second run").filter(
    (d) => !d.startsWith("the steps differ"),
  );
}
