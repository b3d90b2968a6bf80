import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executionCounts } from "../support/execution-checks.js";
import { createProcessEnv, type ProcessEnv } from "../support/process-env.js";
import { startWorkers, type WorkerProcess } from "../support/worker-processes.js";

const RUNS = 30;

describe("worker processes started at once on a database nobody has migrated", () => {
  let env: ProcessEnv;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    env = await createProcessEnv(undefined, { migrated: false });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await env?.close();
  });

  it("migrate it once between them and the client, then run every run", async () => {
    workers = await startWorkers(3, { databaseUrl: env.database.url, migrate: true });
    await env.startRuns(RUNS, { stepMs: [5, 5] });
    await env.waitForCompleted(RUNS, 60_000);

    const { rows } = await env.admin.query<{ version: number; n: number }>(
      "SELECT version, count(*)::int AS n FROM durable.migrations GROUP BY version ORDER BY version",
    );
    const counts = await executionCounts(env.admin);
    const errors = workers.flatMap((w) => w.stderr).filter((line) => /migrat/i.test(line));
    console.log(
      `concurrent migrations: migrations=${rows.map((r) => `${r.version}x${r.n}`).join(",")} runs=${counts.runs} completed=${counts.completed} steps=${counts.steps} duplicates=${counts.duplicates} migrationLogLines=${errors.length}`,
    );

    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(counts).toMatchObject({ completed: RUNS, steps: RUNS * 2, duplicates: 0 });
    expect(errors).toEqual([]);
    for (const worker of workers) expect(await worker.stop()).toBe(0);
  });
});
