import { Client, type StepAttemptInterceptor, type Store, silentLogger, Worker } from "@durable/core";
import { chooseFaults, type FaultRates, nodeFaults, simStore } from "./faults.js";
import { checkInvariants } from "./invariants.js";
import { Ledger } from "./ledger.js";
import { type RunEnd, Scheduler, type SimNode } from "./scheduler.js";
import { openSimStore, type StoreKind } from "./sim-stores.js";
import { driveWorkerTimers, NEVER_MS } from "./worker-timers.js";
import {
  allRuns,
  eventPayload,
  generateWorkload,
  type Plan,
  simWorkflow,
  type Workload,
} from "./workload.js";

/** What to simulate. */
export interface SimulateOptions {
  seed: number;
  store: StoreKind;
  /** Wraps the shared store before the simulation sees it (to plant a bug at the Store interface). */
  wrapStore?: (store: Store) => Store;
}

/** How a simulation went: its violations (empty when every invariant held) and its full trace. */
export interface SimulationResult {
  seed: number;
  store: StoreKind;
  end: RunEnd;
  violations: string[];
  trace: string[];
  faults: string[];
  workload: Workload;
  rates: FaultRates;
  /** Step attempts that ran in more than one activation (allowed where a fault explains them). */
  reexecuted: number;
  virtualMs: number;
}

const LEASE_MS = 5_000;
const HEARTBEAT_MS = 1_500;
const POLL_MS = 1_000;
const WORKERS = 3;
const FINAL = ["completed", "failed", "cancelled", "blocked"];
/** Virtual time after the last planned client action within which every run must have ended. */
const SETTLE_MS = 90_000;

interface SimWorker {
  node: SimNode;
  worker: Worker;
  stopTimers: () => void;
}

