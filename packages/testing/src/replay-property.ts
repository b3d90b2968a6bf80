import type { StepContext, Workflow } from "@durable/core";
import fc from "fast-check";
import { describeReplayCase, type ReplayCase } from "./replay-case.js";
import { abnormalEnd, compareRuns, countProblems, sameButForTime } from "./replay-checks.js";
import {
  type SimulatedEvent,
  type SimulatedMessage,
  type Simulation,
  type SimulationOptions,
  simulate,
} from "./simulate-run.js";
import { StepWorld } from "./step-world.js";

/** A test double for a step: a function run instead of it, or an arbitrary its results are drawn from. */
export type StepDouble = ((step: StepContext) => unknown) | fc.Arbitrary<unknown>;

/** Options of `replayProperty`. */
export interface ReplayPropertyOptions<I> {
  /** Generates the workflow's input. */
  input: fc.Arbitrary<I>;
  /** Doubles for steps and decisions, by name; the others run for real (their answers are kept per case). */
  steps?: Readonly<Record<string, StepDouble>>;
  /** Cases to try (default 50); `DURABLE_PROPERTY_RUNS` raises it (a nightly job sets it high). */
  runs?: number;
  /** Other workflows the worker must know (children). */
  // biome-ignore lint/suspicious/noExplicitAny: workflows of any input and output
  workflows?: readonly Workflow<any, any>[];
  /** Crashes per case, at most (default 2). */
  maxCrashes?: number;
  /** Make the first attempt of some steps fail transiently (default true). */
  transientFailures?: boolean;
  /**
   * Events to send, in the order drawn: one each time the run pauses (suspended, nothing due), so that
   * fast-check explores events that come before, while and after the run waits for them. Any other
   * message (an update, a callback) goes in as a `SimulatedMessage`, sent through the client.
   */
  events?: fc.Arbitrary<readonly (SimulatedEvent | SimulatedMessage)[]>;
  /** Reproduce a failure: the seed and path it printed. */
  seed?: number;
  path?: string;
}

/** What a passing `replayProperty` exercised. */
export interface ReplayPropertyStats {
  runs: number;
  /** Simulated process deaths, in all. */
  crashes: number;
  /** Journal entries of the uninterrupted runs, in all. */
  entries: number;
  /** Step attempts that failed on purpose, in all. */
  injectedFailures: number;
}

/**
 * A case `replayProperty` found where a resumed run differs, shrunk to the smallest one fast-check could
 * find; its message shows the input, the crash points and the journals, `seed` and `path` reproduce it.
 * @example
 * await replayProperty(wf, { input }).catch((e) => {
 *   if (e instanceof ReplayPropertyError) console.log(e.problems, { seed: e.seed, path: e.path });
 *   throw e;
 * });
 */
