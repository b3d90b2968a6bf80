import { workflow } from "@durable/core";
import { pgliteStore } from "@durable/postgres";
import { describe, expect, it } from "vitest";
import { createTestEnv } from "./index.js";

const signup = workflow({ name: "signup" }, async (ctx, email: string) => {
  const account = await ctx.call("create-account", (s) => ({ email, key: s.idempotencyKey }));
  const vip = await ctx.decide("vip", () => email.endsWith("@example.com"));
  return { account, vip };
});

const reminder = workflow({ name: "reminder" }, async (ctx) => {
  await ctx.sleep("90d");
  return "reminded";
});

describe("createTestEnv over pgliteStore", () => {
  it("runs a workflow on an in-memory PGlite store", async () => {
    const store = pgliteStore();
    const env = createTestEnv({ workflows: [signup, reminder], store });
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
});
