import { Writable } from "node:stream";
import { pino } from "pino";
import {
  type AnyWorkflow,
  Client,
  isActiveStatus,
  memoryStore,
  type RunInfo,
  type StartOptions,
  type Store,
  skipTime,
  TestClock,
  Worker,
  type WorkerOptions,
  type Workflow,
} from "../index.js";

/** A memory store, a worker and a client on one virtual clock, for core's own tests. */
export function createHarness(
  workflows: AnyWorkflow[],
  options: { store?: Store; observer?: Store; worker?: Partial<WorkerOptions>; clock?: TestClock } = {},
) {
  const clock = options.clock ?? new TestClock();
  const store = options.store ?? memoryStore({ clock });
  // Tests that kill a simulated process watch the run through a store that does not die with it.
  const observer = options.observer ?? store;
  const logs: { level: number; msg: string; [k: string]: unknown }[] = [];
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk, _enc, cb) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
        cb();
      },
    }),
  );
  const workers: Worker[] = [];
  const newWorker = (extra: Partial<WorkerOptions> = {}) => {
    const worker = new Worker({
      store,
      workflows,
      clock,
      logger,
      leaseMs: 10 * 365 * 86_400_000,
      heartbeatMs: 60_000,
      pollMs: 20,
      determinismGuard: true,
      ...options.worker,
      ...extra,
    });
    workers.push(worker);
    return worker;
  };
  const client = new Client({ store });
  const observerClient = new Client({ store: observer });
  const names = workflows.map((w) => w.name);

  async function settle(id: string, stop: () => boolean = () => false): Promise<RunInfo> {
    await skipTime({
      clock,
      store: observer,
      workers,
      workflows: names,
      until: async () => stop() || !isActiveStatus((await observer.getRun(id))?.status ?? "pending"),
      onStuck: async () =>
        new Error(`run ${id} can never finish: ${JSON.stringify(await observer.getRun(id))}`),
    });
    return (await observerClient.get(id)) as RunInfo;
  }

  return {
    clock,
    store,
    client,
    logs,
    workers,
    newWorker,
    settle,
    async start<I, O>(wf: Workflow<I, O>, input: I, opts?: StartOptions) {
      if (workers.length === 0) await newWorker().start();
      return client.start(wf, input, opts);
    },
    async run<I, O>(wf: Workflow<I, O>, input: I, opts?: StartOptions): Promise<O> {
      if (workers.length === 0) await newWorker().start();
      const handle = await client.start(wf, input, opts);
      await settle(handle.id);
      return handle.result();
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop({ graceMs: 1_000 })));
    },
  };
}

const open: ReturnType<typeof createHarness>[] = [];

/**
 * Creates a harness that is closed after the current test (register `closeHarnesses` in `afterEach`).
 */
export function setup(...args: Parameters<typeof createHarness>): ReturnType<typeof createHarness> {
  const h = createHarness(...args);
  open.push(h);
  return h;
}

/** Closes every harness `setup` made. */
export async function closeHarnesses(): Promise<void> {
  await Promise.all(open.splice(0).map((h) => h.close()));
}

/** Polls `check` every millisecond (real time) until it holds; fails after ~3 s. */
export async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 3_000 && !(await check()); i++) await new Promise((r) => setTimeout(r, 1));
  if (!(await check())) throw new Error(`condition never held: ${check.toString()}`);
}
