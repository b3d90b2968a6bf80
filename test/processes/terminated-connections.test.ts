import { describe, expect, it } from "vitest";
import { executionCounts } from "../support/execution-checks.js";
import { useProcessEnv } from "../support/use-process-env.js";
import { waitFor } from "../support/wait-for.js";

const RUNS = 200;

describe("every connection of the database terminated while runs are in flight", () => {
  const scope = useProcessEnv();

  /** Ends every backend of the test database but the test's own connection; resolves to how many. */
  const terminateAll = async () => {
    const { rows } = await scope.env.admin.query<{ n: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows[0]?.n ?? 0;
  };

  it("does not stop the workers: every run completes and every worker exits 0 on SIGTERM", async () => {
    const workers = await scope.startWorkers(3, { concurrency: 30, leaseMs: 2_000, heartbeatMs: 500 });
    await scope.env.startRuns(RUNS, { stepMs: [40, 40, 40, 40, 40], sleepAfter: 2, sleep: "300ms" });

    const terminated: number[] = [];
    for (const share of [0.2, 0.5]) {
      await waitFor(`${share * 100}% of the runs to complete`, 60_000, async () => {
        const counts = await scope.env.statusCounts();
        return (counts.completed ?? 0) >= RUNS * share;
      });
      const before = await scope.env.statusCounts();
      terminated.push(await terminateAll());
      console.log(`terminated ${terminated.at(-1)} backends with runs ${JSON.stringify(before)}`);
    }
    await scope.env.waitForCompleted(RUNS, 90_000);

    const counts = await executionCounts(scope.env.admin);
    const alive = workers.filter((w) => w.alive).length;
    const refused = workers.flatMap((w) => w.reportsOf("refused"));
    const warnings = workers.reduce((n, w) => n + w.stderr.length, 0);
    const exitCodes = [];
    for (const worker of workers) exitCodes.push(await worker.stop());
    console.log(
      `terminated connections: runs=${counts.runs} completed=${counts.completed} steps=${counts.steps} executions=${counts.executions} duplicates=${counts.duplicates} doubleJournaled=${counts.doubleJournaled} unproven=${counts.unproven} terminatedBackends=${terminated.join("+")} refusedWrites=${refused.length} workerLogLines=${warnings} workersAlive=${alive}/3 exitCodes=${exitCodes.join(",")}`,
    );

    expect(terminated.every((n) => n >= 3)).toBe(true);
    expect(counts).toMatchObject({
      runs: RUNS,
      completed: RUNS,
      steps: RUNS * 5,
      unproven: 0,
      doubleJournaled: 0,
    });
    expect(alive).toBe(3);
    expect(exitCodes).toEqual([0, 0, 0]);
  });
});
