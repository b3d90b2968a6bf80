import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { closeHarnesses, setup, until } from "../__tests__/harness.js";
import {
  CancelledError,
  PayloadTooLargeError,
  RunNotFoundError,
  ValidationError,
  WorkflowFailedError,
  workflow,
} from "../index.js";

afterEach(closeHarnesses);

const approval = workflow(
  {
    name: "approval",
    input: z.object({ amount: z.number() }),
    events: { approved: z.object({ by: z.string() }), note: z.string() },
  },
  async (ctx, { amount }) => {
    const event = await ctx.waitForEvent("approved", { timeout: "7d" });
    return event ? `approved by ${event.by} for ${amount}` : "timed out";
  },
);

describe("events", () => {
  it("delivers an event to a waiting run, validated by the workflow's schema", async () => {
    const h = setup([approval]);
    await h.newWorker().start();
    const run = await h.client.start(approval, { amount: 10 }, { id: "a" });
    await until(async () => (await h.store.getRun("a"))?.status === "suspended");
    expect((await h.store.getRun("a"))?.waitingFor).toEqual(["approved"]);
    await run.sendEvent("approved", { by: "ann" });
    expect((await h.settle("a")).output).toBe("approved by ann for 10");
    expect((await h.client.journal("a")).map((e) => `${e.kind}:${e.name}`)).toEqual(["event:approved"]);
  });

  it("keeps an event sent before the run waits for it", async () => {
    const h = setup([approval]);
    const run = await h.client.start(approval, { amount: 5 }, { id: "early", delay: "1h" });
    await h.client.sendEvent("early", "approved", { by: "bob" });
    await h.newWorker().start();
    expect((await h.settle(run.id)).output).toBe("approved by bob for 5");
  });

  it("returns undefined when the wait times out", async () => {
    const h = setup([approval]);
    expect(await h.run(approval, { amount: 1 })).toBe("timed out");
  });

  it("consumes several events of one name in order, each once", async () => {
    const collector = workflow({ name: "collector", events: { item: z.number() } }, async (ctx) => {
      const items: (number | undefined)[] = [];
      for (let i = 0; i < 3; i++) items.push(await ctx.waitForEvent("item"));
      await ctx.sleep("1d");
      const extra = await ctx.waitForEvent("item", { timeout: "1h" });
      return { items, extra };
    });
    const h = setup([collector], { worker: {} });
    const client = h.client;
    await h.client.start(collector, undefined, { id: "c" });
    for (const n of [1, 2, 3]) await client.sendEvent("c", "item", n);
    await h.newWorker().start();
    expect((await h.settle("c")).output).toEqual({ items: [1, 2, 3], extra: undefined });
    expect(await h.store.readEvents("c")).toEqual([]);
  });

  it("refuses a payload that fails its schema, an undeclared event, or a finished run, writing nothing", async () => {
    const h = setup([approval]);
    const run = await h.client.start(approval, { amount: 1 }, { id: "v" });
    await expect(run.sendEvent("approved", { by: 7 } as never)).rejects.toThrow(
      /event "approved" payload is invalid: event "approved" payload\.by: /,
    );
    await expect(h.client.sendEvent("v", "rejected", {})).rejects.toThrow(
      'workflow "approval" declares no event "rejected" (it declares: approved, note)',
    );
    await expect(h.client.sendEvent("nope", "approved", { by: "x" })).rejects.toThrow(RunNotFoundError);
    await expect(h.client.sendEvent("v", "note", "x".repeat(2 * 1024 * 1024))).rejects.toThrow(
      PayloadTooLargeError,
    );
    expect(await h.store.readEvents("v")).toEqual([]);
    await h.client.cancel("v");
    await expect(h.client.sendEvent("v", "approved", { by: "x" })).rejects.toThrow(
      /run v is cancelled; it takes no more events/,
    );
  });

  it("never lets __proto__, constructor or prototype keys in a payload pollute Object.prototype", async () => {
    const open = workflow({ name: "open" }, async (ctx) => ctx.waitForEvent("any", { timeout: "1h" }));
    const h = setup([open]);
    await h.client.start(open, undefined, { id: "p" });
    for (const text of [
      '{"__proto__": {"polluted": 1}}',
      '{"constructor": {"prototype": {"polluted": 1}}}',
      '{"prototype": {"polluted": 1}}',
    ]) {
      await expect(h.client.sendEvent("p", "any", JSON.parse(text))).rejects.toThrow(
        /prevent prototype pollution/,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it("replays a race between an event and a timer exactly as it first resolved", async () => {
    const racer = workflow({ name: "racer", events: { go: z.string() } }, async (ctx) => {
      const winner = await Promise.race([
        ctx.waitForEvent("go").then((v) => `event:${v}`),
        ctx.sleep("1h").then(() => "timer"),
      ]);
      await ctx.sleep("1d");
      return winner;
    });
    const h = setup([racer]);
    await h.newWorker().start();
    await h.client.start(racer, undefined, { id: "r1" });
    await until(async () => (await h.store.getRun("r1"))?.status === "suspended");
    await h.client.sendEvent("r1", "go", "now");
    expect((await h.settle("r1")).output).toBe("event:now");
    await h.client.start(racer, undefined, { id: "r2" });
    expect((await h.settle("r2")).output).toBe("timer");
    await h.client.sendEvent("r2", "go", "late").catch(() => {});
  });
});

describe("children", () => {
  const child = workflow({ name: "child", input: z.object({ n: z.number() }) }, async (ctx, { n }) => {
    await ctx.sleep("1h");
    if (n < 0) throw new RangeError("negative");
    return n * 2;
  });

  it("waits durably for a child's result, with the child's parentId and a derived id", async () => {
    const parent = workflow({ name: "parent" }, async (ctx) => {
      const a = await ctx.child(child, { n: 2 });
      const b = await ctx.child(child, { n: 5 }, { id: "custom-child" });
      return a + b;
    });
    const h = setup([parent, child]);
    expect(await h.run(parent, undefined, { id: "p" })).toBe(14);
    expect((await h.client.get("p:0"))?.parentId).toBe("p");
    expect((await h.client.get("custom-child"))?.parentId).toBe("p");
    expect((await h.client.list({ parentId: "p" })).map((r) => r.id).sort()).toEqual(["custom-child", "p:0"]);
  });

  it("rethrows a child's error in the parent, and never starts a second child on replay", async () => {
    const parent = workflow({ name: "parent2" }, async (ctx) => {
      try {
        await ctx.child(child, { n: -1 });
      } catch (error) {
        await ctx.sleep("1d");
        return error instanceof WorkflowFailedError ? `${error.data.name}: ${error.data.message}` : "other";
      }
    });
    const h = setup([parent, child]);
    expect(await h.run(parent, undefined, { id: "q" })).toBe("RangeError: negative");
    expect(await h.client.list({ workflow: "child" })).toHaveLength(1);
  });

  it("returns the id from startChild without waiting; the child keeps running after its parent completes", async () => {
    const parent = workflow({ name: "starter" }, async (ctx) => ctx.startChild(child, { n: 1 }));
    const h = setup([parent, child]);
    const id = await h.run(parent, undefined, { id: "s" });
    expect(id).toBe("s:0");
    expect((await h.client.get("s:0"))?.status).not.toBe("cancelled");
    expect((await h.settle("s:0")).output).toBe(2);
  });

  it("validates a child's input inside the parent before starting it", async () => {
    const parent = workflow({ name: "bad-parent" }, async (ctx) => {
      try {
        await ctx.child(child, { n: "x" } as never);
      } catch (error) {
        return error instanceof ValidationError ? "refused" : "other";
      }
    });
    const h = setup([parent, child]);
    expect(await h.run(parent, undefined)).toBe("refused");
    expect(await h.client.list({ workflow: "child" })).toEqual([]);
  });

  it("cancels a parent's children with it unless they were started with parentClose: abandon", async () => {
    const parent = workflow({ name: "cascade" }, async (ctx) => {
      await ctx.startChild(child, { n: 1 }, { id: "kept", parentClose: "abandon" });
      return ctx.child(child, { n: 2 }, { id: "cancelled-with-parent" });
    });
    const h = setup([parent, child]);
    await h.newWorker().start();
    await h.client.start(parent, undefined, { id: "cp" });
    await until(async () => (await h.store.getRun("cp"))?.status === "suspended");
    await until(async () => (await h.store.getRun("cancelled-with-parent"))?.status === "suspended");
    await h.client.cancel("cp", "order withdrawn");
    expect((await h.settle("cp")).status).toBe("cancelled");
    const cancelled = await h.settle("cancelled-with-parent");
    expect(cancelled.status).toBe("cancelled");
    expect((await h.settle("kept")).status).toBe("completed");
  });
});

describe("versioning, fork and continue-as-new", () => {
  it("patched() is true for runs that reach it under the new code and false for journals past it", async () => {
    const v1 = workflow({ name: "shipping" }, async (ctx) => {
      await ctx.call("pack", () => "packed");
      await ctx.sleep("1d");
      const sent = await ctx.call("post", () => "posted");
      await ctx.sleep("1d");
      return sent;
    });
    const h1 = setup([v1]);
    await h1.newWorker().start();
    await h1.client.start(v1, undefined, { id: "late" });
    await until(async () => (await h1.store.getRun("late"))?.status === "suspended");
    h1.clock.advance("25h");
    await until(async () => (await h1.client.journal("late")).length === 3);
    await until(async () => (await h1.store.getRun("late"))?.status === "suspended");
    await h1.client.start(v1, undefined, { id: "early" });
    await until(async () => (await h1.store.getRun("early"))?.status === "suspended");
    await h1.close();

    const v2 = workflow({ name: "shipping" }, async (ctx) => {
      await ctx.call("pack", () => "packed");
      await ctx.sleep("1d");
      const sent = ctx.patched("use-courier")
        ? await ctx.call("courier", () => "couriered")
        : await ctx.call("post", () => "posted");
      await ctx.sleep("1d");
      return sent;
    });
    const h2 = setup([v2], { store: h1.store, clock: h1.clock });
    await h2.newWorker().start();
    expect((await h2.settle("early")).output).toBe("couriered");
    expect((await h2.settle("late")).output).toBe("posted");
    expect(await h2.run(v2, undefined, { id: "new" })).toBe("couriered");
    const kinds = async (id: string) => (await h2.client.journal(id)).map((e) => `${e.kind}:${e.name}`);
    expect(await kinds("new")).toEqual([
      "call:pack",
      "sleep:sleep",
      "patch:use-courier",
      "call:courier",
      "sleep:sleep",
    ]);
    expect(await kinds("late")).toEqual(["call:pack", "sleep:sleep", "call:post", "sleep:sleep"]);
  });

  it("forks a run from a journal entry: entries before it are reused, the rest runs live", async () => {
    let charges = 0;
    const wf = workflow({ name: "forkable" }, async (ctx) => {
      const a = await ctx.call("reserve", () => "reserved");
      const b = await ctx.call("charge", () => `charge-${++charges}`);
      return [a, b];
    });
    const h = setup([wf]);
    expect(await h.run(wf, undefined, { id: "src" })).toEqual(["reserved", "charge-1"]);
    const fork = await h.client.fork("src", { fromSeq: 1, id: "forked" });
    expect(fork.tags["durable.forkedFrom"]).toBe("src");
    expect((await h.settle("forked")).output).toEqual(["reserved", "charge-2"]);
    // Claimed by the live worker at once, with its copied journal: one activation, no crash recovery.
    expect(await h.store.getRun("forked")).toMatchObject({ attempts: 1, recoveries: 0 });
    await expect(h.client.fork("missing", { fromSeq: 0 })).rejects.toThrow(RunNotFoundError);
    await expect(h.client.fork("src", { fromSeq: -1 })).rejects.toThrow(ValidationError);
  });

  it("continues as new with an empty journal, and result() follows the chain to the last run", async () => {
    const counter = workflow({ name: "counter", input: z.object({ n: z.number() }) }, async (ctx, { n }) => {
      await ctx.call("tick", () => n);
      if (n < 3) return ctx.continueAsNew({ n: n + 1 });
      return `done at ${n}`;
    });
    const h = setup([counter]);
    expect(await h.run(counter, { n: 0 }, { id: "loop" })).toBe("done at 3");
    const first = await h.client.get("loop");
    expect(first).toMatchObject({ status: "completed", continuedAs: "loop~1" });
    expect(await h.client.get("loop~1")).toMatchObject({ continuedFrom: "loop", continuedAs: "loop~2" });
    expect(await h.client.get("loop~3")).toMatchObject({
      status: "completed",
      output: "done at 3",
      input: { n: 3 },
    });
    expect(await h.client.journal("loop~3")).toHaveLength(1);
  });

  it("warns once when a run passes 10,000 journal entries, pointing to continueAsNew", async () => {
    const long = workflow({ name: "long-loop" }, async (ctx) => {
      const values = await Promise.all(
        Array.from({ length: 10_001 }, (_, i) => ctx.call(`n${i % 3}`, () => i)),
      );
      return values.length;
    });
    const h = setup([long]);
    expect(await h.run(long, undefined, { id: "long" })).toBe(10_001);
    const warnings = h.logs.filter((l) => l.level === 40 && String(l.msg).includes("10000 commands"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toBe(
      "run long has issued 10000 commands; long-lived loops should call ctx.continueAsNew(input) to start afresh with an empty journal",
    );
  }, 60_000);

  it("prunes finished runs older than a duration, with their journals", async () => {
    const quick = workflow({ name: "quick" }, async (ctx) => ctx.call("x", () => 1));
    const h = setup([quick]);
    await h.run(quick, undefined, { id: "old" });
    h.clock.advance("40d");
    await h.run(quick, undefined, { id: "recent" });
    await h.client.start(quick, undefined, { id: "waiting", delay: "90d" });
    expect(await h.client.prune({ olderThan: "30d" })).toBe(1);
    expect(await h.client.get("old")).toBeUndefined();
    expect(await h.client.journal("old")).toEqual([]);
    expect((await h.client.list()).map((r) => r.id).sort()).toEqual(["recent", "waiting"]);
  });
});

describe("cancellation details", () => {
  it("cancels a run waiting for an event without waiting for anything", async () => {
    const h = setup([approval]);
    await h.newWorker().start();
    const run = await h.client.start(approval, { amount: 3 }, { id: "w" });
    await until(async () => (await h.store.getRun("w"))?.status === "suspended");
    await h.client.cancel("w", "no longer needed");
    await expect(run.result({ timeout: "5s" })).rejects.toThrow(CancelledError);
  });
});
