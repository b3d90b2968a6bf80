import { describe, expect, it } from "vitest";
import { createHarness } from "./__tests__/harness.js";
import { workflow } from "./index.js";

describe("smoke", () => {
  it("runs a call, a sleep and a decision", async () => {
    let calls = 0;
    const wf = workflow({ name: "smoke" }, async (ctx, n: number) => {
      const a = await ctx.call("a", () => { calls++; return n + 1; });
      await ctx.sleep("90d");
      const b = await ctx.decide("b", () => a > 1);
      return { a, b, at: ctx.now() };
    });
    const h = createHarness([wf]);
    const started = Date.now();
    const out = await h.run(wf, 1);
    expect(out.a).toBe(2);
    expect(out.b).toBe(true);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    await h.close();
  });
});
