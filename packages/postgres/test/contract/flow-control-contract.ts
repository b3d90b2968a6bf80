import { type ClaimedRun, decode, encode, type QueueLimit, type RunOutcome, type Store } from "@durable/core";
import { expect, it } from "vitest";
import { claim, listen, newRun, sleep } from "../helpers.js";

const ids = (claimed: readonly ClaimedRun[]) => claimed.map((c) => c.run.id);
const concurrency = (queue: string, limit: number, perKey = false): QueueLimit[] => [
  { queue, concurrency: { limit, perKey } },
];
const rateLimit = (queue: string, limit: number, periodMs: number, perKey = false): QueueLimit[] => [
  { queue, rateLimit: { limit, periodMs, perKey } },
];
const suspended: RunOutcome = { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] };
const completed: RunOutcome = { status: "completed", output: encode(1, "output") };

export function flowControlContract(store: () => Store): void {
  it("holds due runs past a queue's concurrency limit, counting the runs the same claim takes", async () => {
    for (const id of ["a", "b", "c"]) await store().createRun(newRun(id, { queue: "emails" }));
    const limits = concurrency("emails", 2);
    const claimed = await claim(store(), { limits });
    expect(ids(claimed)).toEqual(["a", "b"]);
    expect(await store().getRun("c")).toMatchObject({ status: "pending", heldBy: "concurrency:emails" });
    expect(await claim(store(), { limits })).toEqual([]);
    await store().finishRun(claimed[0]!.lease, completed);
    const [c] = await claim(store(), { limits });
    expect(c?.run.id).toBe("c");
    expect(c?.run.heldBy).toBeUndefined();
    expect((await store().getRun("c"))?.heldBy).toBeUndefined();
  });

  it("limits running runs per concurrency key when the limit is per key", async () => {
    await store().createRun(newRun("a", { queue: "emails", concurrencyKey: "u1" }));
    await store().createRun(newRun("b", { queue: "emails", concurrencyKey: "u1" }));
    await store().createRun(newRun("c", { queue: "emails", concurrencyKey: "u2" }));
    expect(ids(await claim(store(), { limits: concurrency("emails", 1, true) }))).toEqual(["a", "c"]);
    expect((await store().getRun("b"))?.heldBy).toBe("concurrency:emails/key=u1");
  });

  it("puts a run without a queue on its workflow's queue", async () => {
    await store().createRun(newRun("a"));
    await store().createRun(newRun("b"));
    expect(ids(await claim(store(), { limits: concurrency("w", 1) }))).toEqual(["a"]);
    expect((await store().getRun("b"))?.heldBy).toBe("concurrency:w");
  });

  it("does not let held runs use up the claim: runs of other queues behind them are taken", async () => {
    const now = (await store().now()).getTime();
    await store().createRun(newRun("a", { queue: "q", startAt: new Date(now - 3_000) }));
    await store().createRun(newRun("b", { queue: "q", startAt: new Date(now - 2_000) }));
    await store().createRun(newRun("c", { queue: "other", startAt: new Date(now - 1_000) }));
    expect(ids(await claim(store(), { limit: 2, limits: concurrency("q", 1) }))).toEqual(["a", "c"]);
    expect((await store().getRun("b"))?.heldBy).toBe("concurrency:q");
    expect((await store().getRun("c"))?.heldBy).toBeUndefined();
  });

  it("holds a suspended run that is due while its queue is full", async () => {
    const limits = concurrency("q", 1);
    await store().createRun(newRun("a", { queue: "q" }));
    const [a] = await claim(store(), { limits });
    if (!a) throw new Error("not claimed");
    await store().finishRun(a.lease, { ...suspended, wakeAt: await store().now() } as RunOutcome);
    await store().createRun(newRun("b", { queue: "q", startAt: new Date(0) }));
    expect(ids(await claim(store(), { limit: 1, limits }))).toEqual(["b"]);
    expect(await claim(store(), { limits })).toEqual([]);
    expect(await store().getRun("a")).toMatchObject({ status: "suspended", heldBy: "concurrency:q" });
  });

  it("reclaims a run whose lease expired even when its queue is full, and counts it as running", async () => {
    const limits = concurrency("q", 1);
    await store().createRun(newRun("a", { queue: "q" }));
    await claim(store(), { limits, leaseMs: 1 });
    await sleep(20);
    await store().createRun(newRun("b", { queue: "q" }));
    const [again] = await claim(store(), { limits });
    expect(again?.run).toMatchObject({ id: "a", recoveries: 0, suspect: true });
    expect((await store().getRun("b"))?.heldBy).toBe("concurrency:q");
  });

  it("holds a run that never started past a queue's rate limit until the window frees", async () => {
    for (const id of ["a", "b", "c"]) await store().createRun(newRun(id, { queue: "calls" }));
    const limits = rateLimit("calls", 2, 60_000);
    const claimed = await claim(store(), { limits, leaseMs: 600_000 });
    expect(ids(claimed)).toEqual(["a", "b"]);
    const c = await store().getRun("c");
    expect(c).toMatchObject({ status: "pending", heldBy: "rateLimit:calls" });
    expect(c?.wakeAt?.getTime()).toBe((claimed[0]?.run.startedAt?.getTime() ?? 0) + 60_000);
    expect(await store().nextWakeAt(["w"])).toEqual(c?.wakeAt);
    expect(await claim(store(), { limits })).toEqual([]);
  });

  it("moves a rate-limited run to when the oldest start it waits for leaves the window", async () => {
    const limits = rateLimit("calls", 2, 60_000);
    await store().createRun(newRun("a", { queue: "calls" }));
    const [a] = await claim(store(), { limits });
    await sleep(20);
    for (const id of ["b", "c"]) await store().createRun(newRun(id, { queue: "calls" }));
    const [b] = await claim(store(), { limits });
    expect([a?.run.id, b?.run.id]).toEqual(["a", "b"]);
    expect((await store().getRun("c"))?.wakeAt?.getTime()).toBe((a?.run.startedAt?.getTime() ?? 0) + 60_000);
  });

  it("counts only first starts against a rate limit: a released run is claimed again", async () => {
    const limits = rateLimit("calls", 1, 60_000);
    await store().createRun(newRun("a", { queue: "calls" }));
    const [a] = await claim(store(), { limits });
    if (!a) throw new Error("not claimed");
    await store().releaseRuns([a.lease]);
    await store().createRun(newRun("b", { queue: "calls" }));
    expect(ids(await claim(store(), { limits }))).toEqual(["a"]);
    expect((await store().getRun("b"))?.heldBy).toBe("rateLimit:calls");
  });

  it("limits first starts per rate key when the limit is per key", async () => {
    await store().createRun(newRun("a", { queue: "calls", rateKey: "k1" }));
    await store().createRun(newRun("b", { queue: "calls", rateKey: "k1" }));
    await store().createRun(newRun("c", { queue: "calls", rateKey: "k2" }));
    expect(ids(await claim(store(), { limits: rateLimit("calls", 1, 60_000, true) }))).toEqual(["a", "c"]);
    expect((await store().getRun("b"))?.heldBy).toBe("rateLimit:calls/key=k1");
    expect((await store().getRun("b"))?.rateKey).toBe("k1");
  });

  it("applies both limits of a queue: a run held by concurrency does not spend the rate", async () => {
    const limits: QueueLimit[] = [
      {
        queue: "q",
        concurrency: { limit: 1, perKey: false },
        rateLimit: { limit: 2, periodMs: 60_000, perKey: false },
      },
    ];
    for (const id of ["a", "b"]) await store().createRun(newRun(id, { queue: "q" }));
    const [a] = await claim(store(), { limits });
    expect((await store().getRun("b"))?.heldBy).toBe("concurrency:q");
    await store().finishRun(a!.lease, completed);
    await store().createRun(newRun("c", { queue: "q" }));
    expect(ids(await claim(store(), { limits }))).toEqual(["b"]);
    expect((await store().getRun("c"))?.heldBy).toBe("concurrency:q");
  });

  it("leaves runs held by a concurrency limit out of the next wake-up", async () => {
    const limits = concurrency("q", 1);
    for (const id of ["a", "b"]) await store().createRun(newRun(id, { queue: "q" }));
    const [a] = await claim(store(), { limits, leaseMs: 600_000 });
    expect((await store().getRun("b"))?.heldBy).toBe("concurrency:q");
    expect(await store().nextWakeAt(["w"])).toEqual(a?.run.leaseExpiresAt);
  });

  it("wakes the workers when a run of a queue with held runs suspends or finishes, and only then", async () => {
    const rec = await listen(store());
    const limits = concurrency("q", 1);
    for (const id of ["a", "b", "c"]) await store().createRun(newRun(id, { queue: "q" }));
    const [a] = await claim(store(), { limits });
    rec.seen.length = 0;
    await store().finishRun(a!.lease, suspended);
    await rec.waitFor((n) => n.type === "wake");
    const [b] = await claim(store(), { limits });
    rec.seen.length = 0;
    await store().finishRun(b!.lease, completed);
    await rec.waitFor((n) => n.type === "wake");
    const [c] = await claim(store(), { limits });
    expect(c?.run.id).toBe("c");
    rec.seen.length = 0;
    await store().finishRun(c!.lease, completed);
    await sleep(100);
    expect(rec.seen.filter((n) => n.type === "wake")).toEqual([]);
    rec.unsubscribe();
  });

  it("debounces: a start with the key of a run not started yet replaces its input and pushes its wake", async () => {
    const debounce = { key: "doc-1", periodMs: 10_000 };
    const before = (await store().now()).getTime();
    const first = await store().createRun(newRun("d1", { debounce, input: encode(1, "input") }));
    expect(first.created).toBe(true);
    expect(first.run.debounceKey).toBe("doc-1");
    expect(first.run.wakeAt?.getTime()).toBeGreaterThanOrEqual(before + 10_000);
    await sleep(5);
    const second = await store().createRun(newRun("d2", { debounce, input: encode(2, "input") }));
    expect(second.created).toBe(false);
    expect(second.run.id).toBe("d1");
    expect(decode(second.run.input)).toBe(2);
    expect(second.run.wakeAt?.getTime()).toBeGreaterThan(first.run.wakeAt?.getTime() ?? 0);
    expect(await store().getRun("d1")).toEqual(second.run);
    const other = await store().createRun(newRun("d3", { debounce: { key: "doc-2", periodMs: 10_000 } }));
    expect(other.created).toBe(true);
    const elsewhere = await store().createRun(newRun("d4", { workflow: "w2", debounce }));
    expect(elsewhere.created).toBe(true);
    expect((await store().listRuns({ limit: 10 })).map((r) => r.id).sort()).toEqual(["d1", "d3", "d4"]);
  });

  it("starts a new debounced run once the waiting one started", async () => {
    const debounce = { key: "doc", periodMs: 0 };
    await store().createRun(newRun("d1", { debounce }));
    expect(ids(await claim(store()))).toEqual(["d1"]);
    const next = await store().createRun(newRun("d2", { debounce, input: encode(2, "input") }));
    expect(next).toMatchObject({ created: true, run: { id: "d2", status: "pending" } });
  });

  it("returns the existing run for an existing id, debounced or not, and changes nothing", async () => {
    await store().createRun(newRun("d1", { input: encode(1, "input") }));
    const again = await store().createRun(
      newRun("d1", { debounce: { key: "k", periodMs: 1_000 }, input: encode(2, "input") }),
    );
    expect(again.created).toBe(false);
    expect(decode(again.run.input)).toEqual(1);
    expect(again.run.debounceKey).toBeUndefined();
  });

  it("counts the due runs no worker claimed yet and tells since when the oldest is due", async () => {
    expect(await store().dueStats?.(["w"])).toEqual({ count: 0 });
    const now = (await store().now()).getTime();
    await store().createRun(newRun("old", { startAt: new Date(now - 5_000) }));
    await store().createRun(newRun("new", { startAt: new Date(now - 1_000) }));
    await store().createRun(newRun("later", { startAt: new Date(now + 60_000) }));
    await store().createRun(newRun("other", { workflow: "other", startAt: new Date(now - 9_000) }));
    expect(await store().dueStats?.(["w"])).toEqual({ count: 2, oldestDueAt: new Date(now - 5_000) });
    await store().createRun(newRun("crashed", { workflow: "x" }));
    const [crashed] = await claim(store(), { workflows: ["x"], leaseMs: 1 });
    await sleep(20);
    expect(await store().dueStats?.(["w", "x"])).toEqual({
      count: 3,
      oldestDueAt: new Date(now - 5_000),
    });
    expect((await store().dueStats?.(["x"]))?.oldestDueAt).toEqual(crashed?.run.leaseExpiresAt);
  });
}
