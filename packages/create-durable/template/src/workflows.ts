import { workflow } from "@durable/core";
import { z } from "zod";

/**
 * Signs a user up: creates the account (once, whatever happens to the worker), waits five seconds as a
 * durable sleep (no process waits; the run survives restarts), then decides which tips to send.
 * @example
 * await client.start(welcome, { email: "ada@example.com" });
 */
export const welcome = workflow(
  { name: "welcome", input: z.object({ email: z.email() }) },
  async (ctx, { email }) => {
    const account = await ctx.call("create-account", () => ({ id: `acct-${email.split("@")[0]}`, email }));
    await ctx.sleep("5s");
    // A decision is journaled like a call, so a replay takes the same branch.
    const tips = await ctx.decide("tips", () => (Math.random() < 0.5 ? "short" : "long"));
    await ctx.call("send-tips", () => `sent ${tips} tips to ${account.email}`);
    return { accountId: account.id, tips };
  },
);
