import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { startRuns } from "../start-runs.js";
import { quantile } from "../stats.js";
import { waitUntil } from "../wait-until.js";
import { sleeper } from "../workflows.js";

export const W3_RUNS = 300;
export const W3_SLEEP = "2s";

/** What one W3 run measured (lateness in milliseconds). */
export interface W3Result {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Runs seen `suspended` in the database, with their `wake_at`, while they slept. */
  seenSuspended: number;
  seconds: number;
}

/**
 * W3: 300 runs each sleep 2 s. While they sleep the database is watched: each must be `suspended` with a
 * `wake_at` (the due time). Lateness is the sleep's journal entry time (written when the run woke and
 * fired it) minus that due time, both on the database's clock.
 * @example
 * const { p99 } = await runW3(db);
 */
export async function runW3(db: BenchDatabase): Promise<W3Result> {
  const worker = benchWorker(db.store, db.logger);
  await worker.start();
  const started = performance.now();
  const due = new Map<string, number>();
  const watch = async () => {
    const { rows } = await db.observer.query<{ id: string; wake_at: Date }>(
      "SELECT id, wake_at FROM durable.runs WHERE status = 'suspended' AND wake_at IS NOT NULL",
    );
    for (const row of rows) due.set(row.id, row.wake_at.getTime());
  };
  await startRuns(db.clientStore, sleeper, { sleep: W3_SLEEP }, W3_RUNS);
  await waitUntil("W3 runs to complete", 60_000, async () => {
    await watch();
    return (await statusCounts(db)).completed === W3_RUNS;
  });
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const { rows } = await db.observer.query<{ run_id: string; completed_at: Date }>(
    "SELECT run_id, completed_at FROM durable.journal WHERE kind = 'sleep'",
  );
  const lateness = rows.flatMap((row) => {
    const at = due.get(row.run_id);
    return at === undefined ? [] : [row.completed_at.getTime() - at];
  });
  return {
    p50: quantile(lateness, 0.5),
    p95: quantile(lateness, 0.95),
    p99: quantile(lateness, 0.99),
    max: Math.max(...lateness),
    seenSuspended: due.size,
    seconds,
  };
}
