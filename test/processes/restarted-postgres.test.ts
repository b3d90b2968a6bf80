import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executionCounts } from "../support/execution-checks.js";
import { type PrivateCluster, startPrivateCluster } from "../support/private-cluster.js";
import { createProcessEnv, type ProcessEnv } from "../support/process-env.js";
import { waitFor } from "../support/wait-for.js";
import { startWorkers, type WorkerProcess } from "../support/worker-processes.js";

const RUNS = 200;

// The server restarted here is a cluster of this test's own, so other tests on the machine's server
// never see their connections cut.
describe("Postgres restarted while runs are in flight", () => {
  let cluster: PrivateCluster;
  let env: ProcessEnv;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    env = await createProcessEnv(cluster.url);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await env?.close().catch(() => {});
    await cluster?.destroy();
  });

  it("does not stop the workers: every run completes and every worker exits 0 on SIGTERM", async () => {
    workers = await startWorkers(3, {
      databaseUrl: env.database.url,
      concurrency: 30,
      leaseMs: 2_000,
      heartbeatMs: 500,
    });
    await env.startRuns(RUNS, { stepMs: [40, 40, 40, 40, 40], sleepAfter: 2, sleep: "300ms" });
    await waitFor("a third of the runs to complete", 60_000, async () => {
      const counts = await env.statusCounts();
      return (counts.completed ?? 0) >= RUNS / 3;
    });
    const before = await env.statusCounts();
    const started = Date.now();
    await cluster.restart();
    const downMs = Date.now() - started;
    // The test's own connection died with the server too.
    await env.reconnect();
    await env.waitForCompleted(RUNS, 90_000);

    const counts = await executionCounts(env.admin);
    const alive = workers.filter((w) => w.alive).length;
    const exitCodes = [];
    for (const worker of workers) exitCodes.push(await worker.stop());
    console.log(
      `restarted postgres: runs=${counts.runs} completed=${counts.completed} steps=${counts.steps} executions=${counts.executions} duplicates=${counts.duplicates} doubleJournaled=${counts.doubleJournaled} unproven=${counts.unproven} atRestart=${JSON.stringify(before)} restartMs=${downMs} workersAlive=${alive}/3 exitCodes=${exitCodes.join(",")}`,
    );

    expect(before.completed ?? 0).toBeLessThan(RUNS);
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
