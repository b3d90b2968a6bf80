import { cancelledError, encode, type Store } from "@durable/core";
import { expect, it } from "vitest";
import { claim, errorEntry, newRun, okEntry, running } from "../helpers.js";

export function controlContract(store: () => Store): void {
  it("cancels a run that never started at once", async () => {
    await store().createRun(newRun("r1"));
    const change = await store().requestCancel("r1", "customer left");
    expect(change?.changed).toBe(true);
    expect(change?.run).toMatchObject({
      status: "cancelled",
      error: { name: "CancelledError", code: "cancelled" },
    });
    expect(change?.run.error?.message).toContain("customer left");
    expect(change?.run.error).toEqual(cancelledError("r1", "customer left"));
    expect(change?.run.finishedAt).toBeInstanceOf(Date);
    expect(change?.run.wakeAt).toBeUndefined();
    expect(await store().getRun("r1")).toEqual(change?.run);
    expect(await claim(store())).toEqual([]);
  });

  it("wakes the waiting parent of a child cancelled before it started", async () => {
    const parent = await running(store(), "parent");
    await store().createRun(newRun("child", { workflow: "child", parentId: "parent" }));
    await store().finishRun(parent, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] });
    expect((await store().requestCancel("child", "not needed"))?.run.status).toBe("cancelled");
    expect((await claim(store(), { workflows: ["wf-parent"] })).map((c) => c.run.id)).toEqual(["parent"]);
  });

  it("cancels a blocked run at once", async () => {
    const lease = await running(store(), "r1");
    await store().finishRun(lease, {
      status: "blocked",
      error: { name: "E", message: "m", code: "non_determinism" },
    });
    const change = await store().requestCancel("r1", "give up");
    expect(change?.run).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
  });

  it("asks a running run to cancel at its current await; the first reason wins", async () => {
    const lease = await running(store(), "r1");
    const change = await store().requestCancel("r1", "first");
    expect(change?.changed).toBe(true);
    expect(change?.run).toMatchObject({ status: "running", cancelReason: "first" });
    expect((await store().requestCancel("r1", "second"))?.run.cancelReason).toBe("first");
    expect((await store().renewLeases("o", [lease], 60_000)).cancelled).toEqual([
      { runId: "r1", reason: "first" },
    ]);
  });

  it("makes a suspended run due at once with its cancel reason", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    const later = new Date((await store().now()).getTime() + 60_000);
    await store().finishRun(lease, { status: "suspended", wakeAt: later, retryState: {}, waitingFor: [] });
    const change = await store().requestCancel("r1", "stop");
    expect(change?.run).toMatchObject({ status: "suspended", cancelReason: "stop" });
    expect(change?.run.wakeAt?.getTime()).toBeLessThan(later.getTime());
    const [again] = await claim(store());
    expect(again?.run.cancelReason).toBe("stop");
  });

  it("makes a released run that already ran due with its cancel reason instead of cancelling it", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().releaseRuns([lease]);
    const change = await store().requestCancel("r1", "stop");
    expect(change?.run).toMatchObject({ status: "pending", cancelReason: "stop" });
    expect((await claim(store()))[0]?.run.cancelReason).toBe("stop");
  });

  it("leaves a finished run alone, and knows no unknown run", async () => {
    const lease = await running(store(), "r1");
    await store().finishRun(lease, { status: "completed", output: encode(1, "output") });
    const change = await store().requestCancel("r1", "late");
    expect(change?.changed).toBe(false);
    expect(change?.run.status).toBe("completed");
    expect(change?.run.cancelReason).toBeUndefined();
    expect(await store().requestCancel("nope", "x")).toBeUndefined();
  });

  it("retries a blocked run: pending, due now, crash count reset, journal kept", async () => {
    await store().createRun(newRun("r1"));
    const [first] = await claim(store(), { leaseMs: 100 });
    if (!first) throw new Error("not claimed");
    await store().appendJournal(first.lease, okEntry(0));
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (let i = 0; i < 2; i++) {
      await claim(store(), { leaseMs: 100 });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await claim(store(), { maxRecoveries: 0 });
    expect((await store().getRun("r1"))?.status).toBe("blocked");
    const change = await store().retryRun("r1");
    expect(change?.changed).toBe(true);
    expect(change?.run).toMatchObject({ status: "pending", recoveries: 0, retryState: {} });
    expect([change?.run.suspect, change?.run.isolated]).toEqual([undefined, undefined]);
    expect(change?.run.error).toBeUndefined();
    const [again] = await claim(store());
    expect(again?.journal).toHaveLength(1);
  });

  it("retries a failed run from its last failed entry, by delivery order", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().appendJournal(lease, okEntry(0, 0, { order: 0 }));
    await store().appendJournal(lease, errorEntry(2, 1));
    await store().appendJournal(lease, okEntry(1, 1, { order: 2 }));
    await store().appendJournal(lease, errorEntry(3, 3));
    await store().appendJournal(lease, okEntry(4, 4, { order: 4 }));
    await store().finishRun(lease, { status: "failed", error: { name: "StepFailedError", message: "m" } });
    const change = await store().retryRun("r1");
    expect(change?.run).toMatchObject({ status: "pending", recoveries: 0 });
    expect(change?.run.finishedAt).toBeUndefined();
    expect(change?.run.error).toBeUndefined();
    expect((await store().readJournal("r1")).map((e) => e.seq)).toEqual([0, 1, 2]);
    expect((await claim(store()))[0]?.run.id).toBe("r1");
  });

  it("retries only blocked or failed runs", async () => {
    await store().createRun(newRun("r1"));
    expect(await store().retryRun("r1")).toMatchObject({ changed: false, run: { status: "pending" } });
    expect(await store().retryRun("nope")).toBeUndefined();
  });

  it("wakes a suspended run now and ignores unknown or finished runs", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    const later = new Date((await store().now()).getTime() + 60_000);
    await store().finishRun(lease, { status: "suspended", wakeAt: later, retryState: {}, waitingFor: [] });
    await store().wakeRun("r1");
    expect((await store().getRun("r1"))?.wakeAt?.getTime()).toBeLessThan(later.getTime());
    await store().wakeRun("nope");
    const done = await running(store(), "done");
    await store().finishRun(done, { status: "completed", output: encode(1, "o") });
    await store().wakeRun("done");
    expect((await store().getRun("done"))?.status).toBe("completed");
    expect((await claim(store())).map((c) => c.run.id)).toEqual(["r1"]);
  });
}
