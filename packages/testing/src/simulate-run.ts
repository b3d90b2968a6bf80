import {
  Client,
  decode,
  type ErrorData,
  isActiveStatus,
  type JournalEntry,
  memoryStore,
  type RunStatus,
  type StepContext,
  type Store,
  skipTime,
  TestClock,
  Worker,
  type Workflow,
} from "@durable/core";
import { captureLogger, type LogRecord } from "./capture-logger.js";
import { explainStuckRun } from "./explain-stuck-run.js";
import { countAppends, crashAfter, type FaultyStore, stallAt } from "./faulty-store.js";
import { asProcess, type ProcessIdentity } from "./simulated-process.js";
import type { StepWorld } from "./step-world.js";

/** How long a simulated process's lease lasts: after a crash, the run resumes this much later. */
export const CRASH_LEASE_MS = 60_000;
const TEN_YEARS_MS = 10 * 365 * 86_400_000;

/** Whether and where the simulated processes die. */
export type SimulationMode =
  | { type: "uninterrupted" }
  /** Each point is a number of journal appends after which the process then running dies. */
  | { type: "crash"; points: readonly number[] }
  /** One process that stalls at those points for as long as a crashed process's lease would last. */
  | { type: "stall"; points: readonly number[] };

/** One simulated run of a workflow, from start to end, through one or more processes. */
export interface SimulationOptions {
  // biome-ignore lint/suspicious/noExplicitAny: workflows of any input and output
  workflows: readonly Workflow<any, any>[];
  // biome-ignore lint/suspicious/noExplicitAny: a workflow of any input and output
  workflow: Workflow<any, any>;
  input: unknown;
  runId: string;
  mode: SimulationMode;
  /** The first process, then one per resumption (the last is reused if there are fewer). */
  processes: readonly ProcessIdentity[];
  world: StepWorld;
  recordWorld: boolean;
  failFirstAttempt: ReadonlySet<number>;
  stepMocks: ReadonlyMap<string, (step: StepContext) => unknown>;
  /** Sent to the run in this order, one each time the run pauses (suspended, nothing due). */
  events?: readonly SimulatedEvent[];
  determinismGuard?: boolean;
}

/** An event `replayProperty` sends to the run. */
export interface SimulatedEvent {
  name: string;
  payload?: unknown;
}

/** What one simulated process did. */
export interface ProcessRecord {
  /** Seqs of the steps (calls, decisions) journaled before this process started. */
  journaledBefore: ReadonlySet<number>;
  /** Successful step executions in this process, by seq. */
  successes: Map<number, number>;
  /** When it started, on the virtual clock. */
  startedAt: number;
}

/** How a simulated run ended. */
export interface Simulation {
  status: RunStatus | "stuck";
  output?: unknown;
  error?: ErrorData;
  /** Why the run could never finish, when `status` is `stuck`. */
  stuck?: string;
  journal: JournalEntry[];
  processes: ProcessRecord[];
  appends: number;
  logs: LogRecord[];
}

class StuckRun extends Error {}

/**
 * Runs a workflow once on a fresh memory store and virtual clock, through a chain of simulated processes
 * that die (or stall) at the given journal points; each resumed process is a fresh worker with its own
 * `Math.random` and wall clock, claiming the run once the dead one's lease has expired.
 * @example
 * const sim = await simulate({ ...options, mode: { type: "crash", points: [2] } });
 */
