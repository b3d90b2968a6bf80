import { describe, expect, it } from "vitest";
import { executionCounts, executions } from "../support/execution-checks.js";
import { useProcessEnv } from "../support/use-process-env.js";

const RUNS = 300;

describe("three worker processes on one database", () => {
  const scope = useProcessEnv();

  it("complete 300 runs of five steps and a sleep, each step executed once and never on two workers at once", async () => {
    const workers = await scope.startWorkers(3, { concurrency: 40 });
    const started = Date.now();
    await scope.env.startRuns(RUNS, { stepMs: [5, 5, 5, 5, 5], sleepAfter: 3, sleep: "200ms" });
    await scope.env.waitForCompleted(RUNS, 90_000);
    const seconds = (Date.now() - started) / 1000;

    const counts = await executionCounts(scope.env.admin);
    const refused = workers.flatMap((w) => w.reportsOf("refused"));
    const byPid = new Map<number, number>();
    for (const e of await executions(scope.env.admin)) byPid.set(e.pid, (byPid.get(e.pid) ?? 0) + 1);
    console.log(
      `three workers: runs=${counts.runs} completed=${counts.completed} steps=${counts.steps} executions=${counts.executions} duplicates=${counts.duplicates} overlaps=${counts.overlaps} unproven=${counts.unproven} doubleJournaled=${counts.doubleJournaled} refusedWrites=${refused.length} stepsPerWorker=${[...byPid.values()].join("/")} seconds=${seconds.toFixed(1)}`,
    );

    expect(counts).toMatchObject({ runs: RUNS, completed: RUNS, steps: RUNS * 5, executions: RUNS * 5 });
    expect(counts).toMatchObject({ duplicates: 0, overlaps: 0, unproven: 0, doubleJournaled: 0 });
    expect(refused).toEqual([]);
    expect([...byPid.keys()].sort()).toEqual(workers.map((w) => w.pid).sort());
    for (const worker of workers) expect(await worker.stop()).toBe(0);
  });
});