/**
 * Runs one seeded simulation: three workers and two clients over one store, the workload and faults the
 * seed chooses, every store call, result, notification, step and timer ordered by one PRNG; then checks
 * every invariant. Same seed, same store: same trace.
 * @example
 * const result = await simulate({ seed: 42, store: "memory" });
 * if (result.violations.length > 0) console.log(result.trace.join("\n"));
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const sched = new Scheduler(options.seed);
  const rates = chooseFaults(sched.rng);
  const workload = generateWorkload(sched.rng);
  const ledger = new Ledger(LEASE_MS);
  const opened = await openSimStore(options.store, sched);
  const shared = options.wrapStore ? options.wrapStore(opened.store) : opened.store;
  const sim = simWorkflow(ledger);
  const workers: SimWorker[] = [];
  const supervisor = sched.node("sup", "client");

  const spawn = () => {
    const drift = rates.maxDriftMs === 0 ? 0 : sched.rng.between(-rates.maxDriftMs, rates.maxDriftMs);
    const node = sched.node(`w${workers.length + 1}`, "worker", drift);
    const clock = sched.clock(node);
    const intercept: StepAttemptInterceptor = (info, next) => stepPoint(node, info, next);
    const worker = new Worker({
      store: simStore(shared, { sched, node, ledger, faults: rates }),
      workflows: [sim],
      id: node.id,
      clock,
      leaseMs: LEASE_MS,
      heartbeatMs: NEVER_MS,
      pollMs: NEVER_MS,
      concurrency: 4,
      retryHold: "1s",
      maxRecoveries: 5,
      // Real time: only a body awaiting something outside ctx would wait for it, and these never do.
      foreignAwait: "1h",
      determinismGuard: false,
      logger: silentLogger,
      interceptStepAttempt: intercept,
    });
    const stopTimers = driveWorkerTimers(worker, clock, { pollMs: POLL_MS, heartbeatMs: HEARTBEAT_MS });
    workers.push({ node, worker, stopTimers });
    sched.log(node, `started (clock ${drift >= 0 ? "+" : ""}${drift} ms)`);
    worker.start().catch(() => {});
  };

  // A supervisor brings a killed worker's replacement up a little later, as a process manager would.
  const onKill = (node: SimNode) => {
    workers.find((w) => w.node === node)?.stopTimers();
    sched.setTimer(supervisor, sched.now + sched.rng.between(500, 3_000), spawn);
  };

  // A step attempt is a scheduling point when it starts and when its result comes back; a poison step
  // kills its worker as it starts.
  const stepPoint: (node: SimNode, ...rest: Parameters<StepAttemptInterceptor>) => Promise<unknown> = (
    node,
    info,
    next,
  ) =>
    new Promise((resolve, reject) => {
      const label = `step ${info.runId} ${info.name}#${info.seq} attempt ${info.attempt}`;
      sched.enqueue(node, label, () => {
        ledger.attemptStarted(node.id, info);
        if (info.name === "poison") {
          attempt(next).catch(() => {});
          ledger.fault(`+${sched.now - sched.start} ${node.id} killed by the poison step of ${info.runId}`);
          sched.kill(node);
          onKill(node);
          return;
        }
        const latency = sched.rng.between(0, 400);
        attempt(next).then(
          (value) =>
            sched.enqueue(node, `${label} → ok`, () => resolve(value), { readyAt: sched.now + latency }),
          (error: unknown) =>
            sched.enqueue(node, `${label} → error`, () => reject(error), { readyAt: sched.now + latency }),
        );
      });
    });

  for (let i = 0; i < WORKERS; i++) spawn();
  const clients = ["c1", "c2"].map((id) => {
    const node = sched.node(id, "client");
    const store = simStore(shared, { sched, node, ledger, faults: rates });
    return { node, client: new Client({ store, workflows: [sim] }) };
  });
  planClients(sched, clients, workload, sim);

  const lastAction = Math.max(0, ...workload.runs.map((r) => r.startAt), ...workload.events.map((e) => e.at));
  const ids = allRuns(workload).map((r) => r.id);
  let lastCheck = sched.start;
  const end = await sched.run({
    horizon: sched.start + lastAction + SETTLE_MS,
    beforeStep: nodeFaults({
      sched,
      ledger,
      faults: rates,
      leaseMs: LEASE_MS,
      nodes: () => workers.map((w) => w.node),
      onKill,
    }),
    onAdvance: opened.advance,
    done: async () => {
      // One read a virtual second at most: the check itself is not part of the simulated system.
      if (sched.now < Math.max(sched.start + lastAction, lastCheck + 1_000)) return false;
      lastCheck = sched.now;
      const runs = await opened.store.listRuns({ limit: 1_000 });
      const final = new Set(runs.filter((r) => FINAL.includes(r.status)).map((r) => r.id));
      return ids.every((id) => final.has(id));
    },
  });
  const violations = await checkInvariants({ store: opened.store, workload, ledger, end });
  await teardown(sched, workers);
  await opened.close();
  const epochs = new Map<string, Set<number>>();
  for (const a of ledger.attempts)
    epochs.set(`${a.runId}#${a.seq}`, (epochs.get(`${a.runId}#${a.seq}`) ?? new Set()).add(a.epoch));
  return {
    seed: options.seed,
    store: options.store,
    end,
    violations,
    trace: sched.trace,
    faults: ledger.faults,
    workload,
    rates,
    reexecuted: [...epochs.values()].filter((s) => s.size > 1).length,
    virtualMs: sched.now - sched.start,
  };
}

/** Runs a step attempt; a body that throws at once is a rejected attempt. */
function attempt(next: () => Promise<unknown>): Promise<unknown> {
  try {
    return next();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Two clients start the runs and send the events at their planned times, each action from either; they retry what fails. */
function planClients(
  sched: Scheduler,
  clients: { node: SimNode; client: Client }[],
  workload: Workload,
  sim: ReturnType<typeof simWorkflow>,
) {
  const later = (node: SimNode, fn: () => void) =>
    sched.setTimer(node, sched.now + sched.rng.between(200, 2_000), fn);
  const start = (from: { node: SimNode; client: Client }, id: string, plan: Plan) => {
    from.client.start(sim, plan, { id }).catch(() => later(from.node, () => start(from, id, plan)));
  };
  // A run not created yet (a child, a start still to come) or a lost reply: try again later. A resend
  // after a reply lost past its commit delivers the event twice, as a real sender would.
  const send = (from: { node: SimNode; client: Client }, runId: string, name: string) => {
    from.client.sendEvent(runId, name, eventPayload(runId, name)).catch((error: unknown) => {
      if ((error as { code?: string }).code !== "run_finished")
        later(from.node, () => send(from, runId, name));
    });
  };
  for (const run of workload.runs) {
    const from = sched.rng.pick(clients);
    sched.setTimer(from.node, sched.start + run.startAt, () => start(from, run.id, run.plan));
  }
  for (const event of workload.events) {
    const from = sched.rng.pick(clients);
    sched.setTimer(from.node, sched.start + event.at, () => send(from, event.runId, event.name));
  }
}

async function teardown(sched: Scheduler, workers: SimWorker[]): Promise<void> {
  sched.closed = true;
  for (const w of workers) {
    w.stopTimers();
    await w.worker.stop({ graceMs: 0 }).catch(() => {});
  }
}
