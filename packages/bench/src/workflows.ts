import { workflow } from "@durable/core";

/** W1: `steps` trivial steps in a row. */
export const trivialSteps = workflow<{ steps: number }, number>(
  { name: "bench-steps" },
  async (ctx, { steps }) => {
    let sum = 0;
    for (let i = 0; i < steps; i++) sum += await ctx.call(`step-${i}`, () => i);
    return sum;
  },
);

/** W2: one step. */
export const oneStep = workflow<undefined, string>({ name: "bench-one-step" }, (ctx) =>
  ctx.call("only", () => "done"),
);

/** W3: a step, a sleep, a step: the sleep suspends the run and its end is measured. */
export const sleeper = workflow<{ sleep: string }, void>({ name: "bench-sleep" }, async (ctx, { sleep }) => {
  await ctx.call("before", () => 1);
  await ctx.sleep(sleep);
  await ctx.call("after", () => 2);
});

/** Replay: `steps` steps, a sleep, one step; the activation after the sleep replays the first ones. */
export const replayer = workflow<{ steps: number; sleep: string }, void>(
  { name: "bench-replay" },
  async (ctx, { steps, sleep }) => {
    for (let i = 0; i < steps; i++) await ctx.call(`step-${i}`, () => i);
    await ctx.sleep(sleep);
    await ctx.call("after", () => steps);
  },
);

export const BENCH_WORKFLOWS = [trivialSteps, oneStep, sleeper, replayer];
