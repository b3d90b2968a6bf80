import { decode, encode, LeaseLostError, type Store } from "@durable/core";
import { expect, it } from "vitest";
import { claim, newRun, okEntry, running, sleep } from "../helpers.js";

export function finishContract(store: () => Store): void {
  it("completes a run: output kept, lease dropped, finish time set", async () => {
    const lease = await running(store(), "r1");
    await store().finishRun(lease, { status: "completed", output: encode({ ok: true }, "output") });
    const run = await store().getRun("r1");
    expect(run).toMatchObject({ status: "completed", retryState: {} });
    expect(decode(run?.output ?? encode(0, "x"))).toEqual({ ok: true });
    expect(run?.finishedAt).toBeInstanceOf(Date);
    expect(run?.leaseOwner).toBeUndefined();
    expect(run?.leaseExpiresAt).toBeUndefined();
    await expect(
      store().finishRun(lease, { status: "completed", output: encode(2, "o") }),
    ).rejects.toBeInstanceOf(LeaseLostError);
  });

  it("fails a run with its error", async () => {
    const lease = await running(store(), "r1");
    await store().finishRun(lease, {
      status: "failed",
      error: { name: "TypeError", message: "bad", stack: "s" },
    });
    expect(await store().getRun("r1")).toMatchObject({
      status: "failed",
      error: { name: "TypeError", message: "bad", stack: "s" },
    });
  });

  it("cancels a run keeping its output and error, and forgets the cancel request", async () => {
    const lease = await running(store(), "r1");
    await store().requestCancel("r1", "stop");
    await store().finishRun(lease, {
      status: "cancelled",
      output: encode("compensated", "output"),
      error: { name: "CancelledError", message: "stop", code: "cancelled" },
    });
    const run = await store().getRun("r1");
    expect(run).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
    expect(decode(run?.output ?? encode(0, "x"))).toBe("compensated");
    expect(run?.cancelReason).toBeUndefined();
    expect(run?.finishedAt).toBeInstanceOf(Date);
  });

  it("blocks a run with its reason and no finish time", async () => {
    const lease = await running(store(), "r1");
    await store().finishRun(lease, {
      status: "blocked",
      error: { name: "NonDeterminismError", message: "replayed differently", code: "non_determinism" },
    });
    const run = await store().getRun("r1");
    expect(run).toMatchObject({ status: "blocked", error: { code: "non_determinism" } });
    expect(run?.finishedAt).toBeUndefined();
    expect(await claim(store(), { workflows: ["wf-r1"] })).toEqual([]);
  });

  it("suspends a run until its wake time, keeping retry state and awaited events", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    const wakeAt = new Date((await store().now()).getTime() + 300);
    const lastError = { name: "E", message: "m" };
    const retryState = {
      steps: { "3": { attempts: 2, nextAt: wakeAt.toISOString(), lastError } },
      issued: 4,
    };
    await store().finishRun(lease, { status: "suspended", wakeAt, retryState, waitingFor: ["approved"] });
    const run = await store().getRun("r1");
    expect(run).toMatchObject({ status: "suspended", wakeAt, retryState, waitingFor: ["approved"] });
    expect(run?.leaseOwner).toBeUndefined();
    expect(await claim(store())).toEqual([]);
    await sleep(350);
    const [again] = await claim(store());
    expect(again?.run).toMatchObject({ id: "r1", attempts: 2, recoveries: 0, retryState, waitingFor: [] });
  });

  it("suspends a run with no timer until something wakes it", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().finishRun(lease, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] });
    const run = await store().getRun("r1");
    expect(run?.status).toBe("suspended");
    expect(run?.wakeAt).toBeUndefined();
    expect(await store().nextWakeAt(["w"])).toBeUndefined();
    expect(await claim(store())).toEqual([]);
    await store().wakeRun("r1");
    expect(await claim(store())).toHaveLength(1);
  });

  it("makes a run that suspends after a cancel request due at once", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().requestCancel("r1", "stop");
    const later = new Date((await store().now()).getTime() + 60_000);
    await store().finishRun(lease, { status: "suspended", wakeAt: later, retryState: {}, waitingFor: [] });
    const [again] = await claim(store());
    expect(again?.run.cancelReason).toBe("stop");
  });

  it("makes a run that was woken while running due at once when it suspends, once", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().wakeRun("r1");
    await store().finishRun(lease, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] });
    const [again] = await claim(store());
    if (!again) throw new Error("not due");
    await store().finishRun(again.lease, {
      status: "suspended",
      wakeAt: null,
      retryState: {},
      waitingFor: [],
    });
    expect(await claim(store())).toEqual([]);
  });

  it("continues as new: completed with continuedAs, the next run pending with continuedFrom and no journal", async () => {
    const lease = await running(store(), "r1", { workflow: "w", parentId: "p", tags: { a: "1" } });
    await store().appendJournal(lease, okEntry(0));
    await store().finishRun(lease, {
      status: "continued",
      next: newRun("r1~1", { input: encode({ round: 2 }, "input"), parentId: "p" }),
    });
    const old = await store().getRun("r1");
    expect(old).toMatchObject({ status: "completed", continuedAs: "r1~1" });
    expect(old?.finishedAt).toBeInstanceOf(Date);
    expect(old?.leaseOwner).toBeUndefined();
    const next = await store().getRun("r1~1");
    expect(next).toMatchObject({ status: "pending", continuedFrom: "r1", parentId: "p", attempts: 0 });
    expect(decode(next?.input ?? encode(0, "x"))).toEqual({ round: 2 });
    expect(await store().readJournal("r1~1")).toEqual([]);
    expect((await claim(store())).map((c) => c.run.id)).toEqual(["r1~1"]);
  });

  it("wakes a suspended parent when its child finishes", async () => {
    const parent = await running(store(), "parent");
    await store().createRun(newRun("child", { workflow: "child", parentId: "parent" }));
    await store().finishRun(parent, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] });
    const [child] = await claim(store(), { workflows: ["child"] });
    if (!child) throw new Error("child not claimed");
    await store().finishRun(child.lease, { status: "completed", output: encode(1, "output") });
    expect((await claim(store(), { workflows: ["wf-parent"] })).map((c) => c.run.id)).toEqual(["parent"]);
  });

  it("remembers a child's finish for a running parent: its next suspend is due at once", async () => {
    const parent = await running(store(), "parent");
    await store().createRun(newRun("child", { workflow: "child", parentId: "parent" }));
    const [child] = await claim(store(), { workflows: ["child"] });
    if (!child) throw new Error("child not claimed");
    await store().finishRun(child.lease, { status: "failed", error: { name: "E", message: "m" } });
    const later = new Date((await store().now()).getTime() + 60_000);
    await store().finishRun(parent, { status: "suspended", wakeAt: later, retryState: {}, waitingFor: [] });
    expect((await claim(store(), { workflows: ["wf-parent"] })).map((c) => c.run.id)).toEqual(["parent"]);
  });

  it("wakes a parent that suspends at the same moment as its child finishes", async () => {
    const parent = await running(store(), "parent");
    await store().createRun(newRun("child", { workflow: "child", parentId: "parent" }));
    const [child] = await claim(store(), { workflows: ["child"] });
    if (!child) throw new Error("child not claimed");
    const later = new Date((await store().now()).getTime() + 60_000);
    await Promise.all([
      store().finishRun(child.lease, { status: "completed", output: encode(1, "output") }),
      store().finishRun(parent, { status: "suspended", wakeAt: later, retryState: {}, waitingFor: [] }),
    ]);
    expect((await claim(store(), { workflows: ["wf-parent"] })).map((c) => c.run.id)).toEqual(["parent"]);
  });

  it("finishes many runs at once, each fenced by its own lease", async () => {
    const leases = await Promise.all(["a", "b", "c"].map((id) => running(store(), id)));
    const [a, b, c] = leases;
    if (!a || !b || !c) throw new Error("not claimed");
    const outcomes = await Promise.allSettled([
      store().finishRun(a, { status: "completed", output: encode("a", "output") }),
      store().finishRun({ ...b, epoch: b.epoch + 1 }, { status: "completed", output: encode("b", "output") }),
      store().finishRun(c, { status: "failed", error: { name: "E", message: "c failed" } }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
    expect((await store().getRun("a"))?.status).toBe("completed");
    expect((await store().getRun("b"))?.status).toBe("running");
    expect((await store().getRun("c"))?.error?.message).toBe("c failed");
  });
}
