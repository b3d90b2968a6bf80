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
import { inChain, stepKey } from "./run-chain.js";
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
  events?: readonly (SimulatedEvent | SimulatedMessage)[];
  determinismGuard?: boolean;
}

/** An event `replayProperty` sends to the run. */
export interface SimulatedEvent {
  name: string;
  payload?: unknown;
}

/**
 * Any other message `replayProperty` delivers to the run at a pause, through the client: an update, a
 * callback, a signal-with-start... `name` describes it in reports; `send` is given the id of the chain's
 * current run and resolves once the message is delivered.
 * @example
 * const approve: SimulatedMessage = { name: "approve via update", send: (client, id) => client.sendEvent(id, "approved", { by: "ann" }) };
 */
export interface SimulatedMessage {
  name: string;
  send: (client: Client, runId: string) => Promise<unknown>;
}

/**
 * Whether a message to simulate is sent through its own `send` (not a plain event).
 * @example
 * if (isMessage(m)) await m.send(client, runId);
 */
export function isMessage(message: SimulatedEvent | SimulatedMessage): message is SimulatedMessage {
  return typeof (message as Partial<SimulatedMessage>).send === "function";
}

/** What one simulated process did. */
export interface ProcessRecord {
  /** Steps (calls, decisions) journaled before this process started, by `stepKey`. */
  journaledBefore: ReadonlySet<string>;
  /** Successful step executions in this process, by `stepKey`. */
  successes: Map<string, number>;
  /** When it started, on the virtual clock. */
  startedAt: number;
}

/** How a simulated run ended (the last run of its continue-as-new chain). */
export interface Simulation {
  /** The first run of the chain. */
  runId: string;
  status: RunStatus | "stuck";
  output?: unknown;
  error?: ErrorData;
  /** Why the run could never finish, when `status` is `stuck`. */
  stuck?: string;
  /** The journals of every run of the chain, run after run. */
  journal: JournalEntry[];
  processes: ProcessRecord[];
  appends: number;
  logs: LogRecord[];
}

class StuckRun extends Error {}

/**
 * Runs a workflow once on a fresh memory store and virtual clock, through a chain of simulated processes
 * that die (or stall) at the given journal points; each resumed process is a fresh worker with its own
 * `Math.random` and wall clock, claiming the run once the dead one's lease has expired. A run that
 * continues as new is followed to the last run of its chain.
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
      journaledBefore: new Set(stepKeys(await chainJournal(shared, runId))),
      successes: new Map(),
      startedAt: clock.now(),
    };
    processes.push(record);
    const identity = options.processes[Math.min(i, options.processes.length - 1)] as ProcessIdentity;
    stuck = await asProcess(identity, () =>
      runProcess(options, { clock, shared, faulty, record, logs, events, first: i === 0 }),
    );
    appends += faulty.appends();
    const run = await lastOfChain(shared, runId);
    if (stuck !== undefined || (run !== undefined && !isActiveStatus(run.status))) break;
  }
  const run = await lastOfChain(shared, runId);
  const result: Simulation = {
    runId,
    status: stuck !== undefined ? "stuck" : (run?.status ?? "pending"),
    journal: await chainJournal(shared, runId),
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
        if (faulty.isDead() || !inChain(runId, info.runId)) return;
        const key = stepKey(info);
        record.successes.set(key, (record.successes.get(key) ?? 0) + 1);
      },
    }),
  });
  const paused = async () => {
    const run = await lastOfChain(shared, runId);
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
          const current = await lastOfChain(shared, runId);
          if (faulty.isDead() || !isActiveStatus(current?.status ?? "pending")) return true;
          const event = events[0];
          if (!event || !current || !(await paused())) return false;
          events.shift();
          if (isMessage(event)) await event.send(client, current.id);
          else await client.sendEvent(current.id, event.name, event.payload);
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
 * The keys of the steps (calls and decisions) in a journal.
 * @example
 * stepKeys(journal); // ["replay:order#0", "replay:order#2"]
 */
export function stepKeys(journal: readonly JournalEntry[]): string[] {
  return journal.filter((e) => e.kind === "call" || e.kind === "decide").map(stepKey);
}

async function lastOfChain(store: Store, runId: string) {
  let run = await store.getRun(runId);
  for (let next = run?.continuedAs; next !== undefined; next = run?.continuedAs) {
    const successor = await store.getRun(next);
    if (!successor) break;
    run = successor;
  }
  return run;
}

async function chainJournal(store: Store, runId: string): Promise<JournalEntry[]> {
  const journal: JournalEntry[] = [];
  for (let id: string | undefined = runId; id !== undefined; ) {
    journal.push(...(await store.readJournal(id)));
    id = (await store.getRun(id))?.continuedAs;
  }
  return journal;
}
