import { NonDeterminismError, workflow } from "@durable/core";
import { describe, expect, it } from "vitest";
import { assertDeterministic, checkDeterminism } from "./index.js";

const thisFile = "assert-deterministic.test.ts";

const clean = workflow({ name: "clean" }, async (ctx, userId: string) => {
  const started = ctx.now();
  const token = ctx.uuid();
  const fetchedAt = await ctx.call("fetch", () => Date.now());
  await ctx.sleep("1d");
  const lucky = await ctx.decide("lucky", () => Math.random() < 0.5);
  return { userId, started, token, fetchedAt, lucky, roll: ctx.random() };
});

describe("assertDeterministic", () => {
  it("passes on a body that reads time and randomness through ctx and steps", async () => {
    const report = await assertDeterministic(clean, "u1");
    expect(report).toMatchObject({ ok: true, calls: [], differences: [] });
    expect(report.journals[0].map((e) => e.name)).toEqual(["fetch", "sleep", "lucky"]);
  });

  it("reports Math.random() in the body with its line, and the journals that differ because of it", async () => {
    const coin = workflow({ name: "coin" }, async (ctx) => {
      const heads = Math.random() < 0.5;
      return heads ? ctx.call("heads", () => 1) : ctx.call("tails", () => 0);
    });
    const report = await checkDeterminism(coin, undefined);
    expect(report.ok).toBe(false);
    expect(report.calls).toEqual([
      { api: "Math.random()", location: expect.stringContaining(thisFile), instead: "ctx.random()" },
    ]);
    expect(report.differences).toEqual([
      expect.stringMatching(
        /^the journals differ at seq 0: first run call\("(heads|tails)"\) → \d, second run call\("(heads|tails)"\)/,
      ),
      expect.stringMatching(/^in the second run, the run returned \d; in the first run it returned \d$/),
    ]);
  });

  it("reports Date.now(), new Date() and setTimeout in the body, each once, with where they are", async () => {
    const sloppy = workflow({ name: "sloppy" }, async (ctx) => {
      const stamp = Date.now();
      const day = new Date().toISOString().slice(0, 10);
      await new Promise((resolve) => setTimeout(resolve, 1));
      await ctx.call(`report-${day}`, () => stamp);
      return "done";
    });
    const report = await checkDeterminism(sloppy, undefined);
    expect(report.calls.map((c) => c.api).sort()).toEqual(["Date.now()", "new Date()", "setTimeout"]);
    for (const call of report.calls) expect(call.location).toContain(thisFile);
    expect(report.differences).toEqual([
      expect.stringMatching(
        /^the journals differ at seq 0: first run call\("report-\d{4}-\d\d-\d\d"\) → \d+, second run call\("report-\d{4}-\d\d-\d\d"\)/,
      ),
    ]);
  });

  it("throws NonDeterminismError listing every finding", async () => {
    const coin = workflow({ name: "coin-2" }, async (ctx) =>
      Math.random() < 2 ? ctx.call("heads", () => 1) : 0,
    );
    const error = await assertDeterministic(coin, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonDeterminismError);
    expect((error as Error).message).toMatch(
      /^workflow "coin-2" is not deterministic \(.*\):\n {2}Math\.random\(\) in its body at .*assert-deterministic\.test\.ts:\d+:\d+; use ctx\.random\(\), or move it into a step$/,
    );
  });

  it("finds calls that core's guard already warned about earlier in this process", async () => {
    const twice = workflow({ name: "twice" }, async (ctx) => ctx.call(`at-${Date.now() > 0}`, () => 1));
    await checkDeterminism(twice, undefined);
    const again = await checkDeterminism(twice, undefined);
    expect(again.calls.map((c) => c.api)).toEqual(["Date.now()"]);
  });
});
