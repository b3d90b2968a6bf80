import { type AnyWorkflow, type JournalEntry, workflow } from "@durable/core";
import { pgliteStore } from "@durable/postgres";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestEnv, type TestEnv } from "./index.js";

const signup = workflow({ name: "signup" }, async (ctx, email: string) => {
  const account = await ctx.call("create-account", (s) => ({ email, key: s.idempotencyKey }));
  const vip = await ctx.decide("vip", () => email.endsWith("@example.com"));
  return { account, vip };
});

const reminder = workflow({ name: "reminder" }, async (ctx) => {
  await ctx.sleep("90d");
  return `reminded at ${ctx.now().toISOString()}`;
});

const invoice = workflow({ name: "invoice" }, async (ctx, cents: number) => {
  await ctx.sleep("1d");
  return ctx.call("bill", () => `billed ${cents}`);
});

let flaky = 0;
// Every kind of wait the runtime times: sleeps, a retry long enough to suspend, an event that times out and
// one that arrives, a child, and a continue-as-new; each entry's times come from the store's clock.
const subscription = workflow(
  { name: "subscription", events: { paid: z.object({ cents: z.number() }) } },
  async (ctx, month: number): Promise<string> => {
    await ctx.sleep("30d");
    await ctx.call(
      "charge",
      () => {
        if (flaky++ % 2 === 0) throw new Error("card network down");
        return "charged";
      },
      { retry: { initialInterval: "1h", maxAttempts: 3 } },
    );
    const late = await ctx.waitForEvent("paid", { timeout: "2d" });
    const bill = await ctx.child(invoice, month * 100, { id: `invoice:${month}` });
    if (month < 2) return ctx.continueAsNew(month + 1);
    return `${bill}, ${late ? "paid" : "unpaid"}, done at ${ctx.now().toISOString()}`;
  },
);

const workflows: AnyWorkflow[] = [signup, reminder, subscription, invoice];

// One PGlite for the file (starting one takes a while); each env gets its own schema in it.
const pglite = new PGlite();
let schemas = 0;
afterAll(() => pglite.close());
const onPglite = () =>
  createTestEnv({ workflows, store: (clock) => pgliteStore({ pglite, schema: `env_${++schemas}`, clock }) });

/** The journals of a continue-as-new chain and of each run's child, as one list. */
async function chain(env: TestEnv, id: string): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for (let current: string | undefined = id, month = 1; current !== undefined; month++) {
    entries.push(...(await env.journal(current)), ...(await env.journal(`invoice:${month}`)));
    current = (await env.client.get(current))?.continuedAs;
  }
  return entries;
}

describe("createTestEnv over pgliteStore", () => {
  it("runs a workflow on PGlite that keeps its own time, and says why it cannot skip a long sleep", async () => {
    const store = pgliteStore({ pglite, schema: `env_${++schemas}` });
    const env = createTestEnv({ workflows, store });
    const run = await env.start(signup, "ann@example.com", { id: "signup:ann" });
    await expect(run.result()).resolves.toEqual({
      account: { email: "ann@example.com", key: "signup:ann:0" },
      vip: true,
    });
    expect((await env.journal(run.id)).map((e) => e.name)).toEqual(["create-account", "vip"]);
    await expect(env.run(reminder, undefined)).rejects.toThrow(
      /a run is due 90d from now by the pglite store's own clock, and a store that keeps its own time cannot be fast-forwarded/,
    );
    await env.close();
    await store.close();
  });

  it("skips time on a PGlite store that follows the env's clock", async () => {
    const env = onPglite();
    await expect(env.run(reminder, undefined)).resolves.toBe("reminded at 2030-04-01T00:00:00.000Z");
    await env.close();
  });

  it("moves time with env.clock.advance as on the memory store", async () => {
    const env = onPglite();
    const run = await env.start(reminder, undefined);
    env.clock.advance("30d");
    await env.idle();
    expect((await run.get())?.status).toBe("suspended");
    env.clock.advance("60d");
    await env.idle();
    expect((await run.get())?.status).toBe("completed");
    await env.close();
  });

  it("lets time a step moves pass while it runs, as on the memory store", async () => {
    let env!: TestEnv;
    const racing = workflow({ name: "racing" }, async (ctx) => {
      const slow = ctx.call("slow", () => {
        env.clock.advance("2s");
        return "slow";
      });
      return Promise.race([slow, ctx.sleep("1s").then(() => "timer")]);
    });
    env = createTestEnv({
      workflows: [racing],
      store: (clock) => pgliteStore({ pglite, schema: `env_${++schemas}`, clock }),
    });
    const run = await env.start(racing, undefined);
    await expect(run.result()).resolves.toBe("timer");
    expect((await env.journal(run.id)).map((e) => [e.kind, e.order])).toEqual([
      ["call", 1],
      ["sleep", 0],
    ]);
    await env.close();
  });

  it("records the same journal, times included, as the memory store", async () => {
    const journals: JournalEntry[][] = [];
    const outputs: string[] = [];
    for (const env of [createTestEnv({ workflows }), onPglite()]) {
      flaky = 0;
      const run = await env.start(subscription, 1, { id: "sub" });
      await env.sendEvent(run.id, "paid", { cents: 100 });
      outputs.push(await run.result());
      journals.push(await chain(env, run.id));
      await env.close();
    }
    expect(outputs[0]).toBe("billed 200, unpaid, done at 2030-03-06T02:00:00.000Z");
    expect(outputs[1]).toBe(outputs[0]);
    expect(journals[1]).toEqual(journals[0]);
    expect(journals[0]?.length).toBeGreaterThan(10);
  });
});
