import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { closeHarnesses, setup } from "../__tests__/harness.js";
import {
  CancelledError,
  NonDeterminismError,
  PayloadTooLargeError,
  RunNotFoundError,
  SerializationError,
  TimeoutError,
  ValidationError,
  workflow,
} from "../index.js";

afterEach(closeHarnesses);

const onboarding = workflow(
  { name: "onboarding", input: z.object({ userId: z.string(), plan: z.enum(["free", "pro"]).optional() }) },
  async (ctx, { userId }) => {
    await ctx.sleep("1d");
    return ctx.call("welcome", () => `welcome ${userId}`);
  },
);

describe("client.start", () => {
  it("refuses bad input with a ValidationError naming the field, and writes nothing", async () => {
    const h = setup([onboarding]);
    const error = await h.client.start(onboarding, { userId: 7 } as never, { id: "bad" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/input\.userId/);
    expect(error.issues[0].path).toBe("input.userId");
    expect(await h.client.get("bad")).toBeUndefined();
    expect(await h.client.list()).toEqual([]);
  });

  it("refuses input that cannot be stored, or is too large, before writing", async () => {
    const any = workflow({ name: "any" }, async (_ctx, input: unknown) => input);
    const h = setup([any]);
    await expect(h.client.start(any, { when: new Date(Number.NaN) }, { id: "x" })).rejects.toThrow(
      SerializationError,
    );
    await expect(h.client.start(any, "x".repeat(2 * 1024 * 1024), { id: "y" })).rejects.toThrow(
      PayloadTooLargeError,
    );
    expect(await h.client.list()).toEqual([]);
  });

  it("returns the existing run when started again with the same id", async () => {
    const h = setup([onboarding]);
    const first = await h.client.start(onboarding, { userId: "u1" }, { id: "onboarding:u1" });
    const second = await h.client.start(onboarding, { userId: "other" }, { id: "onboarding:u1" });
    expect(second.id).toBe(first.id);
    const runs = await h.client.list();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.input).toEqual({ userId: "u1" });
  });

  it("defaults the run id to a time-ordered UUIDv7", async () => {
    const h = setup([onboarding]);
    const a = await h.client.start(onboarding, { userId: "a" });
    const b = await h.client.start(onboarding, { userId: "b" });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id < b.id).toBe(true);
  });

  it("holds a run until startAt or delay, judged by the store's clock", async () => {
    const h = setup([onboarding]);
    const now = h.clock.now();
    await h.client.start(onboarding, { userId: "a" }, { id: "at", startAt: new Date(now + 3_600_000) });
    await h.client.start(onboarding, { userId: "b" }, { id: "later", delay: "2h" });
    expect((await h.client.get("at"))?.wakeAt?.getTime()).toBe(now + 3_600_000);
    expect((await h.client.get("later"))?.wakeAt?.getTime()).toBe(now + 7_200_000);
    await h.newWorker().start();
    await new Promise((r) => setTimeout(r, 30));
    expect((await h.client.get("at"))?.status).toBe("pending");
    await h.settle("later");
    const at = await h.client.get("at");
    expect(at?.startedAt?.getTime()).toBeGreaterThanOrEqual(now + 3_600_000);
    expect((await h.client.get("later"))?.startedAt?.getTime()).toBeGreaterThanOrEqual(now + 7_200_000);
  });

  it("refuses a bad delay or tag before writing", async () => {
    const h = setup([onboarding]);
    await expect(h.client.start(onboarding, { userId: "a" }, { delay: "soon" })).rejects.toThrow(
      /options\.delay/,
    );
    await expect(h.client.start(onboarding, { userId: "a" }, { tags: { k: 1 as never } })).rejects.toThrow(
      /options\.tags\.k/,
    );
    expect(await h.client.list()).toEqual([]);
  });
});

