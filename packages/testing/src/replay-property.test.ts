import { workflow } from "@durable/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ReplayPropertyError, replayProperty } from "./index.js";

// One shape of workflow, four bodies: the correct one and three with a planted replay bug.
const order = (
  name: string,
  choose: (ctx: Parameters<Parameters<typeof workflow>[1]>[0], items: number) => Promise<boolean>,
) =>
  workflow({ name }, async (ctx, items: number) => {
    const price = await ctx.call("price", () => items * 250);
    const express = await choose(ctx, items);
    await ctx.sleep(express ? "1h" : "2d");
    const label = express
      ? await ctx.call("ship-express", () => `express:${price}`)
      : await ctx.call("ship-ground", () => `ground:${price}`);
    return { price, label };
  });

const correct = order("order", async (ctx) => (await ctx.call("roll", () => Math.random())) < 0.5);

const randomBranch = order("order-random-branch", async () => Math.random() < 0.5);

const clockNamedStep = workflow({ name: "order-clock-named-step" }, async (ctx, items: number) => {
  const price = await ctx.call("price", () => items * 250);
  const invoice = await ctx.call(`invoice-${new Date().toISOString().slice(0, 10)}`, () => `inv-${price}`);
  await ctx.sleep("1d");
  const label = await ctx.call("ship", () => `ground:${price}`);
  return { invoice: invoice.length, label };
});

// A fake inventory API outside ctx: every call flips its answer, like stock that comes and goes.
let stockCalls = 0;
const inventory = { inStock: () => ++stockCalls % 2 === 0 };
const unjournaledApi = order("order-unjournaled-api", async () => inventory.inStock());
const journaledApi = order("order-journaled-api", (ctx) => ctx.call("in-stock", () => inventory.inStock()));

const items = fc.integer({ min: 1, max: 20 });

async function failureOf(promise: Promise<unknown>): Promise<ReplayPropertyError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ReplayPropertyError);
  return error as ReplayPropertyError;
}

describe("replayProperty", () => {
  it("passes on a workflow whose body goes through ctx, crashing it after any of its journal entries", async () => {
    const stats = await replayProperty(correct, { input: items });
    expect(stats.runs).toBeGreaterThan(0);
    expect(stats.crashes).toBeGreaterThan(stats.runs / 2);
    expect(stats.injectedFailures).toBeGreaterThan(0);
  });

  it("passes when a fake API is called through ctx.call, so its answer is journaled", async () => {
    await replayProperty(journaledApi, { input: items });
  });

  it("catches Math.random() steering a branch in the body", async () => {
    const error = await failureOf(replayProperty(randomBranch, { input: items }));
    expect(error.message).toMatch(
      /^replayProperty\("order-random-branch"\) failed after \d+ cases? \(shrunk/,
    );
    expect(error.message).toContain("input: 1");
    expect(error.message).toMatch(/crash: process 1 died/);
    expect(error.message).toMatch(/journal after the crash:\n\s+seq\s+kind\s+name/);
    expect(error.problems.join("\n")).toMatch(/ship-(express|ground)/);
  });

  it("catches a step whose name depends on the wall clock", async () => {
    const error = await failureOf(replayProperty(clockNamedStep, { input: items }));
    expect(error.problems.join("\n")).toMatch(/call\("invoice-\d{4}-\d\d-\d\d"\)/);
    expect(error.message).toContain("input: 1");
  });

  it("catches an unjournaled API call outside ctx that steers a branch", async () => {
    const error = await failureOf(replayProperty(unjournaledApi, { input: items }));
    expect(error.problems.join("\n")).toMatch(/ship-(express|ground)/);
  });

  it("reports the NonDeterminismError that a replay after a crash runs into", async () => {
    const replayAware = workflow({ name: "replay-aware" }, async (ctx, n: number) => {
      const a = await ctx.call("a", () => n);
      const b = ctx.isReplaying ? await ctx.call("b-again", () => 0) : await ctx.call("b", () => 1);
      return a + b;
    });
    const error = await failureOf(replayProperty(replayAware, { input: fc.nat() }));
    expect(error.problems[0]).toMatch(
      /^resumed after the crash, the run is blocked by non-determinism: run replay:replay-aware no longer replays: seq 1 was issued as call\("b-again"\) but the journal has call\("b"\)/,
    );
    expect(error.message).toContain(
      'crash: process 1 died after journal entry 2 of 2 (seq 1 call("b")); process 2',
    );
    expect(error.message).not.toContain("process 3");
    expect(error.message).not.toContain("worker warnings");
  });

  it("explores the orders in which events arrive", async () => {
    const outcomes = new Set<string>();
    const expense = workflow(
      {
        name: "expense",
        events: { approved: z.object({ by: z.string() }), rejected: z.object({ why: z.string() }) },
      },
      async (ctx, cents: number) => {
        await ctx.call("submit", () => cents);
        const verdict = await Promise.race([
          ctx.waitForEvent("approved").then((a) => `approved by ${a?.by}`),
          ctx.waitForEvent("rejected").then((r) => `rejected: ${r?.why}`),
        ]);
        outcomes.add(verdict);
        await ctx.sleep("1d");
        if (verdict.startsWith("approved")) await ctx.call("pay", () => cents);
        return verdict;
      },
    );
    const events = fc.shuffledSubarray(
      [
        { name: "approved", payload: { by: "ann" } },
        { name: "rejected", payload: { why: "late" } },
      ],
      { minLength: 1 },
    );
    const stats = await replayProperty(expense, { input: fc.nat({ max: 10_000 }), events });
    expect(stats.crashes).toBeGreaterThan(0);
    expect(outcomes).toEqual(new Set(["approved by ann", "rejected: late"]));
  });

  it("crashes runs that start children, counting appends of parent and child alike", async () => {
    const invoice = workflow({ name: "invoice" }, async (ctx, cents: number) => {
      await ctx.sleep("1h");
      return ctx.call("bill", () => `billed ${cents}`);
    });
    const checkout = workflow({ name: "checkout" }, async (ctx, cents: number) => {
      const reserved = await ctx.call("reserve", () => cents > 0);
      const bill = await ctx.child(invoice, cents);
      return { reserved, bill };
    });
    const stats = await replayProperty(checkout, {
      input: fc.nat({ max: 500 }),
      workflows: [invoice],
      runs: 30,
    });
    expect(stats.crashes).toBeGreaterThan(0);
  });

  it("draws step results from arbitraries given as step doubles", async () => {
    const seen = new Set<boolean>();
    const gated = workflow({ name: "gated" }, async (ctx, n: number) => {
      const open = await ctx.decide("gate-open", () => true);
      seen.add(open);
      return open ? ctx.call("enter", () => n + 1) : n;
    });
    await replayProperty(gated, { input: fc.nat(), steps: { "gate-open": fc.boolean() }, runs: 30 });
    expect(seen).toEqual(new Set([true, false]));
  });
});