export class ReplayPropertyError extends Error {
  readonly seed: number;
  readonly path: string | null;
  /** The problems found in the smallest failing case. */
  readonly problems: readonly string[];
  constructor(
    message: string,
    details: { seed: number; path: string | null; problems: readonly string[]; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.name = "ReplayPropertyError";
    this.seed = details.seed;
    this.path = details.path;
    this.problems = details.problems;
  }
}

class CaseFailure extends Error {
  constructor(
    readonly report: string,
    readonly problems: string[],
  ) {
    super(report);
  }
}

const DAY_MS = 86_400_000;

/**
 * Checks on fast-check that a run interrupted after any journal entry and resumed by a fresh process
 * reaches the same end as an uninterrupted one. For generated inputs, crash points (a store wrapper kills
 * the process at its next write; a new worker with another `Math.random` seed and a wall clock days away
 * resumes once the lease expires on the virtual clock) and transient step failures, it checks: no
 * `NonDeterminismError`; the same status, output and steps as the uninterrupted run (unless the crash
 * only moved time, which the same crash replayed by an identical process shows); every journaled step ran
 * exactly once without a crash, and never again after its result was journaled. On failure it throws a
 * `ReplayPropertyError` showing the smallest case: the input, the crash points and both journals.
 * @example
 * await replayProperty(checkout, { input: fc.record({ items: fc.nat({ max: 5 }) }) });
 */
export async function replayProperty<I, O>(
  workflow: Workflow<I, O>,
  options: ReplayPropertyOptions<I>,
): Promise<ReplayPropertyStats> {
  const runs = Math.max(options.runs ?? 50, Number(process.env.DURABLE_PROPERTY_RUNS) || 0);
  const maxCrashes = options.maxCrashes ?? 2;
  const stats: ReplayPropertyStats = { runs: 0, crashes: 0, entries: 0, injectedFailures: 0 };
  const doubles = Object.entries(options.steps ?? {});
  const property = fc.asyncProperty(replayCases(options, doubles, maxCrashes), (c) =>
    checkCase(workflow, options, doubles, stats, c),
  );
  const params: fc.Parameters<[ReplayCase<I>]> = { numRuns: runs };
  if (options.seed !== undefined) params.seed = options.seed;
  if (options.path !== undefined) params.path = options.path;
  const details = await fc.check(property, params);
  if (!details.failed) return stats;
  throw failure(workflow.name, details);
}

type Doubles = readonly (readonly [string, StepDouble])[];
type RunCase = (extra: Pick<SimulationOptions, "mode" | "processes" | "recordWorld">) => Promise<Simulation>;

/** The cases: an input, crash points, transient failures, process identities, step values and events. */
function replayCases<I>(
  options: ReplayPropertyOptions<I>,
  doubles: Doubles,
  maxCrashes: number,
): fc.Arbitrary<ReplayCase<I>> {
  const drawn = Object.fromEntries(
    doubles.flatMap(([name, d]) =>
      typeof d === "function" ? [] : [[name, fc.array(d, { minLength: 1, maxLength: 4 })]],
    ),
  ) as Record<string, fc.Arbitrary<unknown[]>>;
  const identity = (minDays: number) =>
    fc.record({
      seed: fc.integer(),
      clockOffsetMs:
        minDays === 0 ? fc.constant(0) : fc.integer({ min: minDays, max: 3_650 }).map((d) => d * DAY_MS),
    });
  return fc.record({
    input: options.input,
    // One crash, and maybe more: a list that shrinks to a single crash point.
    crashAt: fc
      .tuple(
        fc.nat({ max: 10_000 }),
        fc.array(fc.nat({ max: 10_000 }), { maxLength: Math.max(0, maxCrashes - 1) }),
      )
      .map(([first, more]) => [first, ...more]),
    failFirstAttempt:
      options.transientFailures === false
        ? fc.constant([])
        : fc.uniqueArray(fc.nat({ max: 24 }), { maxLength: 3 }),
    original: identity(0),
    resumed: fc.array(identity(1), { minLength: maxCrashes, maxLength: maxCrashes }),
    stepValues: fc.record(drawn),
    events: options.events ?? fc.constant([]),
  });
}

/** Runs one case three ways (reference, stalled, crashed) and throws a `CaseFailure` if they disagree. */
async function checkCase<I, O>(
  workflow: Workflow<I, O>,
  options: ReplayPropertyOptions<I>,
  doubles: Doubles,
  stats: ReplayPropertyStats,
  c: ReplayCase<I>,
): Promise<void> {
  const world = new StepWorld();
  const run: RunCase = (extra) =>
    simulate({
      workflows: [workflow, ...(options.workflows ?? [])],
      workflow,
      input: c.input,
      runId: `replay:${workflow.name}`,
      world,
      failFirstAttempt: new Set(c.failFirstAttempt),
      stepMocks: stepMocks(doubles, c.stepValues),
      events: c.events,
      ...extra,
    });
  const reference = await run({
    mode: { type: "uninterrupted" },
    processes: [c.original],
    recordWorld: true,
  });
  const points = crashPoints(c.crashAt, reference.appends);
  const uninterrupted = await run({
    mode: { type: "stall", points },
    processes: [c.original],
    recordWorld: false,
  });
  const crashed = await run({
    mode: { type: "crash", points },
    processes: [c.original, ...c.resumed],
    recordWorld: false,
  });
  tally(stats, reference, crashed, world);
  const problems = await findProblems(run, c, points, { reference, uninterrupted, crashed });
  if (problems.length > 0) {
    throw new CaseFailure(
      describeReplayCase(c, { points, reference, uninterrupted, crashed, problems }),
      problems,
    );
  }
}

/** The first abnormal end, or else how the crashed run differs from the uninterrupted one. */
async function findProblems<I>(
  run: RunCase,
  c: ReplayCase<I>,
  points: number[],
  {
    reference,
    uninterrupted,
    crashed,
  }: { reference: Simulation; uninterrupted: Simulation; crashed: Simulation },
): Promise<string[]> {
  const ends = [
    abnormalEnd(reference, "without any crash"),
    abnormalEnd(uninterrupted, "without any crash"),
    abnormalEnd(crashed, "resumed after the crash"),
  ];
  const problems = ends.filter((p): p is string => p !== undefined).slice(0, 1);
  if (problems.length > 0) return problems;
  const differences = compareRuns(uninterrupted, crashed, "without the crash", "after the crash");
  // A crash legitimately moves time (a retry lost with the process starts over, the lease takes a
  // while to expire). The same crash replayed by an identical process tells that apart from what this
  // property hunts: code whose path depends on which process runs it.
  if (differences.length > 0) {
    const control = await run({
      mode: { type: "crash", points },
      processes: [c.original],
      recordWorld: false,
    });
    const onlyTime =
      abnormalEnd(control, "") === undefined &&
      compareRuns(control, crashed, "", "").length === 0 &&
      sameButForTime(control.journal, uninterrupted.journal);
    if (!onlyTime) problems.push(...differences);
  }
  problems.push(...countProblems(uninterrupted, crashed));
  return problems;
}

function failure<I>(name: string, details: fc.RunDetails<[ReplayCase<I>]>): ReplayPropertyError {
  const where = `reproduce with { seed: ${details.seed}, path: "${details.counterexamplePath}" }`;
  const head = `replayProperty("${name}") failed after ${details.numRuns} case${details.numRuns === 1 ? "" : "s"} (shrunk ${details.numShrinks} times; ${where})`;
  const error = details.errorInstance;
  if (error instanceof CaseFailure) {
    return new ReplayPropertyError(`${head}\n\n${error.report}`, {
      seed: details.seed,
      path: details.counterexamplePath,
      problems: error.problems,
    });
  }
  const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const message = details.interrupted
    ? `${head}: interrupted`
    : `${head}: a case threw ${reason}\ncase: ${JSON.stringify(details.counterexample)}`;
  return new ReplayPropertyError(message, {
    seed: details.seed,
    path: details.counterexamplePath,
    problems: [reason],
    cause: error,
  });
}

function stepMocks(
  doubles: readonly (readonly [string, StepDouble])[],
  values: Readonly<Record<string, unknown[]>>,
): Map<string, (step: StepContext) => unknown> {
  const mocks = new Map<string, (step: StepContext) => unknown>();
  for (const [name, double] of doubles) {
    if (typeof double === "function") {
      mocks.set(name, double);
      continue;
    }
    // The n-th seq at which this step runs gets the n-th drawn value, the same in every simulated run.
    const drawn = values[name] ?? [];
    const slots = new Map<string, number>();
    mocks.set(name, (s) => {
      const key = `${s.runId}#${s.seq}`;
      const slot = slots.get(key) ?? slots.size;
      slots.set(key, slot);
      return drawn[slot % drawn.length];
    });
  }
  return mocks;
}

/**
 * Crash points from raw draws: each becomes a number of journal appends in 0..total. Draw 0 means "after the
 * last entry", so a failing case shrinks towards the crash that makes the resumed process replay everything.
 */
function crashPoints(draws: readonly number[], total: number): number[] {
  return [...new Set(draws.map((d) => (d + total) % (total + 1)))].sort((a, b) => a - b);
}

function tally(
  stats: ReplayPropertyStats,
  reference: Simulation,
  crashed: Simulation,
  world: StepWorld,
): void {
  stats.runs++;
  stats.crashes += crashed.processes.length - 1;
  stats.entries += reference.journal.length;
  stats.injectedFailures += world.injected;
}
