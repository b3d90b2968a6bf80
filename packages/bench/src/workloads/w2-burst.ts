import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { measureShape, type ShapeResult } from "../shape.js";
import { startRuns } from "../start-runs.js";
import { waitUntil } from "../wait-until.js";
import { oneStep } from "../workflows.js";

export const W2_RUNS = 5_000;

/**
 * W2: with the worker idle and listening, 5,000 one-step runs are started at once (every `client.start`
 * in flight together); timed from the first start to the last completion.
 * @example
 * const { workflowsPerSecond } = await runW2(db);
 */
export async function runW2(db: BenchDatabase): Promise<ShapeResult> {
  const worker = benchWorker(db.store, db.logger);
  await worker.start();
  const result = await measureShape(db, W2_RUNS, 1, async () => {
    const started = performance.now();
    const startLatencies = await startRuns(db.clientStore, oneStep, undefined, W2_RUNS, W2_RUNS);
    const startSeconds = (performance.now() - started) / 1000;
    await waitUntil(
      "W2 runs to complete",
      180_000,
      async () => (await statusCounts(db)).completed === W2_RUNS,
    );
    return { startLatencies, startSeconds };
  });
  await worker.stop();
  return result;
}
