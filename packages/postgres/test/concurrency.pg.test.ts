import { type ClaimedRun, LeaseLostError, type Store, silentLogger } from "@durable/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, query, type TestDatabase } from "./databases.js";
import { claim, eventually, listen, newRun, okEntry, sleep } from "./helpers.js";

describe.runIf(DATABASE_URL)("Postgres under concurrency and connection loss", () => {
  let database: TestDatabase;
  const stores: Store[] = [];
  const store = (schema: string, poolSize = 4) => {
    const s = postgresStore({ connectionString: database.url, schema, poolSize, logger: silentLogger });
    stores.push(s);
    return s;
  };
  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database.drop();
  });

  it("never hands one run to two racing workers", async () => {
    const a = store("race");
    const b = store("race");
    await a.migrate();
    const total = 200;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => a.createRun(newRun(`r${i + j}`))));
    }
    const claimed: ClaimedRun[] = [];
    const drain = async (s: Store, owner: string) => {
      for (;;) {
        const batch = await claim(s, { owner, limit: 7 });
        if (batch.length === 0) return;
        claimed.push(...batch);
      }
    };
    await Promise.all([drain(a, "a1"), drain(a, "a2"), drain(b, "b1"), drain(b, "b2")]);
    const ids = claimed.map((c) => c.run.id);
    expect(new Set(ids).size).toBe(total);
    expect(ids).toHaveLength(total);
    expect(new Set(claimed.map((c) => c.lease.owner)).size).toBeGreaterThan(1);
  });

  it("refuses every write of a worker whose lease expired, racing the claim that takes the run over", async () => {
    const a = store("fence");
    const b = store("fence");
    await a.createRun(newRun("r1"));
    const [first] = await claim(a, { owner: "a", leaseMs: 50 });
    if (!first) throw new Error("not claimed");
    await sleep(80);
    const results = await Promise.allSettled([
      ...Array.from({ length: 5 }, (_, seq) => a.appendJournal(first.lease, okEntry(seq))),
      claim(b, { owner: "b" }),
    ]);
    const [taken] = (results.at(-1) as PromiseFulfilledResult<ClaimedRun[]>).value;
    for (const result of results.slice(0, -1)) {
      expect(result.status === "rejected" && result.reason).toBeInstanceOf(LeaseLostError);
    }
    expect(taken?.journal).toEqual([]);
    expect(await b.readJournal("r1")).toEqual([]);
  });

  it("survives its connections being killed: statements reject, then work again", async () => {
    const s = store("killed", 2);
    await s.createRun(newRun("r1"));
    await query(
      database.url,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    await sleep(50);
    const outcomes = await Promise.allSettled([s.getRun("r1"), s.getRun("r1"), s.getRun("r1")]);
    expect(outcomes.every((o) => o.status === "fulfilled" || o.reason instanceof Error)).toBe(true);
    let run: Awaited<ReturnType<Store["getRun"]>>;
    for (let i = 0; i < 5 && !run; i++) run = await s.getRun("r1").catch(() => undefined);
    expect(run?.id).toBe("r1");
  });

  it("rejects a statement whose connection is killed while it waits, without crashing the process", async () => {
    const s = store("killed-busy", 2);
    await s.createRun(newRun("r1"));
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query('SELECT 1 FROM "killed-busy".runs WHERE id = $1 FOR UPDATE', ["r1"]);
      const waiting = s.requestCancel("r1", "stop").then(
        () => "resolved",
        (error: unknown) => error,
      );
      await eventually(async () => {
        const { rows } = await query<{ n: number }>(
          database.url,
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
          [(locker as unknown as { processID: number }).processID],
        );
        return (rows[0]?.n ?? 0) > 0;
      });
      expect(await waiting).toBeInstanceOf(Error);
      await locker.query("ROLLBACK");
    } finally {
      await locker.end();
    }
    expect((await s.requestCancel("r1", "stop"))?.run.status).toBe("cancelled");
  });

  it("listens again after its LISTEN connection is terminated, and says wake", async () => {
    const s = store("listener");
    const rec = await listen(s);
    const { rows } = await query<{ n: number }>(
      database.url,
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
    );
    expect(rows[0]?.n).toBe(1);
    await rec.waitFor((n) => n.type === "wake");
    rec.seen.length = 0;
    await s.createRun(newRun("gone"));
    await s.requestCancel("gone", "x");
    await rec.waitFor((n) => n.type === "finished" && n.runId === "gone");
    rec.unsubscribe();
  });

  it("announces on a hashed channel when the schema name is long", async () => {
    const s = store("s".repeat(63));
    const rec = await listen(s);
    await s.createRun(newRun("gone"));
    await s.requestCancel("gone", "x");
    await rec.waitFor((n) => n.type === "finished" && n.runId === "gone");
    rec.unsubscribe();
  });
});
