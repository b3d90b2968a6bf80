import { describe, expect, it } from "vitest";
import { type ExecutionRow, executionCounts, executions, groupBy } from "../support/execution-checks.js";
import { useProcessEnv } from "../support/use-process-env.js";
import { waitFor } from "../support/wait-for.js";
import type { WorkerProcess } from "../support/worker-processes.js";

const RUNS = 60;
const LEASE_MS = 2_000;
const HEARTBEAT_MS = 500;

describe("a worker process killed with SIGKILL", () => {
  const scope = useProcessEnv();

  it("loses its runs to the other workers once its leases expire, and no journaled step runs twice", async () => {
    const workers = await scope.startWorkers(3, {
      concurrency: 10,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
    });
    const [victim, ...survivors] = workers as [WorkerProcess, ...WorkerProcess[]];
    await scope.env.startRuns(RUNS, { stepMs: [150, 150, 150, 150, 150], sleepAfter: 2, sleep: "200ms" });

    // Kill it while it holds runs with steps in flight (started, not ended), after it has journaled some.
    await waitFor("the victim to have journaled steps and steps in flight", 30_000, async () => {
      const mine = (await executions(scope.env.admin)).filter((e) => e.pid === victim.pid);
      return mine.some((e) => e.journaled) && mine.filter((e) => e.endedAt === null).length >= 3;
    });
    victim.signal("SIGKILL");
    const killedAt = await scope.env.now();
    const exit = await victim.exited;
    const { rows: leases } = await scope.env.admin.query<{ id: string; expires: Date }>(
      "SELECT id, lease_expires_at AS expires FROM durable.runs WHERE lease_owner = $1 AND status = 'running'",
      [victim.reportsOf("ready")[0]?.workerId],
    );
    const expiry = new Map(leases.map((l) => [l.id, l.expires.getTime()]));

    await scope.env.waitForCompleted(RUNS, 60_000);
    const all = await executions(scope.env.admin);
    const byVictim = all.filter((e) => e.pid === victim.pid);
    const inFlight = byVictim.filter((e) => !e.journaled);
    const journaledByVictim = byVictim.filter((e) => e.journaled);
    const counts = await executionCounts(scope.env.admin);
    const byStep = groupBy(all, (e) => `${e.runId}/${e.step}`);
    const rerun = inFlight.map((e) => byStep.get(`${e.runId}/${e.step}`) ?? []);
    const takeovers = rerun.map((group) => group.find((e) => e.pid !== victim.pid) as ExecutionRow);
    const takeoverMs = Math.min(...takeovers.map((e) => e.startedAt.getTime())) - killedAt.getTime();
    // How long before its lease expired each taken-over step started again (negative: after, as it must).
    const early = takeovers.map((e) => (expiry.get(e.runId) ?? Number.NaN) - e.startedAt.getTime());
    const refused = survivors.flatMap((w) => w.reportsOf("refused"));
    console.log(
      `killed worker: runs=${counts.runs} completed=${counts.completed} steps=${counts.steps} executions=${counts.executions} victimJournaled=${journaledByVictim.length} victimInFlight=${inFlight.length} duplicates=${counts.duplicates} unproven=${counts.unproven} doubleJournaled=${counts.doubleJournaled} refusedWrites=${refused.length} firstTakeoverAfterKillMs=${takeoverMs} latestTakeoverBeforeExpiryMs=${Math.max(...early)}`,
    );

    expect(exit.signal).toBe("SIGKILL");
    expect(inFlight.length).toBeGreaterThanOrEqual(3);
    expect(counts).toMatchObject({
      runs: RUNS,
      completed: RUNS,
      steps: RUNS * 5,
      unproven: 0,
      doubleJournaled: 0,
    });
    // A step whose result the victim journaled ran exactly once.
    for (const e of journaledByVictim) expect(byStep.get(`${e.runId}/${e.step}`)).toHaveLength(1);
    // A step in flight at the kill ran at most twice: once on the victim, once on a survivor that journaled it.
    for (const group of rerun) {
      expect(group.length).toBeLessThanOrEqual(2);
      expect(group.filter((e) => e.journaled && e.pid !== victim.pid)).toHaveLength(1);
    }
    // Every other step ran once, and only the victim's unfinished steps account for duplicates.
    expect(counts.duplicates).toBe(rerun.filter((g) => g.length === 2).length);
    // Nobody took the victim's runs before its leases expired.
    expect(early.length).toBe(inFlight.length);
    for (const ms of early) expect(ms).toBeLessThanOrEqual(0);
    expect(refused).toEqual([]);
    for (const worker of survivors) expect(await worker.stop()).toBe(0);
  });
});