describe("client.get, list and result", () => {
  it("returns RunInfo with decoded payloads, and undefined for an unknown id", async () => {
    const h = setup([onboarding]);
    const handle = await h.start(onboarding, { userId: "u1" }, { id: "r", tags: { customer: "c-9" } });
    await h.settle("r");
    expect(await handle.result()).toBe("welcome u1");
    const info = await h.client.get("r");
    expect(info).toMatchObject({
      id: "r",
      workflow: "onboarding",
      version: "1",
      status: "completed",
      input: { userId: "u1" },
      output: "welcome u1",
      tags: { customer: "c-9" },
    });
    expect(info?.finishedAt).toBeInstanceOf(Date);
    expect(await h.client.get("nope")).toBeUndefined();
  });

  it("lists runs newest first, filtered by status, workflow and tags, with a limit", async () => {
    const other = workflow({ name: "other" }, async () => 1);
    const h = setup([onboarding, other]);
    for (const i of [1, 2, 3]) {
      await h.client.start(
        onboarding,
        { userId: `u${i}` },
        { id: `o${i}`, tags: { customer: i === 2 ? "c-2" : "c-x" } },
      );
      h.clock.advance("1s");
    }
    await h.client.start(other, undefined, { id: "x" });
    expect((await h.client.list()).map((r) => r.id)).toEqual(["x", "o3", "o2", "o1"]);
    expect((await h.client.list({ workflow: "onboarding", limit: 2 })).map((r) => r.id)).toEqual([
      "o3",
      "o2",
    ]);
    expect((await h.client.list({ tags: { customer: "c-2" } })).map((r) => r.id)).toEqual(["o2"]);
    expect((await h.client.list({ status: "completed" })).map((r) => r.id)).toEqual([]);
    const page = await h.client.list({ limit: 2 });
    expect((await h.client.list({ before: page[1]?.createdAt as Date })).map((r) => r.id)).toEqual([
      "o2",
      "o1",
    ]);
    await expect(h.client.list({ limit: 5000 })).rejects.toThrow(ValidationError);
  });

  it("throws TimeoutError when the run does not finish in time, and RunNotFoundError for an unknown run", async () => {
    const h = setup([onboarding]);
    const handle = await h.client.start(onboarding, { userId: "u1" });
    await expect(handle.result({ timeout: "20ms" })).rejects.toThrow(TimeoutError);
    await expect(h.client.handle("missing").result()).rejects.toThrow(RunNotFoundError);
  });
});

describe("blocked runs and retry", () => {
  it("parks a run whose journal no longer replays as blocked, without retrying it hot, and resumes it after a fix", async () => {
    const v1 = workflow({ name: "versioned" }, async (ctx) => {
      await ctx.call("reserve", () => "r");
      await ctx.sleep("1d");
      return "v1";
    });
    const h1 = setup([v1]);
    await h1.newWorker().start();
    await h1.client.start(v1, undefined, { id: "order:42" });
    while ((await h1.store.getRun("order:42"))?.status !== "suspended")
      await new Promise((r) => setTimeout(r, 1));
    await h1.close();

    const v2 = workflow({ name: "versioned" }, async (ctx) => {
      await ctx.call("ship", () => "s");
      await ctx.sleep("1d");
      return "v2";
    });
    const h2 = setup([v2], { store: h1.store, clock: h1.clock });
    await h2.newWorker().start();
    const blocked = await h2.settle("order:42");
    expect(blocked.status).toBe("blocked");
    expect(blocked.error?.code).toBe("non_determinism");
    expect(blocked.error?.message).toBe(
      'run order:42 no longer replays: seq 0 was issued as call("ship") but the journal has call("reserve"); deploy code that replays it and retry the run, or fork it (durable fork order:42 --from 0)',
    );
    const attempts = blocked.attempts;
    h2.clock.advance("30d");
    await new Promise((r) => setTimeout(r, 30));
    expect((await h2.client.get("order:42"))?.attempts).toBe(attempts);
    await expect(h2.client.handle("order:42").result()).rejects.toThrow(NonDeterminismError);
    expect(await h2.client.journal("order:42")).toHaveLength(1);
    await h2.close();

    const fixed = workflow({ name: "versioned" }, async (ctx) => {
      await ctx.call("reserve", () => "r");
      await ctx.sleep("1d");
      return "fixed";
    });
    const h3 = setup([fixed], { store: h1.store, clock: h1.clock });
    await h3.client.retry("order:42");
    await h3.newWorker().start();
    expect((await h3.settle("order:42")).output).toBe("fixed");
  });

  it("retries a failed run from its failed step with a fresh retry budget", async () => {
    let healthy = false;
    let reserved = 0;
    const wf = workflow({ name: "flaky-order" }, async (ctx) => {
      await ctx.call("reserve", () => ++reserved);
      return ctx.call(
        "charge",
        () => {
          if (!healthy) throw new Error("gateway down");
          return "charged";
        },
        { retry: { maxAttempts: 2, initialInterval: "1s" } },
      );
    });
    const h = setup([wf]);
    await expect(h.run(wf, undefined, { id: "f" })).rejects.toThrow(/gateway down/);
    await expect(h.client.retry("done-or-missing")).rejects.toThrow(RunNotFoundError);
    healthy = true;
    const info = await h.client.retry("f");
    expect(info.status).toBe("pending");
    expect((await h.settle("f")).output).toBe("charged");
    expect(reserved).toBe(1);
    await expect(h.client.retry("f")).rejects.toThrow(
      /run f is completed; only a blocked or failed run can be retried/,
    );
  });
});

