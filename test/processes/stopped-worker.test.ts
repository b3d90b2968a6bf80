import { describe, expect, it } from "vitest";
import { executionCounts, executions } from "../support/execution-checks.js";
import { useProcessEnv } from "../support/use-process-env.js";
import { waitFor } from "../support/wait-for.js";
import type { WorkerProcess } from "../support/worker-processes.js";

const RUNS = 20;
const LONG_STEP_MS = 3_000;

describe("a worker process paused with SIGSTOP past its lease", () => {
  const scope = useProcessEnv();

  it("has its next journal write refused after SIGCONT, and the journal keeps no write of its after the takeover", async () => {
    const workers = await scope.startWorkers(2, { concurrency: 10, leaseMs: 2_000, heartbeatMs: 500 });
    const [paused, other] = workers as [WorkerProcess, WorkerProcess];
    await scope.env.startRuns(RUNS, { stepMs: [10, LONG_STEP_MS, 10] });

    // Every run is inside the long step (each worker holds its share), so the paused worker's runs are too.
    await waitFor("every run to be inside the long step", 30_000, async () => {
      const started = (await executions(scope.env.admin)).filter((e) => e.step === "step-1");
      return new Set(started.map((e) => e.runId)).size === RUNS;
    });
    paused.signal("SIGSTOP");
    const stoppedAt = await scope.env.now();
    const workerId = paused.reportsOf("ready")[0]?.workerId;
    const { rows: leased } = await scope.env.admin.query<{ id: string }>(
      "SELECT id FROM durable.runs WHERE lease_owner = $1",
      [workerId],
    );
    const held = leased.map((r) => r.id);

    await waitFor("the other worker to take over every run the paused one held", 30_000, async () => {
      const taken = (await executions(scope.env.admin)).filter(
        (e) => e.pid === other.pid && e.step === "step-1",
      );
      return held.every((runId) => taken.some((e) => e.runId === runId));
    });
    paused.signal("SIGCONT");
    const resumedAt = await scope.env.now();

    await waitFor("the paused worker to have its writes refused", 30_000, () =>
      held.every((runId) => paused.reportsOf("refused").some((r) => r.runId === runId)),
    );
    await scope.env.waitForCompleted(RUNS, 60_000);
    const all = await executions(scope.env.admin);
    const counts = await executionCounts(scope.env.admin);
    const refused = paused.reportsOf("refused");
    const { rows } = await scope.env.admin.query<{ stale: number; byPaused: number }>(
      `SELECT count(*) FILTER (WHERE e.ended_at > $2)::int AS stale, count(*)::int AS "byPaused"
       FROM durable.journal j JOIN step_executions e ON e.id = (j.result->'json'->>'execution')::bigint
       WHERE j.kind = 'call' AND e.pid = $1`,
      [paused.pid, stoppedAt],
    );
    const { stale, byPaused } = rows[0] as { stale: number; byPaused: number };
    const afterResume = all.filter((e) => e.pid === paused.pid && e.startedAt > resumedAt);
    console.log(
      `paused worker: runs=${counts.runs} completed=${counts.completed} steps=${counts.steps} executions=${counts.executions} heldAtStop=${held.length} refusedWrites=${refused.length} (${[...new Set(refused.map((r) => r.code))].join(",")}) staleWritesAccepted=${stale} journaledByPausedBeforeStop=${byPaused} executionsAfterResume=${afterResume.length} duplicates=${counts.duplicates} overlaps=${counts.overlaps}`,
    );

    expect(held.length).toBeGreaterThan(0);
    const inLongStep = all.filter(
      (e) => e.pid === paused.pid && e.step === "step-1" && e.startedAt < stoppedAt,
    );
    expect(inLongStep.map((e) => e.runId).sort()).toEqual([...held].sort());
    expect(counts).toMatchObject({
      runs: RUNS,
      completed: RUNS,
      steps: RUNS * 3,
      unproven: 0,
      doubleJournaled: 0,
    });
    // The first write of each held run after SIGCONT is the long step's result, refused for the lost lease.
    for (const runId of held) {
      const first = refused.find((r) => r.runId === runId);
      expect(first).toMatchObject({ call: "appendJournal", seq: 1, code: "lease_lost" });
    }
    expect(refused.every((r) => held.includes(r.runId) && r.code === "lease_lost")).toBe(true);
    // No journal row holds a result the paused worker produced after it was stopped.
    expect(stale).toBe(0);
    // It started no step after it was resumed: it dropped the runs.
    expect(afterResume).toEqual([]);
    // Each held run's long step ran twice (the paused attempt and the takeover); every other step once.
    expect(counts.duplicates).toBe(held.length);
    expect(other.reportsOf("refused")).toEqual([]);
    for (const worker of workers) expect(await worker.stop()).toBe(0);
  });
});
