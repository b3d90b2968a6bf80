import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { startRuns } from "../start-runs.js";
import { waitUntil } from "../wait-until.js";
import { oneStep } from "../workflows.js";

export const W2_RUNS = 5_000;

/** What one W2 run measured. */
export interface W2Result {
  seconds: number;
  /** How long creating the runs took (the client's share, overlapping the worker's). */
  startSeconds: number;
  workflowsPerSecond: number;
}

/**
 * W2: with the worker idle and listening, 5,000 one-step runs are started at once (64 client calls in
 * flight); timed from the first start to the last completion.
 * @example
 * const { workflowsPerSecond } = await runW2(db);
 */
export async function runW2(db: BenchDatabase): Promise<W2Result> {
  const worker = benchWorker(db.store, db.logger);
  await worker.start();
  const started = performance.now();
  await startRuns(db.clientStore, oneStep, undefined, W2_RUNS);
  const startSeconds = (performance.now() - started) / 1000;
  await waitUntil("W2 runs to complete", 120_000, async () => (await statusCounts(db)).completed === W2_RUNS);
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  return { seconds, startSeconds, workflowsPerSecond: W2_RUNS / seconds };
}