describe("client.cancel", () => {
  it("cancels a suspended run at once: the workflow sees CancelledError, compensates and ends cancelled", async () => {
    const wf = workflow({ name: "cancellable" }, async (ctx) => {
      await ctx.call("reserve", () => "reserved");
      try {
        await ctx.sleep("30d");
        return "shipped";
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        await ctx.call("release", () => "released");
        return `released: ${error.reason}`;
      }
    });
    const h = setup([wf]);
    await h.newWorker().start();
    const handle = await h.client.start(wf, undefined, { id: "c" });
    while ((await h.store.getRun("c"))?.status !== "suspended") await new Promise((r) => setTimeout(r, 1));
    const before = h.clock.now();
    await h.client.cancel("c", "customer left");
    const info = await h.settle("c");
    expect(h.clock.now()).toBe(before);
    expect(info.status).toBe("cancelled");
    expect(info.output).toBe("released: customer left");
    await expect(handle.result()).rejects.toThrow(CancelledError);
    expect((await h.client.journal("c")).map((e) => e.kind)).toEqual(["call", "cancel", "call"]);
  });

  it("cancels a run that never started without running it, and refuses unknown ids", async () => {
    let ran = false;
    const wf = workflow({ name: "never" }, async () => {
      ran = true;
    });
    const h = setup([wf]);
    await h.client.start(wf, undefined, { id: "n", delay: "1h" });
    expect((await h.client.cancel("n")).status).toBe("cancelled");
    await h.newWorker().start();
    h.clock.advance("2h");
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toBe(false);
    await expect(h.client.cancel("missing")).rejects.toThrow(RunNotFoundError);
  });

  it("aborts a running step's signal and delivers CancelledError at the current await", async () => {
    let signalled = false;
    const wf = workflow({ name: "running" }, async (ctx) => {
      try {
        await ctx.call(
          "long",
          (s) =>
            new Promise((resolve) =>
              s.signal.addEventListener("abort", () => {
                signalled = true;
                resolve("stopped");
              }),
            ),
        );
        return "finished";
      } catch (error) {
        return error instanceof CancelledError ? "saw cancellation" : "other";
      }
    });
    const h = setup([wf]);
    await h.newWorker().start();
    await h.client.start(wf, undefined, { id: "r" });
    while ((await h.store.getRun("r"))?.status !== "running") await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 5));
    await h.client.cancel("r", "stop");
    const info = await h.settle("r");
    expect(signalled).toBe(true);
    expect(info).toMatchObject({ status: "cancelled", output: "saw cancellation" });
    const journal = await h.client.journal("r");
    // By seq: the step (aborted through its signal, journaled as cancelled), then the cancellation.
    expect(journal.map((e) => `${e.kind}:${e.outcome}`)).toEqual(["call:error", "cancel:ok"]);
    expect(journal[0]?.outcome === "error" && journal[0].error.name).toBe("CancelledError");
  });
});

describe("client.sendEvent", () => {
  it("delivers an event sent twice with one id once, and refuses a bad id before writing", async () => {
    const twice = workflow({ name: "twice", events: { vote: z.number() } }, async (ctx) => {
      const first = await ctx.waitForEvent("vote");
      const second = await ctx.waitForEvent("vote", { timeout: "1h" });
      return [first, second];
    });
    const h = setup([twice]);
    await h.newWorker().start();
    const run = await h.client.start(twice, undefined);
    await h.client.sendEvent(run.id, "vote", 1, { id: "ballot-1" });
    await h.client.sendEvent(run.id, "vote", 2, { id: "ballot-1" });
    await expect(h.client.sendEvent(run.id, "vote", 3, { id: "" })).rejects.toThrow(ValidationError);
    expect((await h.settle(run.id)).output).toEqual([1, undefined]);
    expect(await h.store.readEvents(run.id)).toEqual([]);
  });
});
