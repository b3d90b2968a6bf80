import type { Store } from "@durable/core";
import { planClients } from "./clients.js";
import { Cluster, WORKER_SETTINGS } from "./cluster.js";
import { chooseFaults, type FaultRates, nodeFaults } from "./faults.js";
import { checkInvariants } from "./invariants.js";
import { Ledger } from "./ledger.js";
import { type RunEnd, Scheduler } from "./scheduler.js";
import { openSimStore, type StoreKind } from "./sim-stores.js";
import { allRuns, generateWorkload, simWorkflow, type Workload } from "./workload.js";

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
  /** Steps that ran in more than one activation (allowed where a fault explains them). */
  reexecuted: number;
  virtualMs: number;
}

const WORKERS = 3;
const FINAL = ["completed", "failed", "cancelled", "blocked"];
/** Virtual time after the last planned client action within which every run must have ended. */
const SETTLE_MS = 300_000;

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
  const ledger = new Ledger(WORKER_SETTINGS.leaseMs);
  const opened = await openSimStore(options.store, sched);
  const shared = options.wrapStore ? options.wrapStore(opened.store) : opened.store;
  const sim = { sched, shared, ledger, rates, workflow: simWorkflow(ledger) };
  const cluster = new Cluster(sim);
  for (let i = 0; i < WORKERS; i++) cluster.spawn();
  planClients(sim, workload);

  const lastAction = Math.max(0, ...workload.runs.map((r) => r.startAt), ...workload.events.map((e) => e.at));
  const ids = allRuns(workload).map((r) => r.id);
  let lastCheck = sched.start;
  const end = await sched.run({
    horizon: sched.start + lastAction + SETTLE_MS,
    beforeStep: nodeFaults({
      sched,
      ledger,
      faults: rates,
      leaseMs: WORKER_SETTINGS.leaseMs,
      nodes: () => cluster.nodes(),
      onKill: (node) => cluster.killed(node),
    }),
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
  await cluster.teardown();
  await opened.close();
  return {
    seed: options.seed,
    store: options.store,
    end,
    violations,
    trace: sched.trace,
    faults: ledger.faults,
    workload,
    rates,
    reexecuted: ledger.reexecutedSteps(),
    virtualMs: sched.now - sched.start,
  };
}