export async function simulate(options: SimulationOptions): Promise<Simulation> {
  const clock = new TestClock();
  const shared = memoryStore({ clock });
  const { mode, runId } = options;
  const points = mode.type === "crash" ? mode.points : [];
  const logs: LogRecord[] = [];
  const processes: ProcessRecord[] = [];
  let appends = 0;
  let stuck: string | undefined;
  const events = [...(options.events ?? [])];
  for (let i = 0; i <= points.length; i++) {
    const budget =
      i < points.length ? (points[i] as number) - (points[i - 1] ?? 0) : Number.POSITIVE_INFINITY;
    const faulty = faultyStore(shared, mode, budget, clock, runId);
    const record: ProcessRecord = {
      journaledBefore: new Set(stepSeqs(await shared.readJournal(runId))),
      successes: new Map(),
      startedAt: clock.now(),
    };
    processes.push(record);
    const identity = options.processes[Math.min(i, options.processes.length - 1)] as ProcessIdentity;
    stuck = await asProcess(identity, () =>
      runProcess(options, { clock, shared, faulty, record, logs, events, first: i === 0 }),
    );
    appends += faulty.appends();
    const run = await shared.getRun(runId);
    if (stuck !== undefined || (run !== undefined && !isActiveStatus(run.status))) break;
  }
  const run = await shared.getRun(runId);
  const result: Simulation = {
    status: stuck !== undefined ? "stuck" : (run?.status ?? "pending"),
    journal: await shared.readJournal(runId),
    processes,
    appends,
    logs,
  };
  if (stuck !== undefined) result.stuck = stuck;
  if (run?.output !== undefined) result.output = decode(run.output);
  if (run?.error !== undefined) result.error = run.error;
  return result;
}

async function runProcess(
  options: SimulationOptions,
  env: {
    clock: TestClock;
    shared: Store;
    faulty: FaultyStore;
    record: ProcessRecord;
    logs: LogRecord[];
    events: SimulatedEvent[];
    first: boolean;
  },
): Promise<string | undefined> {
  const { clock, shared, faulty, record, events } = env;
  const { runId } = options;
  const client = new Client({ store: shared, workflows: options.workflows });
  const worker = new Worker({
    store: faulty.store,
    workflows: options.workflows,
    clock,
    logger: captureLogger(env.logs, "warn"),
    leaseMs: options.mode.type === "crash" ? CRASH_LEASE_MS : TEN_YEARS_MS,
    heartbeatMs: 3_600_000,
    pollMs: 50,
    foreignAwait: "100ms",
    determinismGuard: options.determinismGuard ?? false,
    stepMocks: options.stepMocks,
    interceptStepAttempt: options.world.interceptor({
      record: options.recordWorld,
      failFirstAttempt: options.failFirstAttempt,
      onSuccess: (info) => {
        if (faulty.isDead() || info.runId !== runId) return;
        record.successes.set(info.seq, (record.successes.get(info.seq) ?? 0) + 1);
      },
    }),
  });
  const paused = async () => {
    const run = await shared.getRun(runId);
    const due = run?.wakeAt !== undefined && run.wakeAt.getTime() <= clock.now();
    return run?.status === "suspended" && !due && worker.isQuiescent() && worker.activeRuns === 0;
  };
  await worker.start();
  try {
    if (env.first) await client.start(options.workflow, options.input, { id: runId });
    // Drive until the run ends or the process dies; at each pause on the way, the next event goes out.
    for (let sent = true; sent; ) {
      sent = false;
      await skipTime({
        clock,
        store: shared,
        workers: [worker],
        workflows: options.workflows.map((w) => w.name),
        until: async () => {
          if (faulty.isDead() || !isActiveStatus((await shared.getRun(runId))?.status ?? "pending"))
            return true;
          const event = events[0];
          if (!event || !(await paused())) return false;
          events.shift();
          await client.sendEvent(runId, event.name, event.payload);
          sent = true;
          return true;
        },
        onStuck: async () => new StuckRun(await explainStuckRun(shared, options.workflows, runId)),
      });
    }
    return undefined;
  } catch (error) {
    if (error instanceof StuckRun) return error.message;
    throw error;
  } finally {
    await worker.stop({ graceMs: 0 });
  }
}

function faultyStore(
  shared: Store,
  mode: SimulationMode,
  budget: number,
  clock: TestClock,
  runId: string,
): FaultyStore {
  switch (mode.type) {
    case "uninterrupted":
      return countAppends(shared);
    case "crash":
      return crashAfter(shared, budget);
    case "stall":
      return stallAt(shared, mode.points, { clock, leaseMs: CRASH_LEASE_MS, runId });
  }
}

/**
 * The seqs of the steps (calls and decisions) in a journal.
 * @example
 * stepSeqs(journal); // [0, 2]
 */
export function stepSeqs(journal: readonly JournalEntry[]): number[] {
  return journal.filter((e) => e.kind === "call" || e.kind === "decide").map((e) => e.seq);
}
