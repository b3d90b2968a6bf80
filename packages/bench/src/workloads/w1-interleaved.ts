import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { measureShape, type ShapeResult } from "../shape.js";
import { startRuns } from "../start-runs.js";
import { waitUntil } from "../wait-until.js";
import { trivialSteps } from "../workflows.js";
import { W1_RUNS, W1_STEPS } from "./w1-steps.js";

/**
 * W1 in the users' shape: one worker is running; 500 runs of 10 trivial steps are started one by one, each
 * `client.start` awaited before the next, while the worker executes the earlier ones. Timed from the
 * first start to the last completion. With `sharedStore` the starts share the worker's store (its
 * statements then count as the worker's).
 * @example
 * const { stepsPerSecond, startP50 } = await runW1Interleaved(db);
 */
export async function runW1Interleaved(db: BenchDatabase, sharedStore = false): Promise<ShapeResult> {
  // sharedStore: the starts go through the worker's own store and pool, as in one process with one store
  const starter = sharedStore ? db.store : db.clientStore;
  const worker = benchWorker(db.store, db.logger);
  await worker.start();
  const result = await measureShape(db, W1_RUNS, W1_STEPS, async () => {
    const started = performance.now();
    const startLatencies = await startRuns(starter, trivialSteps, { steps: W1_STEPS }, W1_RUNS, 1);
    const startSeconds = (performance.now() - started) / 1000;
    await waitUntil(
      "W1 runs to complete",
      180_000,
      async () => (await statusCounts(db)).completed === W1_RUNS,
    );
    return { startLatencies, startSeconds };
  });
  await worker.stop();
  return result;
}
