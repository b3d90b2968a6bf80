import { workflow } from "@durable/core";
import { z } from "zod";

/**
 * The smallest tour of the three node kinds: a call, a two-second durable sleep and a decision. Finishes in
 * about two seconds of real time, so `durable dev` shows a run go from start to completed.
 * @example
 * const run = await client.start(hello, { who: "Ada" });
 * await run.result(); // { greeting: "Hello, Ada!", lucky: true }
 */
export const hello = workflow(
  { name: "hello", input: z.object({ who: z.string().min(1) }) },
  async (ctx, { who }) => {
    const greeting = await ctx.call("greet", () => `Hello, ${who}!`);
    await ctx.sleep("2s");
    // A decision reads the state of the universe once; replay takes the same branch.
    const lucky = await ctx.decide("lucky", () => Math.random() < 0.5);
    return { greeting, lucky };
  },
);
