import { describe, expect, it } from "vitest";
import { executionCounts, executions } from "../support/execution-checks.js";
import { useProcessEnv } from "../support/use-process-env.js";
import { waitFor } from "../support/wait-for.js";
import type { WorkerProcess } from "../support/worker-processes.js";

const RUNS = 20;
const LEASE_MS = 30_000;

describe("a worker process stopped with SIGTERM while its steps run", () => {
  const scope = useProcessEnv();

  it("journals its running steps, exits 0 and hands its runs over at once, long before their leases expire", async () => {
    const workers = await scope.startWorkers(2, { concurrency: 10, leaseMs: LEASE_MS });
    const [drained, other] = workers as [WorkerProcess, WorkerProcess];
    await scope.env.startRuns(RUNS, { stepMs: [10, 1_500, 10, 10] });
    await waitFor("every run to be inside the long step", 30_000, async () => {
      const started = (await executions(scope.env.admin)).filter((e) => e.step === "step-1");
      return new Set(started.map((e) => e.runId)).size === RUNS;
    });
    const held = (await executions(scope.env.admin))
      .filter((e) => e.pid === drained.pid && e.step === "step-1")
      .map((e) => e.runId);
    const stoppedAt = await scope.env.now();
    const exitCode = await drained.stop();
    const exitedMs = (await scope.env.now()).getTime() - stoppedAt.getTime();

    await scope.env.waitForCompleted(RUNS, 20_000);
    const all = await executions(scope.env.admin);
    const counts = await executionCounts(scope.env.admin);
    const takenOver = all.filter((e) => e.pid === other.pid && held.includes(e.runId));
    const handoverMs = Math.min(...takenOver.map((e) => e.startedAt.getTime())) - stoppedAt.getTime();
    const longStepsByDrained = all.filter((e) => e.pid === drained.pid && e.step === "step-1");
    const refused = workers.flatMap((w) => w.reportsOf("refused"));
    console.log(
      `drained worker: runs=${counts.runs} completed=${counts.completed} steps=${counts.steps} executions=${counts.executions} held=${held.length} journaledByDrained=${longStepsByDrained.filter((e) => e.journaled).length} duplicates=${counts.duplicates} refusedWrites=${refused.length} exitCode=${exitCode} exitedAfterMs=${exitedMs} handoverAfterMs=${handoverMs}`,
    );

    expect(held.length).toBeGreaterThan(0);
    expect(exitCode).toBe(0);
    expect(counts).toMatchObject({ completed: RUNS, steps: RUNS * 4, duplicates: 0, unproven: 0 });
    // The steps running at SIGTERM finished within the grace and their results were kept.
    expect(longStepsByDrained.every((e) => e.journaled)).toBe(true);
    expect(takenOver.length).toBeGreaterThan(0);
    expect(handoverMs).toBeLessThan(LEASE_MS / 3);
    expect(refused).toEqual([]);
    expect(await other.stop()).toBe(0);
  });
});
