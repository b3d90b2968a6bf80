import { type ClaimedRun, crashLoopError, decode, encode, LeaseLostError, type Store } from "@durable/core";
import { expect, it } from "vitest";
import { claim, errorEntry, newRun, okEntry, running, sleep } from "../helpers.js";

const ids = (claimed: readonly ClaimedRun[]) => claimed.map((c) => c.run.id);

export function claimsContract(store: () => Store): void {
  it("claims due runs of its workflows: leased, with a new epoch, its journal, events and the store's time", async () => {
    await store().createRun(newRun("r1"));
    await store().createRun(newRun("other", { workflow: "other" }));
    const before = await store().now();
    const claimed = await claim(store(), { owner: "w1", leaseMs: 30_000 });
    expect(claimed).toHaveLength(1);
    const [c] = claimed;
    expect(c?.lease).toEqual({ runId: "r1", owner: "w1", epoch: 1 });
    expect(c?.journal).toEqual([]);
    expect(c?.events).toEqual([]);
    expect(c?.now.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(c?.run).toMatchObject({
      status: "running",
      leaseOwner: "w1",
      leaseEpoch: 1,
      attempts: 1,
      recoveries: 0,
    });
    expect(c?.run.wakeAt).toBeUndefined();
    expect(c?.run.startedAt).toEqual(c?.now);
    expect(c?.run.leaseExpiresAt?.getTime()).toBe((c?.now.getTime() ?? 0) + 30_000);
    expect(await store().getRun("r1")).toEqual(c?.run);
    expect(await claim(store(), { owner: "w2" })).toEqual([]);
  });

  it("claims nothing for an empty limit or no workflows", async () => {
    await store().createRun(newRun("r1"));
    expect(await claim(store(), { limit: 0 })).toEqual([]);
    expect(await claim(store(), { workflows: [] })).toEqual([]);
    expect(await claim(store())).toHaveLength(1);
  });

  it("claims higher priority first, then the earliest due, up to the limit", async () => {
    const now = (await store().now()).getTime();
    await store().createRun(newRun("late", { startAt: new Date(now - 1_000) }));
    await store().createRun(newRun("early", { startAt: new Date(now - 5_000) }));
    await store().createRun(newRun("urgent", { startAt: new Date(now - 10), priority: 10 }));
    await store().createRun(newRun("urgent-ish", { startAt: new Date(now - 20), priority: 0.5 }));
    await store().createRun(newRun("future", { startAt: new Date(now + 60_000), priority: 100 }));
    const first = await claim(store(), { limit: 2 });
    expect(first.map((c) => c.run.id)).toEqual(["urgent", "urgent-ish"]);
    expect(first[1]?.run.priority).toBe(0.5);
    expect((await claim(store(), { limit: 2 })).map((c) => c.run.id)).toEqual(["early", "late"]);
  });

  it("breaks ties between runs due at the same time by creation order", async () => {
    const at = new Date((await store().now()).getTime() - 1_000);
    for (const id of ["c", "a", "b"]) await store().createRun(newRun(id, { startAt: at }));
    expect((await claim(store())).map((c) => c.run.id)).toEqual(["c", "a", "b"]);
  });

  it("takes over a run whose lease expired: a suspect, not charged, a new epoch, the journal so far", async () => {
    await store().createRun(newRun("r1"));
    // Margins of a second: a loaded machine may take hundreds of milliseconds between two statements.
    const [first] = await claim(store(), { owner: "w1", leaseMs: 1_000 });
    if (!first) throw new Error("not claimed");
    await store().appendJournal(first.lease, okEntry(0, "kept"));
    expect(await claim(store(), { owner: "w2" })).toEqual([]);
    await sleep(1_050);
    const [second] = await claim(store(), { owner: "w2" });
    expect(second?.lease).toEqual({ runId: "r1", owner: "w2", epoch: 2 });
    expect(second?.run).toMatchObject({ attempts: 2, recoveries: 0, suspect: true, leaseOwner: "w2" });
    expect(second?.run.startedAt).toEqual(first.run.startedAt);
    expect(second?.journal.map((e) => (e.outcome === "ok" ? decode(e.result) : e.error))).toEqual(["kept"]);
  });

  it("parks an isolated run charged with more than maxRecoveries crashes as blocked (crash_loop)", async () => {
    await store().createRun(newRun("r1"));
    await claim(store(), { leaseMs: 1 });
    // Taken over: a suspect; again: isolated; then each takeover is charged.
    for (let i = 0; i < 3; i++) {
      await sleep(20);
      expect(await claim(store(), { leaseMs: 1, maxRecoveries: 1 })).toHaveLength(1);
    }
    await sleep(20);
    expect(await claim(store(), { leaseMs: 1, maxRecoveries: 1 })).toEqual([]);
    const run = await store().getRun("r1");
    expect(run).toMatchObject({ status: "blocked", recoveries: 2, leaseEpoch: 4, attempts: 4 });
    expect(run?.error).toMatchObject({ name: "CrashLoopError", code: "crash_loop" });
    expect(run?.error?.message).toContain("r1");
    // Every store writes the message core writes it as.
    expect(run?.error).toEqual(crashLoopError("r1", 2));
    expect(run?.leaseOwner).toBeUndefined();
    expect(run?.wakeAt).toBeUndefined();
  });

  it("charges a crash to the isolated run its worker held, never to the runs beside it", async () => {
    await store().createRun(newRun("poison"));
    await claim(store(), { owner: "w1", leaseMs: 1 });
    await sleep(20);
    await claim(store(), { owner: "w2", leaseMs: 1 });
    await sleep(20);
    const [isolated] = await claim(store(), { owner: "w3", leaseMs: 1 });
    expect(isolated?.run).toMatchObject({ id: "poison", recoveries: 0, suspect: true, isolated: true });
    for (const id of ["b", "c"]) await store().createRun(newRun(id));
    expect(ids(await claim(store(), { owner: "w3", leaseMs: 1, suspects: 0 }))).toEqual(["b", "c"]);
    await sleep(20);
    expect(ids(await claim(store(), { owner: "w4" })).sort()).toEqual(["b", "c", "poison"]);
    const runs = await Promise.all(["poison", "b", "c"].map((id) => store().getRun(id)));
    expect(runs.map((r) => [r?.id, r?.recoveries, r?.suspect, r?.isolated])).toEqual([
      ["poison", 1, true, true],
      ["b", 0, true, undefined],
      ["c", 0, true, undefined],
    ]);
  });

  it("takes over first-time orphans freely, and at most `suspects` isolated runs in one claim", async () => {
    for (const id of ["a", "b", "c"]) await store().createRun(newRun(id));
    await claim(store(), { owner: "w1", leaseMs: 1 });
    await sleep(20);
    expect(await claim(store(), { owner: "w2", leaseMs: 1, suspects: 0 })).toHaveLength(3);
    await store().createRun(newRun("fresh"));
    await sleep(20);
    expect(ids(await claim(store(), { owner: "w3", suspects: 0 }))).toEqual(["fresh"]);
    expect(await claim(store(), { owner: "w3", suspects: 0 })).toEqual([]);
    expect(await claim(store(), { owner: "w4" })).toHaveLength(1);
    expect(await claim(store(), { owner: "w5", suspects: 2 })).toHaveLength(2);
  });

  it("starts a run's crash count again when its journal grew since the last charge", async () => {
    await store().createRun(newRun("r1"));
    await claim(store(), { leaseMs: 500 });
    await sleep(550);
    const crashes = async (seq: number) => {
      const [taken] = await claim(store(), { leaseMs: 500, maxRecoveries: 1 });
      if (!taken) throw new Error(`r1 not taken over before seq ${seq}`);
      await store().appendJournal(taken.lease, okEntry(seq));
      await sleep(550);
    };
    for (const seq of [0, 1, 2, 3, 4]) await crashes(seq);
    expect(await store().getRun("r1")).toMatchObject({ status: "running", recoveries: 1 });
    const [again] = await claim(store(), { leaseMs: 1, maxRecoveries: 1 });
    expect(again?.journal).toHaveLength(5);
    await sleep(20);
    expect(await claim(store(), { maxRecoveries: 1 })).toEqual([]);
    expect(await store().getRun("r1")).toMatchObject({ status: "blocked", recoveries: 2 });
  });

  it("takes over an isolated run whose lease expired only after its backoff, and says when", async () => {
    await store().createRun(newRun("r1"));
    await claim(store(), { leaseMs: 1 });
    await sleep(20);
    expect(await claim(store(), { leaseMs: 1, recoveryBackoffMs: 60_000 })).toHaveLength(1);
    await sleep(20);
    // Isolated now: the claim sets the backoff of its next takeover.
    expect(await claim(store(), { leaseMs: 1, recoveryBackoffMs: 1 })).toHaveLength(1);
    await sleep(20);
    expect(await claim(store(), { leaseMs: 1, recoveryBackoffMs: 60_000 })).toHaveLength(1);
    await sleep(20);
    expect(await claim(store())).toEqual([]);
    const run = await store().getRun("r1");
    expect(run?.recoveries).toBe(1);
    // Charged once: twice the backoff after the lease's expiry.
    expect((await store().nextWakeAt(["w"]))?.getTime()).toBe(
      (run?.leaseExpiresAt?.getTime() ?? 0) + 120_000,
    );
  });

  it("clears a suspect once an activation of it ends", async () => {
    await store().createRun(newRun("r1"));
    await claim(store(), { leaseMs: 1 });
    await sleep(20);
    await claim(store(), { leaseMs: 1 });
    await sleep(20);
    const [taken] = await claim(store());
    if (!taken?.run.isolated) throw new Error("not isolated");
    await store().finishRun(taken.lease, {
      status: "suspended",
      wakeAt: new Date(0),
      retryState: {},
      waitingFor: [],
    });
    const run = await store().getRun("r1");
    expect([run?.suspect, run?.isolated]).toEqual([undefined, undefined]);
    expect(await claim(store(), { suspects: 0 })).toHaveLength(1);
  });

  it("appends journal entries fenced by the lease and returns the store's time of each", async () => {
    const lease = await running(store(), "r1");
    const at0 = await store().appendJournal(lease, okEntry(0, { b: 1, a: 2 }));
    const at1 = await store().appendJournal(lease, errorEntry(1));
    const journal = await store().readJournal("r1");
    expect(journal).toHaveLength(2);
    expect(journal[0]).toMatchObject({
      kind: "call",
      runId: "r1",
      seq: 0,
      name: "step-0",
      order: 0,
      attempts: 1,
    });
    expect(journal[0]?.completedAt).toEqual(at0);
    expect(journal[1]).toMatchObject({
      seq: 1,
      outcome: "error",
      error: { name: "Error", message: "step 1 failed" },
    });
    expect(journal[1]?.completedAt).toEqual(at1);
    const first = journal[0];
    expect(first?.outcome === "ok" && Object.keys(decode(first.result) as object)).toEqual(["b", "a"]);
    expect(Math.abs(at0.getTime() - (await store().now()).getTime())).toBeLessThan(5_000);
  });

  it("delivers the same journal and times to the next claim", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    const at = await store().appendJournal(lease, okEntry(0, new Date(7)));
    await store().releaseRuns([lease]);
    const [again] = await claim(store());
    expect(again?.journal).toEqual(await store().readJournal("r1"));
    expect(again?.journal[0]?.completedAt).toEqual(at);
  });

  it("refuses a write from a stale epoch, another owner or an expired lease, and writes nothing", async () => {
    await store().createRun(newRun("r1"));
    const [first] = await claim(store(), { owner: "w1", leaseMs: 1 });
    if (!first) throw new Error("not claimed");
    await sleep(20);
    await expect(store().appendJournal(first.lease, okEntry(0))).rejects.toBeInstanceOf(LeaseLostError);
    const [second] = await claim(store(), { owner: "w2" });
    if (!second) throw new Error("not reclaimed");
    await expect(store().appendJournal(first.lease, okEntry(0))).rejects.toBeInstanceOf(LeaseLostError);
    await expect(store().appendJournal({ ...second.lease, owner: "w1" }, okEntry(0))).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await expect(
      store().finishRun(first.lease, { status: "completed", output: encode(1, "o") }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store().readJournal("r1")).toEqual([]);
    expect(await store().getRun("r1")).toMatchObject({ status: "running", leaseOwner: "w2" });
    await store().appendJournal(second.lease, okEntry(0));
    expect(await store().readJournal("r1")).toHaveLength(1);
  });

  it("settles appends made at once on their own: a stale lease or a taken seq fails only its call", async () => {
    const [a, b] = await Promise.all([running(store(), "a"), running(store(), "b")]);
    if (!a || !b) throw new Error("not claimed");
    await store().appendJournal(a, okEntry(0, "first"));
    const outcomes = await Promise.allSettled([
      store().appendJournal(a, okEntry(1, "a1")),
      store().appendJournal(a, okEntry(0, "again")),
      store().appendJournal({ ...b, epoch: b.epoch + 1 }, okEntry(0, "stale")),
      store().appendJournal(b, okEntry(0, "b0")),
      store().appendJournal(b, okEntry(0, "b0 twice")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
      "rejected",
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toMatch(/seq 0/);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
    expect((outcomes[4] as PromiseRejectedResult).reason.message).toMatch(/seq 0/);
    const results = async (id: string) =>
      (await store().readJournal(id)).map((e) => (e.outcome === "ok" ? decode(e.result) : undefined));
    expect(await results("a")).toEqual(["first", "a1"]);
    expect(await results("b")).toEqual(["b0"]);
  });

  it("refuses a second entry with the same seq and keeps the first", async () => {
    const lease = await running(store(), "r1");
    await store().appendJournal(lease, okEntry(0, "first"));
    await expect(store().appendJournal(lease, okEntry(0, "second"))).rejects.toThrow(/seq 0/);
    await expect(store().appendJournal(lease, okEntry(0, "third"))).rejects.toMatchObject({
      name: "DuplicateSeqError",
      code: "duplicate_seq",
      seq: 0,
    });
    const journal = await store().readJournal("r1");
    expect(journal.map((e) => (e.outcome === "ok" ? decode(e.result) : undefined))).toEqual(["first"]);
  });

  it("renews the leases an owner holds and reports lost ones and requested cancellations", async () => {
    const kept = await running(store(), "kept", { workflow: "w" });
    const cancelled = await running(store(), "cancelled", { workflow: "w2" });
    const stale = { runId: "kept", owner: "o", epoch: 99 };
    const finished = await running(store(), "finished", { workflow: "w3" });
    await store().finishRun(finished, { status: "completed", output: encode(1, "o") });
    await store().requestCancel("cancelled", "stop");
    const before = (await store().getRun("kept"))?.leaseExpiresAt?.getTime() ?? 0;
    await sleep(5);
    const renewal = await store().renewLeases(
      "o",
      [kept, cancelled, stale, finished, { ...kept, runId: "nope" }],
      90_000,
    );
    expect(renewal.lost.sort()).toEqual(["finished", "kept", "nope"].sort());
    expect(renewal.cancelled).toEqual([{ runId: "cancelled", reason: "stop" }]);
    expect((await store().getRun("kept"))?.leaseExpiresAt?.getTime()).toBeGreaterThan(before + 30_000);
    expect(await store().renewLeases("someone-else", [kept], 90_000)).toEqual({
      lost: ["kept"],
      cancelled: [],
    });
    expect(await store().renewLeases("o", [], 90_000)).toEqual({ lost: [], cancelled: [] });
  });

  it("renewing keeps a lease alive past its first expiry", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    // The renewal lands past the first expiry only if the sleeps outlast it; margins of a second or more,
    // since a loaded machine may take hundreds of milliseconds between two statements.
    await store().renewLeases("o", [lease], 1_500);
    await sleep(700);
    expect((await store().renewLeases("o", [lease], 1_500)).lost).toEqual([]);
    await sleep(1_000);
    await store().appendJournal(lease, okEntry(0));
    expect(await claim(store(), { owner: "o2" })).toEqual([]);
  });

  it("releases runs so any worker can claim them at once; a stale release changes nothing", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().releaseRuns([{ ...lease, epoch: lease.epoch + 1 }]);
    expect((await store().getRun("r1"))?.status).toBe("running");
    await store().releaseRuns([lease]);
    const run = await store().getRun("r1");
    expect(run).toMatchObject({ status: "pending", attempts: 1 });
    expect(run?.leaseOwner).toBeUndefined();
    const [again] = await claim(store(), { owner: "o2" });
    expect(again?.lease).toEqual({ runId: "r1", owner: "o2", epoch: 2 });
    expect(again?.run.recoveries).toBe(0);
    await store().releaseRuns([]);
  });

  it("tells the earliest wake-up of its workflows: a due time or a lease expiry", async () => {
    expect(await store().nextWakeAt(["w"])).toBeUndefined();
    const now = (await store().now()).getTime();
    await store().createRun(newRun("later", { startAt: new Date(now + 60_000) }));
    await store().createRun(newRun("sooner", { startAt: new Date(now + 30_000) }));
    await store().createRun(newRun("other", { workflow: "other", startAt: new Date(now + 1_000) }));
    expect(await store().nextWakeAt(["w"])).toEqual(new Date(now + 30_000));
    expect(await store().nextWakeAt(["w", "other"])).toEqual(new Date(now + 1_000));
    await store().createRun(newRun("r", { workflow: "leased" }));
    const [c] = await claim(store(), { workflows: ["leased"], leaseMs: 5_000 });
    expect(await store().nextWakeAt(["leased"])).toEqual(c?.run.leaseExpiresAt);
    expect(await store().nextWakeAt([])).toBeUndefined();
  });
}
