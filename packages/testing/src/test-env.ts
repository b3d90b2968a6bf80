import {
  type AnySchedule,
  Client,
  isActiveStatus,
  type JournalEntry,
  memoryStore,
  type RunInfo,
  type StartOptions,
  type StepContext,
  type Store,
  skipTime,
  TestClock,
  Worker,
  type WorkerOptions,
  type Workflow,
} from "@durable/core";
import { captureLogger, type LogRecord } from "./capture-logger.js";
import { explainStuckRun } from "./explain-stuck-run.js";
import { lettingTimePass, type WatchedStore, watchStore } from "./step-time.js";
import { storeClockView } from "./store-clock-view.js";

/** Options of `createTestEnv`. */
export interface TestEnvOptions {
  // biome-ignore lint/suspicious/noExplicitAny: a test env runs workflows of any input and output
  workflows: readonly Workflow<any, any>[];
  /**
   * Default: a memory store on the env's clock. Any `Store` works; one that keeps its own time cannot skip
   * time. A function gets the env's clock and makes the store (the env then closes it):
   * `store: (clock) => pgliteStore({ clock })` skips time on PGlite as on the memory store.
   */
  store?: Store | ((clock: TestClock) => Store);
  /** Schedules the worker starts runs for; ticks come as the env's clock moves. */
  schedules?: readonly AnySchedule[];
  /** The virtual clock (default a `TestClock` at 2030-01-01, one per env). */
  clock?: TestClock;
  /** More worker options (`concurrency`, `retryHold`, `interceptStepAttempt`...). */
  worker?: Partial<Omit<WorkerOptions, "store" | "workflows" | "clock" | "stepMocks">>;
}

/** A run started in a test env; `result()` moves the env's clock as the run needs. */
export interface TestRunHandle<O> {
  readonly id: string;
  /** Drives the env until the run ends: its output, or its error thrown. */
  result(): Promise<O>;
  /** Drives the env until the run ends (the last of a continue-as-new chain) and returns it, whatever its status. */
  settle(): Promise<RunInfo<O>>;
  get(): Promise<RunInfo<O> | undefined>;
}

/** A memory store, a worker, a client and a virtual clock of their own, for testing workflows. */
export interface TestEnv {
  readonly clock: TestClock;
  readonly store: Store;
  readonly client: Client;
  readonly worker: Worker;
  /** What the worker logged (determinism warnings among it). */
  readonly logs: readonly LogRecord[];
  /** Starts a run and drives it to its end, skipping time while every run waits on a timer. */
  run<I, O>(workflow: Workflow<I, O>, input: I, options?: StartOptions): Promise<O>;
  /** Starts a run and returns its handle once the run waits (for time, an event...), without moving the clock. */
  start<I, O>(workflow: Workflow<I, O>, input: I, options?: StartOptions): Promise<TestRunHandle<O>>;
  /** A handle on a run started some other way (a schedule, a child, `env.client`). */
  handle<O = unknown>(runId: string): TestRunHandle<O>;
  /** Sends an event to a run, checked against its workflow's `events` schema (`client.sendEvent`). */
  sendEvent(runId: string, name: string, payload?: unknown): Promise<void>;
  /** Replaces a step (or decision) by name in every run of this env. */
  mockStep<T>(name: string, fn: (step: StepContext) => T | Promise<T>): void;
  /** The run's journal entries, by seq. */
  journal(runId: string): Promise<JournalEntry[]>;
  /** Lets the worker finish whatever is due now, without moving the clock. */
  idle(): Promise<void>;
  /** Stops the worker (and closes the store if the env made it). */
  close(): Promise<void>;
}

const TEN_YEARS_MS = 10 * 365 * 86_400_000;
const realSetImmediate = globalThis.setImmediate;
const tick = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * A test env: a memory store, a worker and a client on a virtual clock of their own (so tests in one file
 * can run in parallel). `env.run` finishes a run that sleeps for months in milliseconds; a run that can
 * never finish fails with what it waits for instead of hanging.
 * @example
 * const env = createTestEnv({ workflows: [onboarding] });
 * env.mockStep("send-survey", () => "sent");
 * const out = await env.run(onboarding, { userId: "u1" }); // sleeps 90d in a few milliseconds
 * await env.close();
 */
