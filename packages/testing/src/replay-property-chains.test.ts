import { workflow } from "@durable/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ReplayPropertyError, replayProperty, type SimulatedMessage } from "./index.js";

// Three runs: batch 0 and 1 continue as new, batch 2 ships.
const batches = (name: string, express: (ctx: { random(): number }) => boolean) =>
  workflow({ name }, async (ctx, n: number): Promise<string> => {
    await ctx.call(`batch-${n}`, () => n);
    if (n < 2) return ctx.continueAsNew(n + 1);
    const fast = express(ctx);
    await ctx.sleep("1h");
    return ctx.call(fast ? "ship-express" : "ship-ground", () => "shipped");
  });

describe("replayProperty over a continue-as-new chain", () => {
  it("crashes and compares every run of the chain, not only the first", async () => {
    const correct = batches("batches", (ctx) => ctx.random() < 0.5);
    const stats = await replayProperty(correct, { input: fc.constant(0), runs: 20 });
    // batch-0, batch-1, batch-2, the sleep and the shipping step: five entries a case, over three runs.
    expect(stats.entries).toBe(stats.runs * 5);
    expect(stats.crashes).toBeGreaterThan(0);
  });

  it("catches Math.random() steering a branch in the last run of the chain", async () => {
    const sloppy = batches("batches-sloppy", () => Math.random() < 0.5);
    const error = await replayProperty(sloppy, { input: fc.constant(0), runs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayPropertyError);
    const { problems, message } = error as ReplayPropertyError;
    expect(problems.join("\n")).toMatch(/ship-(express|ground)/);
    expect(message).toContain("replay:batches-sloppy~2");
  });

  it("sends each event to the chain's current run", async () => {
    const ticker = workflow(
      { name: "ticker", events: { tick: z.object({ n: z.number() }) } },
      async (ctx, seen: number): Promise<number> => {
        const tick = await ctx.waitForEvent("tick");
        const total = seen + (tick?.n ?? 0);
        return seen < 2 ? ctx.continueAsNew(total) : total;
      },
    );
    const events = fc.constant([1, 2, 3].map((n) => ({ name: "tick", payload: { n } })));
    const stats = await replayProperty(ticker, { input: fc.constant(0), events, runs: 10 });
    expect(stats.entries).toBe(stats.runs * 3);
  });
});

describe("replayProperty with other messages", () => {
  it("delivers a SimulatedMessage through the client at a pause of the run", async () => {
    const sent: string[] = [];
    const approval = workflow(
      { name: "approval-message", events: { approved: z.object({ by: z.string() }) } },
      async (ctx) => {
        await ctx.call("ask", () => "asked");
        const answer = await ctx.waitForEvent("approved", { timeout: "1d" });
        return answer ? `approved by ${answer.by}` : "expired";
      },
    );
    const approve: SimulatedMessage = {
      name: "an approval from the dashboard",
      send: async (client, runId) => {
        sent.push(runId);
        await client.sendEvent(runId, "approved", { by: "ann" });
      },
    };
    await replayProperty(approval, {
      input: fc.constant(undefined),
      events: fc.constant([approve]),
      runs: 10,
    });
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set(["replay:approval-message"]));
  });
});
