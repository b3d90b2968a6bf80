import { Client, type Store, silentLogger, Worker, workflow } from "@durable/core";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteStore, postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";

let calls = 0;
const greet = workflow({ name: "greet" }, async (ctx, input: { name: string }) => {
  const greeting = await ctx.call("compose", async () => {
    calls++;
    return `hello ${input.name}`;
  });
  await ctx.sleep("200ms");
  const loud = await ctx.decide("loud", async () => input.name === "ANN");
  return loud ? greeting.toUpperCase() : greeting;
});

const order = workflow({ name: "order" }, async (ctx, input: { id: string }) => {
  const saved = await ctx.transaction("save-order", async (trx: Kysely<unknown>) => {
    await sql`CREATE TABLE IF NOT EXISTS app_orders (id text PRIMARY KEY)`.execute(trx);
    await sql`INSERT INTO app_orders (id) VALUES (${input.id})`.execute(trx);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_orders`.execute(trx);
    return rows[0]?.n;
  });
  return { saved };
});

async function runEndToEnd(store: Store): Promise<void> {
  const worker = new Worker({
    store,
    workflows: [greet, order],
    logger: silentLogger,
    pollMs: 100,
    leaseMs: 5_000,
  });
  const client = new Client({ store });
  await worker.start();
  try {
    const before = calls;
    const started = Date.now();
    const handle = await client.start(greet, { name: "ANN" }, { id: `greet:${store.kind}` });
    expect(await handle.result({ timeout: "20s" })).toBe("HELLO ANN");
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(calls - before).toBe(1);
    const journal = await client.journal(handle.id);
    expect(journal.map((e) => [e.seq, e.kind, e.name, e.outcome])).toEqual([
      [0, "call", "compose", "ok"],
      [1, "sleep", "sleep", "ok"],
      [2, "decide", "loud", "ok"],
    ]);
    const info = await client.get(handle.id);
    expect(info).toMatchObject({ status: "completed", output: "HELLO ANN", attempts: 2 });
    const saved = await client.start(order, { id: "o-1" });
    expect(await saved.result({ timeout: "20s" })).toEqual({ saved: 1 });
    const [entry] = await client.journal(saved.id);
    expect(entry).toMatchObject({ kind: "transaction", name: "save-order", outcome: "ok" });
  } finally {
    await worker.stop({ graceMs: 1_000 });
  }
}

describe("the engine on the SQL stores", () => {
  it("runs workflows with a call, a sleep, a decision and a transaction on pgliteStore", async () => {
    const store = pgliteStore();
    try {
      await runEndToEnd(store);
    } finally {
      await store.close();
    }
  });

  describe.runIf(DATABASE_URL)("on Postgres", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(DATABASE_URL ?? "");
    });
    afterAll(() => database.drop());

    it("runs workflows with a call, a sleep, a decision and a transaction on postgresStore", async () => {
      const store = postgresStore({ connectionString: database.url, logger: silentLogger });
      try {
        await runEndToEnd(store);
      } finally {
        await store.close();
      }
    });
  });
});
