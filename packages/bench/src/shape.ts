import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { BenchDatabase } from "./bench-database.js";
import { cpuWindow } from "./cpu.js";
import type { StatementTally } from "./statement-counter.js";
import { quantile } from "./stats.js";

/** What one run of a users'-shape workload measured. */
export interface ShapeResult {
  seconds: number;
  runs: number;
  steps: number;
  stepsPerSecond: number;
  workflowsPerSecond: number;
  /** From the first start to the last start's return. */
  startSeconds: number;
  /** `client.start` latency, ms (NaN where the runs were created before the window). */
  startP50: number;
  startP99: number;
  /** CPU seconds per step: the Node processes, and the database's Postgres backends. */
  nodeCpuPerStep: number;
  postgresCpuPerStep: number;
  /** Statements the workers sent, per step; the workers' and the starts' together, per run. */
  statementsPerStep: number;
  statementsPerRun: number;
  /** The workers' statements by kind. */
  tally: StatementTally;
  /** This process's event-loop delay, ms: how long a ready callback (a start's reply) waited. */
  loopDelayP50: number;
  loopDelayP99: number;
  /** The one-minute load average when the window closed. */
  load: number;
}

/** What a workload body reports back to `measureShape`. */
export interface ShapeBody {
  /** ms of each `client.start` inside the window. */
  startLatencies: number[];
  startSeconds: number;
  /** Statements and CPU seconds of worker processes other than this one. */
  childStatements?: number;
  childCpuSeconds?: number;
}

/**
 * Runs `body` inside one measured window on `db`: wall time, CPU (this process + the database's backends),
 * statements of the worker pool and the starting pool, start latency.
 * @example
 * const r = await measureShape(db, 500, 10, async () => ({ startLatencies, startSeconds }));
 */
export async function measureShape(
  db: BenchDatabase,
  runs: number,
  stepsPerRun: number,
  body: () => Promise<ShapeBody>,
): Promise<ShapeResult> {
  db.pool.reset();
  db.clientPool.reset();
  const spent = cpuWindow(db.name);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const out = await body();
  const seconds = (performance.now() - started) / 1000;
  loop.disable();
  const cpu = spent(out.childCpuSeconds ?? 0);
  const tally = db.pool.reset();
  const workerStatements = tally.total + (out.childStatements ?? 0);
  const steps = runs * stepsPerRun;
  return {
    seconds,
    runs,
    steps,
    stepsPerSecond: steps / seconds,
    workflowsPerSecond: runs / seconds,
    startSeconds: out.startSeconds,
    startP50: quantile(out.startLatencies, 0.5),
    startP99: quantile(out.startLatencies, 0.99),
    nodeCpuPerStep: cpu.nodeSeconds / steps,
    postgresCpuPerStep: cpu.postgresSeconds / steps,
    statementsPerStep: workerStatements / steps,
    statementsPerRun: (workerStatements + db.clientPool.reset().total) / runs,
    tally,
    loopDelayP50: loop.percentile(50) / 1e6,
    loopDelayP99: loop.percentile(99) / 1e6,
    load: loadavg()[0] ?? Number.NaN,
  };
}
