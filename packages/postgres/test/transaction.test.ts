import { decode, LeaseLostError, type Store, silentLogger } from "@durable/core";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteStore, postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";
import { claim, newRun, okEntry, sleep } from "./helpers.js";

function describeTransactions(name: string, make: () => Promise<Store>): void {
  describe(`store.transaction on ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await make();
      await store.migrate();
    });
    afterAll(() => store.close());

    const app = async (trx: unknown, write: string) => {
      const db = trx as Kysely<unknown>;
      await sql`CREATE TABLE IF NOT EXISTS app_orders (id text PRIMARY KEY)`.execute(db);
      await sql`INSERT INTO app_orders (id) VALUES (${write})`.execute(db);
      return write;
    };
    const orders = async () => {
      let ids: string[] = [];
      await store
        .transaction?.(
          { runId: "-", owner: "-", epoch: 0 },
          async (trx) => {
            const { rows } = await sql<{ id: string }>`SELECT id FROM app_orders ORDER BY id`.execute(
              trx as Kysely<unknown>,
            );
            ids = rows.map((r) => r.id);
            throw new Error("read only");
          },
          () => okEntry(0),
        )
        .catch(() => {});
      return ids;
    };

    it("commits the user's writes with the journal entry", async () => {
      await store.createRun(newRun("t1", { workflow: "tx" }));
      const [c] = await claim(store, { workflows: ["tx"] });
      if (!c) throw new Error("not claimed");
      const done = await store.transaction?.(
        c.lease,
        (trx) => app(trx, "order-1"),
        (value) => okEntry(0, value, { kind: "transaction", name: "save" }),
      );
      expect(done?.value).toBe("order-1");
      const [entry] = await store.readJournal("t1");
      expect(entry?.completedAt).toEqual(done?.completedAt);
      expect(entry?.outcome === "ok" && decode(entry.result)).toBe("order-1");
      expect(await orders()).toEqual(["order-1"]);
    });

    it("rolls the user's writes back when the lease is lost", async () => {
      await store.createRun(newRun("t2", { workflow: "tx2" }));
      const [c] = await claim(store, { workflows: ["tx2"], leaseMs: 1 });
      if (!c) throw new Error("not claimed");
      await sleep(20);
      await expect(
        store.transaction?.(
          c.lease,
          (trx) => app(trx, "order-2"),
          (value) => okEntry(0, value),
        ),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.readJournal("t2")).toEqual([]);
      expect(await orders()).toEqual(["order-1"]);
    });
  });
}

describeTransactions("pgliteStore", async () => pgliteStore());

describe.runIf(DATABASE_URL)("on Postgres", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
  });
  afterAll(() => database.drop());
  describeTransactions("postgresStore", async () =>
    postgresStore({ connectionString: database.url, logger: silentLogger }),
  );
});
