import { Client, type Store, silentLogger, Worker, workflow } from "@durable/core";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteStore, postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";
import { sleep } from "./helpers.js";

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

let release: () => void = () => {};
let gate = Promise.resolve();
const emails = workflow(
  { name: "emails", concurrency: { limit: 1, key: (input: { user: string }) => input.user } },
  async (ctx, input: { user: string }) =>
    ctx.call("send", async () => {
      await gate;
      return input.user;
    }),
);

/** A limit holds a run back; the run that held the slot finishing wakes the worker (it never polls here). */
async function runHeldRun(store: Store): Promise<void> {
  gate = new Promise((resolve) => {
    release = resolve;
  });
  const worker = new Worker({ store, workflows: [emails], logger: silentLogger, pollMs: 60_000 });
  const client = new Client({ store });
  await worker.start();
  try {
    const a = await client.start(emails, { user: "u1" }, { id: `a:${store.kind}` });
    const b = await client.start(emails, { user: "u1" }, { id: `b:${store.kind}` });
    const c = await client.start(emails, { user: "u2" }, { id: `c:${store.kind}` });
    const settled = async () =>
      (await client.get(b.id))?.heldBy !== undefined && (await client.get(c.id))?.status === "running";
    for (let i = 0; i < 500 && !(await settled()); i++) await sleep(10);
    expect(await client.get(b.id)).toMatchObject({ status: "pending", heldBy: "concurrency:emails/key=u1" });
    expect((await client.get(c.id))?.status).toBe("running");
    expect((await client.get(a.id))?.status).toBe("running");
    release();
    for (const run of [a, b, c]) expect(await run.result({ timeout: "10s" })).toBeDefined();
    expect((await client.get(b.id))?.heldBy).toBeUndefined();
  } finally {
    await worker.stop({ graceMs: 1_000 });
  }
}

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

  it("holds a run past its concurrency limit and runs it when the slot frees, on pgliteStore", async () => {
    const store = pgliteStore();
    try {
      await runHeldRun(store);
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

    it("holds a run past its concurrency limit and runs it when the slot frees, on postgresStore", async () => {
      const store = postgresStore({ connectionString: database.url, schema: "held", logger: silentLogger });
      try {
        await runHeldRun(store);
      } finally {
        await store.close();
      }
    });
  });
});