export function createTestEnv(options: TestEnvOptions): TestEnv {
  const clock = options.clock ?? new TestClock();
  const ownStore = typeof options.store !== "object";
  const store =
    typeof options.store === "function" ? options.store(clock) : (options.store ?? memoryStore({ clock }));
  const logs: LogRecord[] = [];
  const mocks = new Map<string, (step: StepContext) => unknown>();
  const worker = new Worker(testWorkerOptions(options, clock, watchStore(store), logs, mocks));
  const client = new Client({ store, workflows: options.workflows });
  // Started at once, so that schedules tick as soon as the test moves the clock.
  const started = worker.start();
  started.catch(() => {});
  const parts = envParts(options, { clock, store, worker, client, started });
  const handle = <O>(id: string): TestRunHandle<O> => runHandle<O>(parts, id);
  const start = async <I, O>(workflow: Workflow<I, O>, input: I, startOptions?: StartOptions) =>
    handle<O>(await startRun(parts, workflow, input, startOptions));
  return {
    clock,
    store,
    client,
    worker,
    logs,
    start,
    handle,
    run: async (workflow, input, startOptions) => (await start(workflow, input, startOptions)).result(),
    sendEvent: (runId, name, payload) => client.sendEvent(runId, name, payload),
    mockStep(name, fn) {
      mocks.set(name, fn);
    },
    journal: (runId) => client.journal(runId),
    idle: () => idle(parts),
    async close() {
      await worker.stop({ graceMs: 1_000 });
      if (ownStore) await store.close();
    },
  };
}

function testWorkerOptions(
  options: TestEnvOptions,
  clock: TestClock,
  watched: WatchedStore,
  logs: LogRecord[],
  mocks: Map<string, (step: StepContext) => unknown>,
): WorkerOptions {
  const workerOptions: WorkerOptions = {
    leaseMs: TEN_YEARS_MS,
    heartbeatMs: 3_600_000,
    pollMs: 50,
    determinismGuard: true,
    // A body awaiting something outside ctx is parked as blocked after this long (real time).
    foreignAwait: "100ms",
    ...options.worker,
    store: watched.store,
    interceptStepAttempt: lettingTimePass(clock, watched, options.worker?.interceptStepAttempt),
    workflows: options.workflows,
    clock,
    logger: options.worker?.logger ?? captureLogger(logs, "info"),
    stepMocks: mocks,
  };
  if (options.schedules !== undefined) workerOptions.schedules = options.schedules;
  return workerOptions;
}

/** What the env's runs are driven with. */
interface EnvParts {
  options: TestEnvOptions;
  names: string[];
  clock: TestClock;
  store: Store;
  worker: Worker;
  client: Client;
  started: Promise<void>;
  /** Whether the store keeps a time other than the env's clock (asked once). */
  storeKeepsOwnTime: () => Promise<boolean>;
}

function envParts(
  options: TestEnvOptions,
  parts: Pick<EnvParts, "clock" | "store" | "worker" | "client" | "started">,
): EnvParts {
  let ownTime: Promise<boolean> | undefined;
  const storeKeepsOwnTime = () => {
    ownTime ??=
      options.store === undefined
        ? Promise.resolve(false)
        : parts.store.now().then((now) => now.getTime() !== parts.clock.now());
    return ownTime;
  };
  return { ...parts, options, names: options.workflows.map((w) => w.name), storeKeepsOwnTime };
}

// Follows a continue-as-new chain to its last run, as `handle.result()` does.
async function settle<O>(env: EnvParts, id: string): Promise<RunInfo<O>> {
  const { clock, store, worker, client, names, options } = env;
  await env.started;
  for (let current = id; ; ) {
    await skipTime({
      clock,
      store: storeClockView(store, clock, await env.storeKeepsOwnTime()),
      workers: [worker],
      workflows: names,
      until: async () => !isActiveStatus((await store.getRun(current))?.status ?? "pending"),
      onStuck: async () => new Error(await explainStuckRun(store, options.workflows, current)),
    });
    const info = (await client.get(current)) as RunInfo<O>;
    if (info.status !== "completed" || info.continuedAs === undefined) return info;
    current = info.continuedAs;
  }
}

async function idle({ started, store, names, worker }: EnvParts): Promise<void> {
  await started;
  for (let checks = 0, calm = 0; calm < 3; checks++) {
    await tick();
    const next = await store.nextWakeAt(names);
    const due = next !== undefined && next.getTime() <= (await store.now()).getTime();
    if (!worker.isQuiescent() || due) {
      calm = 0;
      if (due && checks > 50) worker.poke();
    } else calm++;
  }
}

function runHandle<O>(env: EnvParts, id: string): TestRunHandle<O> {
  const { client } = env;
  return {
    id,
    get: () => client.handle<O>(id).get(),
    settle: () => settle<O>(env, id),
    result: async () => {
      await settle(env, id);
      return client.handle<O>(id).result();
    },
  };
}

/** Starts a run and lets the worker take it as far as it goes; returns its id. */
async function startRun<I, O>(
  env: EnvParts,
  workflow: Workflow<I, O>,
  input: I,
  startOptions?: StartOptions,
): Promise<string> {
  if (!env.names.includes(workflow.name)) {
    throw new TypeError(
      `workflow "${workflow.name}" is not in this test env; pass it to createTestEnv({ workflows: [...] })`,
    );
  }
  await env.started;
  const run = await env.client.start(workflow, input, startOptions);
  // Let the worker take the run as far as it goes without time passing, so that a test moving the
  // clock next moves it from the run's start.
  await idle(env);
  return run.id;
}
