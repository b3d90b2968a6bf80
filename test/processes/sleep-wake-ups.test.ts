import { describe, expect, it } from "vitest";
import { useProcessEnv } from "../support/use-process-env.js";
import { waitFor } from "../support/wait-for.js";

// The worker once kept one local timer, for the earliest wake-up it had heard of, and never re-armed it for
// the next sleeper: every later sleep ended at the next fallback poll instead of on time (DESIGN.md,
// "Claiming and leases"). Found by this test; fixed in packages/core (062a6ed). The poll is 10 s here, so a
// wake-up that waits for it cannot pass.
describe("a worker holding runs that sleep for different lengths", () => {
  const scope = useProcessEnv();

  it("wakes each run when its own sleep ends, not at the next poll", async () => {
    const workers = await scope.startWorkers(1, { pollMs: 10_000 });
    const sleeps = ["500ms", "1500ms", "2500ms"];
    const ids = await scope.env.startRuns(sleeps.length, (i) => ({
      stepMs: [5, 5],
      sleepAfter: 1,
      sleep: sleeps[i] as string,
    }));

    const due = new Map<string, number>();
    await waitFor(
      "every run to sleep and then complete",
      30_000,
      async () => {
        const { rows } = await scope.env.admin.query<{ id: string; status: string; wake_at: Date | null }>(
          "SELECT id, status, wake_at FROM durable.runs",
        );
        for (const r of rows) if (r.status === "suspended" && r.wake_at) due.set(r.id, r.wake_at.getTime());
        return rows.length === ids.length && rows.every((r) => r.status === "completed");
      },
      20,
    );
    const { rows } = await scope.env.admin.query<{ run_id: string; completed_at: Date }>(
      "SELECT run_id, completed_at FROM durable.journal WHERE kind = 'sleep' ORDER BY run_id",
    );
    const lateness = rows.map((r) => r.completed_at.getTime() - (due.get(r.run_id) ?? Number.NaN));
    console.log(`wake timer: sleeps=${sleeps.join(",")} latenessMs=${lateness.join(",")}`);

    expect(due.size).toBe(ids.length);
    for (const ms of lateness) expect(ms).toBeLessThan(300);
    expect(await workers[0]?.stop()).toBe(0);
  });
});
