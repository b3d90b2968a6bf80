import type { Store, WorkerObserver } from "@durable/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one worker process, and the observer that feeds them. */
export interface WorkerMetrics {
  registry: Registry;
  observer: WorkerObserver;
}

/**
 * Creates the worker's metrics: runs started and finished by status, activations, steps and step
 * failures, claim batch sizes, lease renewals, journal append latency, and — read from the store at each
 * scrape — due runs not yet claimed and how long the oldest has waited (lag).
 * @example
 * const metrics = createWorkerMetrics(store, ["onboarding"]);
 * new Worker({ store, workflows, observer: metrics.observer });
 */
export function createWorkerMetrics(store: Store, workflows: readonly string[]): WorkerMetrics {
  const registry = new Registry();
  const registers = [registry];
  // Created in this order so the scrape lists the metrics in it.
  const counters = runAndStepCounters(registers);
  const timings = claimAndAppendMetrics(registers);
  dueGauges(store, workflows, registers);
  return { registry, observer: observerOf(counters, timings) };
}

type RunAndStepCounters = ReturnType<typeof runAndStepCounters>;
type ClaimAndAppendMetrics = ReturnType<typeof claimAndAppendMetrics>;

function runAndStepCounters(registers: Registry[]) {
  const started = new Counter({
    name: "durable_runs_started_total",
    help: "Runs that began their first activation on this worker",
    labelNames: ["workflow"],
    registers,
  });
  const finished = new Counter({
    name: "durable_runs_finished_total",
    help: "Runs that ended on this worker, by status (completed, failed, cancelled, blocked, continued)",
    labelNames: ["workflow", "status"],
    registers,
  });
  const activations = new Counter({
    name: "durable_activations_total",
    help: "Activations by outcome (including suspended and released)",
    labelNames: ["workflow", "outcome"],
    registers,
  });
  const steps = new Counter({
    name: "durable_step_attempts_total",
    help: "Step attempts executed on this worker",
    labelNames: ["workflow", "step"],
    registers,
  });
  const failures = new Counter({
    name: "durable_step_failures_total",
    help: "Step attempts that threw",
    labelNames: ["workflow", "step"],
    registers,
  });
  return { started, finished, activations, steps, failures };
}

function claimAndAppendMetrics(registers: Registry[]) {
  const batches = new Histogram({
    name: "durable_claim_batch_size",
    help: "Runs returned by each claim",
    buckets: [0, 1, 2, 5, 10, 20, 50, 100, 200],
    registers,
  });
  const renewals = new Counter({
    name: "durable_lease_renewals_total",
    help: "Leases renewed by heartbeats",
    registers,
  });
  const appends = new Histogram({
    name: "durable_journal_append_seconds",
    help: "Latency of one journal append (the hot path's only write per step)",
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers,
  });
  return { batches, renewals, appends };
}

/** Gauges read from the store at each scrape: due, unclaimed runs and how long the oldest has waited. */
function dueGauges(store: Store, workflows: readonly string[], registers: Registry[]): void {
  new Gauge({
    name: "durable_due_runs",
    help: "Runs due and not yet claimed by any worker",
    registers,
    async collect() {
      const stats = await dueStats(store, workflows);
      this.set(stats.count);
    },
  });
  new Gauge({
    name: "durable_due_lag_seconds",
    help: "How long the oldest due, unclaimed run has waited",
    registers,
    async collect() {
      const stats = await dueStats(store, workflows);
      const now = await store.now();
      this.set(stats.oldestDueAt ? Math.max(0, (now.getTime() - stats.oldestDueAt.getTime()) / 1000) : 0);
    },
  });
}

function observerOf(
  { started, finished, activations, steps, failures }: RunAndStepCounters,
  { batches, renewals, appends }: ClaimAndAppendMetrics,
): WorkerObserver {
  return {
    claimed: (count) => batches.observe(count),
    activationStarted: (workflow, firstStart) => {
      if (firstStart) started.inc({ workflow });
    },
    activationEnded: (workflow, outcome) => {
      activations.inc({ workflow, outcome });
      if (!["suspended", "released"].includes(outcome)) finished.inc({ workflow, status: outcome });
    },
    stepAttempt: (workflow, step, ok) => {
      steps.inc({ workflow, step });
      if (!ok) failures.inc({ workflow, step });
    },
    journalAppended: (ms) => appends.observe(ms / 1000),
    leasesRenewed: (count) => renewals.inc(count),
  };
}

async function dueStats(
  store: Store,
  workflows: readonly string[],
): Promise<{ count: number; oldestDueAt?: Date }> {
  return store.dueStats ? store.dueStats(workflows) : { count: 0 };
}
