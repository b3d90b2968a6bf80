import { type StepAttemptInterceptor, type Store, silentLogger, Worker } from "@durable/core";
import { type FaultRates, simStore } from "./faults.js";
import type { Ledger } from "./ledger.js";
import type { Scheduler, SimNode } from "./scheduler.js";
import { driveWorkerTimers, NEVER_MS } from "./worker-timers.js";
import type { simWorkflow } from "./workload.js";

/**
 * The runtime settings of every simulated worker.
 * @example
 * new Worker({ store, workflows, ...WORKER_SETTINGS });
 */
export const WORKER_SETTINGS = { leaseMs: 5_000, heartbeatMs: 1_500, pollMs: 1_000, concurrency: 4 };

interface SimWorker {
  node: SimNode;
  worker: Worker;
  stopTimers: () => void;
}

/** Runs a step attempt; a body that throws at once is a rejected attempt. */
function attempt(next: () => Promise<unknown>): Promise<unknown> {
  try {
    return next();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The simulated worker processes: each a real `Worker` on its own drifting clock, over its own view of the
 * shared store; a supervisor starts a replacement a little after one is killed, as a process manager would.
 * @example
 * const cluster = new Cluster({ sched, shared, ledger, rates, workflow }); cluster.spawn();
 */
export class Cluster {
  private readonly workers: SimWorker[] = [];
  private readonly supervisor: SimNode;

  constructor(
    private readonly sim: {
      sched: Scheduler;
      shared: Store;
      ledger: Ledger;
      rates: FaultRates;
      workflow: ReturnType<typeof simWorkflow>;
    },
  ) {
    this.supervisor = sim.sched.node("sup", "client");
  }

  nodes(): SimNode[] {
    return this.workers.map((w) => w.node);
  }

  spawn(): void {
    const { sched, rates } = this.sim;
    const drift = rates.maxDriftMs === 0 ? 0 : sched.rng.between(-rates.maxDriftMs, rates.maxDriftMs);
    const node = sched.node(`w${this.workers.length + 1}`, "worker", drift);
    const clock = sched.clock(node);
    const worker = new Worker({
      store: simStore(this.sim.shared, { sched, node, ledger: this.sim.ledger, faults: rates }),
      workflows: [this.sim.workflow],
      id: node.id,
      clock,
      leaseMs: WORKER_SETTINGS.leaseMs,
      concurrency: WORKER_SETTINGS.concurrency,
      heartbeatMs: NEVER_MS,
      pollMs: NEVER_MS,
      retryHold: "1s",
      maxRecoveries: 5,
      // Real time: only a body awaiting something outside ctx would wait for it, and these never do.
      foreignAwait: "1h",
      determinismGuard: false,
      logger: silentLogger,
      interceptStepAttempt: (info, next) => this.stepPoint(node, info, next),
    });
    const stopTimers = driveWorkerTimers(worker, clock, WORKER_SETTINGS);
    this.workers.push({ node, worker, stopTimers });
    sched.log(node, `started (clock ${drift >= 0 ? "+" : ""}${drift} ms)`);
    worker.start().catch(() => {});
  }

  /** After a kill: the dead worker's timers stop, and its replacement comes up 0.5–3 s later. */
  killed(node: SimNode): void {
    const { sched } = this.sim;
    this.workers.find((w) => w.node === node)?.stopTimers();
    sched.setTimer(this.supervisor, sched.now + sched.rng.between(500, 3_000), () => this.spawn());
  }

  /** Ends every worker once the simulation is over (their store calls fail from now on). */
  async teardown(): Promise<void> {
    this.sim.sched.closed = true;
    for (const w of this.workers) {
      w.stopTimers();
      await w.worker.stop({ graceMs: 0 }).catch(() => {});
    }
  }

  // A step attempt is a scheduling point when it starts and when its result comes back (0–400 ms
  // later); a poison step kills its worker as it starts.
  private stepPoint(node: SimNode, ...[info, next]: Parameters<StepAttemptInterceptor>): Promise<unknown> {
    const { sched, ledger } = this.sim;
    return new Promise((resolve, reject) => {
      const label = `step ${info.runId} ${info.name}#${info.seq} attempt ${info.attempt}`;
      sched.enqueue(node, label, () => {
        ledger.attemptStarted(node.id, info);
        if (info.name === "poison") {
          attempt(next).catch(() => {});
          ledger.fault(`+${sched.now - sched.start} ${node.id} killed by the poison step of ${info.runId}`);
          sched.kill(node);
          this.killed(node);
          return;
        }
        const readyAt = sched.now + sched.rng.between(0, 400);
        attempt(next).then(
          (value) => sched.enqueue(node, `${label} → ok`, () => resolve(value), { readyAt }),
          (error: unknown) => sched.enqueue(node, `${label} → error`, () => reject(error), { readyAt }),
        );
      });
    });
  }
}
