import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { measureShape, type ShapeResult } from "../shape.js";
import { startRuns } from "../start-runs.js";
import { waitUntil } from "../wait-until.js";
import { trivialSteps } from "../workflows.js";

export const W1_RUNS = 500;
export const W1_STEPS = 10;

/**
 * W1, easy shape (precreated): 500 runs of 10 trivial steps are created first; one worker then executes
 * them all. Timed from the worker's start to the last completion. Users do not send work this way:
 * `runW1Interleaved` is their shape.
 * @example
 * const { stepsPerSecond } = await runW1(db);
 */
export async function runW1(db: BenchDatabase): Promise<ShapeResult> {
  await startRuns(db.clientStore, trivialSteps, { steps: W1_STEPS }, W1_RUNS);
  const worker = benchWorker(db.store, db.logger);
  const result = await measureShape(db, W1_RUNS, W1_STEPS, async () => {
    await worker.start();
    await waitUntil(
      "W1 runs to complete",
      120_000,
      async () => (await statusCounts(db)).completed === W1_RUNS,
    );
    return { startLatencies: [], startSeconds: 0 };
  });
  await worker.stop();
  return result;
}
