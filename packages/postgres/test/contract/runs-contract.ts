import { decode, encode, type Store } from "@durable/core";
import { expect, it } from "vitest";
import { claim, newRun, okEntry, running, sleep } from "../helpers.js";

export function runsContract(store: () => Store): void {
  it("creates a pending run that is due now by the store's clock", async () => {
    const before = await store().now();
    const { run, created } = await store().createRun(newRun("r1"));
    expect(created).toBe(true);
    expect(run).toMatchObject({
      id: "r1",
      workflow: "w",
      version: "1",
      status: "pending",
      tags: {},
      leaseEpoch: 0,
      attempts: 0,
      recoveries: 0,
      retryState: {},
      priority: 0,
      waitingFor: [],
    });
    expect(decode(run.input)).toEqual({ id: "r1" });
    expect(run.wakeAt?.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(run.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    for (const absent of [
      "output",
      "error",
      "parentId",
      "leaseOwner",
      "startedAt",
      "finishedAt",
      "cancelReason",
    ]) {
      expect(run).not.toHaveProperty(absent);
    }
    expect(await store().getRun("r1")).toEqual(run);
  });

  it("returns the existing run for an existing id and writes nothing", async () => {
    await store().createRun(newRun("r1", { tags: { a: "1" } }));
    const again = await store().createRun(
      newRun("r1", { input: encode("other", "input"), tags: { b: "2" } }),
    );
    expect(again.created).toBe(false);
    expect(decode(again.run.input)).toEqual({ id: "r1" });
    expect(again.run.tags).toEqual({ a: "1" });
    expect(await store().listRuns({ limit: 10 })).toHaveLength(1);
  });

  it("creates runs started at once, each on its own: a repeated id gets the first run", async () => {
    await store().createRun(newRun("old", { input: encode("old", "input") }));
    const results = await Promise.all([
      store().createRun(newRun("a", { input: encode("a", "input"), priority: 2 })),
      store().createRun(newRun("old", { input: encode("new", "input") })),
      store().createRun(newRun("b", { tags: { t: "b" } })),
      store().createRun(newRun("a", { input: encode("a again", "input") })),
    ]);
    expect(results.map((r) => [r.run.id, r.created])).toEqual([
      ["a", true],
      ["old", false],
      ["b", true],
      ["a", false],
    ]);
    expect(results.map((r) => decode(r.run.input))).toEqual(["a", "old", { id: "b" }, "a"]);
    expect(results[0]?.run).toEqual(await store().getRun("a"));
    expect(results[2]?.run.tags).toEqual({ t: "b" });
    expect(await store().listRuns({ limit: 10 })).toHaveLength(3);
  });

  it("keeps a run's parent, tags, queue, concurrency key, priority and origin", async () => {
    const { run } = await store().createRun(
      newRun("r1", {
        parentId: "p",
        tags: { customer: "c-9", plan: "pro" },
        queue: "emails",
        concurrencyKey: "u1",
        priority: 5,
        continuedFrom: "r0",
      }),
    );
    expect(run).toMatchObject({
      parentId: "p",
      tags: { customer: "c-9", plan: "pro" },
      queue: "emails",
      concurrencyKey: "u1",
      priority: 5,
      continuedFrom: "r0",
    });
    expect(await store().getRun("r1")).toEqual(run);
  });

  it("makes a run due later with startAt or delayMs", async () => {
    const now = await store().now();
    const later = new Date(now.getTime() + 60_000);
    await store().createRun(newRun("at", { startAt: later }));
    await store().createRun(newRun("delayed", { delayMs: 60_000 }));
    expect((await store().getRun("at"))?.wakeAt).toEqual(later);
    const delayed = await store().getRun("delayed");
    expect(delayed?.wakeAt?.getTime()).toBeGreaterThanOrEqual(now.getTime() + 60_000);
    expect(await claim(store())).toEqual([]);
  });

  it("keeps payloads exactly, key order and special values included", async () => {
    const value = { z: 1, a: [new Date(0), new Map([["k", 1n]])], m: "ünï\u2028", n: undefined, y: -0.5e-7 };
    const { run } = await store().createRun(newRun("r1", { input: encode(value, "input") }));
    const read = await store().getRun("r1");
    expect(read?.input).toEqual(run.input);
    expect(Object.keys((read?.input.json ?? {}) as object)).toEqual(["z", "a", "m", "n", "y"]);
    expect(decode(read?.input ?? run.input)).toEqual(value);
  });

  it("returns undefined for an unknown run", async () => {
    expect(await store().getRun("nope")).toBeUndefined();
  });

  it("lists runs newest first, up to the limit", async () => {
    for (const id of ["a", "b", "c", "d"]) await store().createRun(newRun(id));
    expect((await store().listRuns({ limit: 10 })).map((r) => r.id)).toEqual(["d", "c", "b", "a"]);
    expect((await store().listRuns({ limit: 2 })).map((r) => r.id)).toEqual(["d", "c"]);
  });

  it("filters runs by status, workflow, tags, parent and creation time", async () => {
    await store().createRun(newRun("a", { workflow: "x", tags: { customer: "c1", plan: "pro" } }));
    await store().createRun(newRun("b", { workflow: "y", tags: { customer: "c1" }, parentId: "a" }));
    await sleep(5);
    await store().createRun(newRun("c", { workflow: "x", tags: { customer: "c2" }, parentId: "a" }));
    await claim(store(), { workflows: ["y"] });
    const ids = async (filter: Parameters<Store["listRuns"]>[0]) =>
      (await store().listRuns(filter)).map((r) => r.id);
    expect(await ids({ limit: 10, status: "running" })).toEqual(["b"]);
    expect(await ids({ limit: 10, status: ["pending", "running"] })).toEqual(["c", "b", "a"]);
    expect(await ids({ limit: 10, status: [] })).toEqual([]);
    expect(await ids({ limit: 10, workflow: "x" })).toEqual(["c", "a"]);
    expect(await ids({ limit: 10, tags: { customer: "c1" } })).toEqual(["b", "a"]);
    expect(await ids({ limit: 10, tags: { customer: "c1", plan: "pro" } })).toEqual(["a"]);
    expect(await ids({ limit: 10, parentId: "a" })).toEqual(["c", "b"]);
    const c = await store().getRun("c");
    expect(await ids({ limit: 10, before: c?.createdAt ?? new Date() })).toEqual(["b", "a"]);
    expect(await ids({ limit: 10, workflow: "x", status: "pending", tags: { customer: "c2" } })).toEqual([
      "c",
    ]);
  });

  it("forks a run: a new run with the entries before fromSeq, renumbered in delivery order", async () => {
    const lease = await running(store(), "src");
    await store().appendJournal(lease, okEntry(1, "one", { order: 0 }));
    await store().appendJournal(lease, okEntry(0, "zero", { order: 1 }));
    await store().appendJournal(lease, okEntry(2, "two", { order: 2 }));
    const fork = await store().forkRun("src", newRun("fork", { workflow: "wf-src" }), 2);
    expect(fork).toMatchObject({ id: "fork", status: "pending", attempts: 0 });
    const journal = await store().readJournal("fork");
    expect(journal.map((e) => [e.seq, e.order, e.runId])).toEqual([
      [0, 1, "fork"],
      [1, 0, "fork"],
    ]);
    expect(journal.map((e) => (e.outcome === "ok" ? decode(e.result) : undefined))).toEqual(["zero", "one"]);
    expect(await store().readJournal("src")).toHaveLength(3);
  });

  it("prunes finished runs finished before a time, with their journals and events", async () => {
    const done = await running(store(), "done");
    await store().appendJournal(done, okEntry(0));
    await store().sendEvent("done", "e", encode(1, "payload"));
    await store().finishRun(done, { status: "completed", output: encode(1, "output") });
    const failed = await running(store(), "failed");
    await store().finishRun(failed, { status: "failed", error: { name: "Error", message: "x" } });
    const blocked = await running(store(), "blocked");
    await store().finishRun(blocked, {
      status: "blocked",
      error: { name: "E", message: "x", code: "non_determinism" },
    });
    await store().createRun(newRun("pending"));
    const finishedAt = (await store().getRun("done"))?.finishedAt ?? new Date();
    expect(await store().pruneRuns(finishedAt)).toBe(0);
    await sleep(5);
    expect(await store().pruneRuns(new Date((await store().now()).getTime() + 1))).toBe(2);
    expect(await store().getRun("done")).toBeUndefined();
    expect(await store().getRun("failed")).toBeUndefined();
    expect(await store().readJournal("done")).toEqual([]);
    expect(await store().readEvents("done")).toEqual([]);
    expect((await store().listRuns({ limit: 10 })).map((r) => r.id).sort()).toEqual(["blocked", "pending"]);
  });

  it("tells its time", async () => {
    const before = Date.now();
    const now = await store().now();
    expect(Math.abs(now.getTime() - before)).toBeLessThan(5_000);
  });

  it("migrates again harmlessly", async () => {
    await store().createRun(newRun("r1"));
    await store().migrate();
    await store().migrate();
    expect(await store().getRun("r1")).toBeDefined();
  });
}
