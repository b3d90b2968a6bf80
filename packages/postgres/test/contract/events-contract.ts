import { decode, encode, type Store } from "@durable/core";
import { expect, it } from "vitest";
import { claim, listen, newRun, okEntry, running, sleep } from "../helpers.js";

export function eventsContract(store: () => Store): void {
  it("keeps events sent before the run waits, oldest first, until consumed", async () => {
    await store().createRun(newRun("r1"));
    const a = await store().sendEvent("r1", "approved", encode({ by: "ann" }, "payload"));
    const b = await store().sendEvent("r1", "approved", encode({ by: "bob" }, "payload"));
    expect(a).toMatchObject({ runId: "r1", name: "approved" });
    expect(a?.createdAt).toBeInstanceOf(Date);
    expect(a?.consumedSeq).toBeUndefined();
    expect([a?.id, b?.id].sort()).toEqual([a?.id, b?.id]);
    const events = await store().readEvents("r1");
    expect(events.map((e) => decode(e.payload))).toEqual([{ by: "ann" }, { by: "bob" }]);
    const [claimed] = await claim(store());
    expect(claimed?.events).toEqual(events);
  });

  it("consumes an event once, in the same write as its journal entry", async () => {
    await store().createRun(newRun("r1"));
    const event = await store().sendEvent("r1", "approved", encode(1, "payload"));
    const [claimed] = await claim(store());
    if (!claimed || !event) throw new Error("setup");
    const entry = okEntry(0, 1, { kind: "event", name: "approved" });
    await store().appendJournal(claimed.lease, entry, { consumeEvent: event.id });
    expect(await store().readEvents("r1")).toEqual([]);
    await expect(
      store().appendJournal(claimed.lease, okEntry(1, 1, { kind: "event", name: "approved" }), {
        consumeEvent: event.id,
      }),
    ).rejects.toMatchObject({ name: "EventConsumedError", code: "event_consumed", eventId: event.id });
    expect((await store().readJournal("r1")).map((e) => e.seq)).toEqual([0]);
    await store().releaseRuns([claimed.lease]);
    expect((await claim(store()))[0]?.events).toEqual([]);
  });

  it("stores an event once per run and key: a repeat stores nothing, wakes nothing, returns the first", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().finishRun(lease, {
      status: "suspended",
      wakeAt: null,
      retryState: {},
      waitingFor: ["other"],
    });
    const first = await store().sendEvent("r1", "approved", encode(1, "payload"), { key: "k" });
    const again = await store().sendEvent("r1", "approved", encode(2, "payload"), { key: "k" });
    expect(again).toEqual(first);
    expect(first?.key).toBe("k");
    await store().sendEvent("r1", "approved", encode(3, "payload"));
    await store().sendEvent("r1", "approved", encode(4, "payload"), { key: "k2" });
    expect((await store().readEvents("r1")).map((e) => decode(e.payload))).toEqual([1, 3, 4]);
    await store().createRun(newRun("r2"));
    expect((await store().sendEvent("r2", "approved", encode(5, "payload"), { key: "k" }))?.runId).toBe("r2");
    expect(await store().sendEvent("nope", "approved", encode(6, "payload"), { key: "k" })).toBeUndefined();
  });

  it("refuses to append when the event to consume does not exist, writing nothing", async () => {
    const lease = await running(store(), "r1");
    await expect(store().appendJournal(lease, okEntry(0), { consumeEvent: "999999" })).rejects.toMatchObject({
      code: "event_consumed",
      eventId: "999999",
    });
    expect(await store().readJournal("r1")).toEqual([]);
  });

  it("wakes a suspended run that waits for the event's name, and only that", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    const later = new Date((await store().now()).getTime() + 60_000);
    await store().finishRun(lease, {
      status: "suspended",
      wakeAt: later,
      retryState: {},
      waitingFor: ["approved"],
    });
    await store().sendEvent("r1", "other", encode(1, "payload"));
    expect(await claim(store())).toEqual([]);
    await store().sendEvent("r1", "approved", encode(2, "payload"));
    const [again] = await claim(store());
    expect(again?.events.map((e) => e.name)).toEqual(["other", "approved"]);
  });

  it("makes a suspend due at once when an event of a name it waits for is stored and not consumed", async () => {
    // The activation did not see the event (its claim's snapshot was older), so only the store can know.
    await store().createRun(newRun("r1"));
    await store().sendEvent("r1", "approved", encode(1, "payload"));
    const [claimed] = await claim(store());
    if (!claimed) throw new Error("setup");
    await store().finishRun(claimed.lease, {
      status: "suspended",
      wakeAt: null,
      retryState: {},
      waitingFor: ["approved"],
    });
    const [again] = await claim(store());
    expect(again?.events.map((e) => e.name)).toEqual(["approved"]);
  });

  it("leaves a suspend waiting when its stored events are of other names", async () => {
    await store().createRun(newRun("r1"));
    await store().sendEvent("r1", "other", encode(1, "payload"));
    const [claimed] = await claim(store());
    if (!claimed) throw new Error("setup");
    await store().finishRun(claimed.lease, {
      status: "suspended",
      wakeAt: null,
      retryState: {},
      waitingFor: ["approved"],
    });
    expect(await claim(store())).toEqual([]);
  });

  it("remembers an event sent to a running run: its next suspend is due at once", async () => {
    const lease = await running(store(), "r1", { workflow: "w" });
    await store().sendEvent("r1", "approved", encode(1, "payload"));
    await store().finishRun(lease, {
      status: "suspended",
      wakeAt: null,
      retryState: {},
      waitingFor: ["approved"],
    });
    expect((await claim(store())).map((c) => c.run.id)).toEqual(["r1"]);
  });

  it("sends no event to an unknown run", async () => {
    expect(await store().sendEvent("nope", "e", encode(1, "payload"))).toBeUndefined();
    expect(await store().readEvents("nope")).toEqual([]);
  });

  it("announces new runs, releases and wake-ups with wake", async () => {
    const rec = await listen(store());
    await store().createRun(newRun("r1"));
    await rec.waitFor((n) => n.type === "wake");
    const [c] = await claim(store());
    if (!c) throw new Error("not claimed");
    rec.seen.length = 0;
    await store().releaseRuns([c.lease]);
    await rec.waitFor((n) => n.type === "wake");
    rec.unsubscribe();
  });

  it("announces a finished run with its id, and wakes its parent", async () => {
    const rec = await listen(store());
    const lease = await running(store(), "r1");
    await store().finishRun(lease, { status: "completed", output: encode(1, "output") });
    await rec.waitFor((n) => n.type === "finished" && n.runId === "r1");
    await store().createRun(newRun("gone"));
    await store().requestCancel("gone", "x");
    await rec.waitFor((n) => n.type === "finished" && n.runId === "gone");
    rec.unsubscribe();
  });

  it("tells the worker of a running run about a cancel request and an event", async () => {
    const rec = await listen(store());
    await running(store(), "r1");
    await store().requestCancel("r1", "stop");
    await rec.waitFor((n) => n.type === "cancel" && n.runId === "r1");
    await store().sendEvent("r1", "e", encode(1, "payload"));
    await rec.waitFor((n) => n.type === "event" && n.runId === "r1");
    rec.unsubscribe();
  });

  it("stops telling a listener that unsubscribed", async () => {
    const rec = await listen(store());
    const other = await listen(store());
    rec.unsubscribe();
    rec.seen.length = 0;
    await store().createRun(newRun("r1"));
    await other.waitFor((n) => n.type === "wake");
    await sleep(50);
    expect(rec.seen).toEqual([]);
    other.unsubscribe();
  });
}
