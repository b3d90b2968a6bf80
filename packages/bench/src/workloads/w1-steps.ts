import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { startRuns } from "../start-runs.js";
import type { StatementTally } from "../statement-counter.js";
import { waitUntil } from "../wait-until.js";
import { trivialSteps } from "../workflows.js";

export const W1_RUNS = 500;
export const W1_STEPS = 10;

/** What one W1 run measured. */
export interface W1Result {
  seconds: number;
  workflowsPerSecond: number;
  stepsPerSecond: number;
  statementsPerStep: number;
  tally: StatementTally;
}

/**
 * W1: 500 runs of 10 trivial steps are created first; one worker then executes them all. Timed from the
 * worker's start to the last completion; every statement the worker sends is counted.
 * @example
 * const { stepsPerSecond } = await runW1(db);
 */
export async function runW1(db: BenchDatabase): Promise<W1Result> {
  await startRuns(db.clientStore, trivialSteps, { steps: W1_STEPS }, W1_RUNS);
  const worker = benchWorker(db.store, db.logger);
  db.pool.reset();
  const started = performance.now();
  await worker.start();
  await waitUntil("W1 runs to complete", 120_000, async () => (await statusCounts(db)).completed === W1_RUNS);
  const seconds = (performance.now() - started) / 1000;
  const tally = db.pool.reset();
  await worker.stop();
  const steps = W1_RUNS * W1_STEPS;
  return {
    seconds,
    workflowsPerSecond: W1_RUNS / seconds,
    stepsPerSecond: steps / seconds,
    statementsPerStep: tally.total / steps,
    tally,
  };
}
