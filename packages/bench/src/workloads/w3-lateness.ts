import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { measureShape, type ShapeResult } from "../shape.js";
import { startRuns } from "../start-runs.js";
import { quantile } from "../stats.js";
import { waitUntil } from "../wait-until.js";
import { sleeper } from "../workflows.js";

export const W3_RUNS = 300;
export const W3_SLEEP = "2s";
/** Starts are paced at least this far apart, so the last arrive ~1 s after the first runs wake. */
export const W3_PACE_MS = 10;

/** What one W3 run measured (lateness in milliseconds). */
export interface W3Result extends ShapeResult {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Runs seen `suspended` in the database, with their `wake_at`, while they slept. */
  seenSuspended: number;
  /** Starts that returned after the first run had woken. */
  startsAfterFirstWake: number;
}

/**
 * W3: 300 runs each sleep 2 s, started one by one (awaited, at least 10 ms apart), so starts keep arriving
 * while the first runs wake. While they sleep the database is watched: each must be `suspended` with a
 * `wake_at`. Lateness = the sleep's journal entry time (written when the run woke) − that due time, both
 * on the database's clock.
 * @example
 * const { p99 } = await runW3(db);
 */
export async function runW3(db: BenchDatabase): Promise<W3Result> {
  const worker = benchWorker(db.store, db.logger);
  await worker.start();
  const due = new Map<string, number>();
  const watch = async () => {
    const { rows } = await db.observer.query<{ id: string; wake_at: Date }>(
      "SELECT id, wake_at FROM durable.runs WHERE status = 'suspended' AND wake_at IS NOT NULL",
    );
    for (const row of rows) due.set(row.id, row.wake_at.getTime());
  };
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      await watch();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let lastStartAt = 0;
  const shape = await measureShape(db, W3_RUNS, 2, async () => {
    const started = performance.now();
    const input = { sleep: W3_SLEEP };
    const startLatencies = await startRuns(
      db.clientStore,
      sleeper,
      input,
      W3_RUNS,
      1,
      "bench-sleep",
      W3_PACE_MS,
    );
    lastStartAt = Date.now();
    const startSeconds = (performance.now() - started) / 1000;
    await waitUntil(
      "W3 runs to complete",
      60_000,
      async () => (await statusCounts(db)).completed === W3_RUNS,
    );
    return { startLatencies, startSeconds };
  });
  watching = false;
  await watcher;
  await worker.stop();
  const { rows } = await db.observer.query<{ run_id: string; completed_at: Date }>(
    "SELECT run_id, completed_at FROM durable.journal WHERE kind = 'sleep'",
  );
  const lateness = rows.flatMap((row) => {
    const at = due.get(row.run_id);
    return at === undefined ? [] : [row.completed_at.getTime() - at];
  });
  const firstWake = Math.min(...rows.map((r) => r.completed_at.getTime()));
  const { rows: late } = await db.observer.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM durable.runs WHERE created_at > to_timestamp($1 / 1000.0)",
    [firstWake],
  );
  return {
    ...shape,
    p50: quantile(lateness, 0.5),
    p95: quantile(lateness, 0.95),
    p99: quantile(lateness, 0.99),
    max: Math.max(...lateness),
    seenSuspended: due.size,
    startsAfterFirstWake: lastStartAt > firstWake ? (late[0]?.n ?? 0) : 0,
  };
}
