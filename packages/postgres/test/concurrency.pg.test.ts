import {
  type ClaimedRun,
  encode,
  LeaseLostError,
  type QueueLimit,
  type Store,
  silentLogger,
} from "@durable/core";
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

  /** Claims with two loops per store until `total` runs completed, each run held `holdMs` at most. */
  const drain = async (claimers: Store[], total: number, limits: QueueLimit[], holdMs: number) => {
    let done = 0;
    const work = async (s: Store, owner: string) => {
      while (done < total) {
        const batch = await claim(s, { owner, limit: 4, limits });
        await Promise.all(
          batch.map(async (c) => {
            await sleep(Math.random() * holdMs);
            await s.finishRun(c.lease, { status: "completed", output: encode(1, "output") });
            done++;
          }),
        );
        if (batch.length === 0) await sleep(2);
      }
    };
    await Promise.all(claimers.flatMap((s, i) => [work(s, `w${i}a`), work(s, `w${i}b`)]));
    return done;
  };

  /** Samples, until `stop` resolves, the most runs of one concurrency key (or all, by `perKey`) running at once. */
  const mostRunning = async (schema: string, perKey: boolean, stop: Promise<unknown>) => {
    const sampler = new pg.Client({ connectionString: database.url });
    await sampler.connect();
    let stopped = false;
    void stop.finally(() => {
      stopped = true;
    });
    let most = 0;
    const group = perKey ? "GROUP BY concurrency_key" : "";
    while (!stopped) {
      const { rows } = await sampler.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}".runs WHERE status = 'running' ${group}`,
      );
      most = Math.max(most, ...rows.map((r) => r.n));
    }
    await sampler.end();
    return most;
  };

  it.each([
    ["per queue", "limited", false, 3],
    ["per key", "limited-keys", true, 2],
  ] as const)(
    "never runs more than a concurrency limit %s, with four stores claiming at once",
    async (_, schema, perKey, limit) => {
      const claimers = Array.from({ length: 4 }, () => store(schema));
      await claimers[0]?.migrate();
      const total = 90;
      await Promise.all(
        Array.from({ length: total }, (_, i) =>
          claimers[0]?.createRun(newRun(`r${i}`, { queue: "q", concurrencyKey: `k${i % 3}` })),
        ),
      );
      const draining = drain(claimers, total, [{ queue: "q", concurrency: { limit, perKey } }], 10);
      const most = await mostRunning(schema, perKey, draining);
      expect(await draining).toBe(total);
      expect(most).toBe(limit);
    },
  );

  it("never starts more than a rate limit allows in any window, with four stores claiming at once", async () => {
    const claimers = Array.from({ length: 4 }, () => store("rated"));
    await claimers[0]?.migrate();
    // More runs than one claim's page of candidates, so that claimers without the lock would race.
    const total = 80;
    const limit = 5;
    await Promise.all(
      Array.from({ length: total }, (_, i) => claimers[0]?.createRun(newRun(`r${i}`, { queue: "q" }))),
    );
    const periodMs = 100;
    expect(
      await drain(claimers, total, [{ queue: "q", rateLimit: { limit, periodMs, perKey: false } }], 0),
    ).toBe(total);
    const { rows } = await query<{ us: string }>(
      database.url,
      "SELECT (extract(epoch FROM started_at) * 1000000)::bigint AS us FROM rated.runs ORDER BY started_at",
    );
    const starts = rows.map((r) => Number(r.us));
    expect(starts).toHaveLength(total);
    for (let i = 0; i + limit < starts.length; i++) {
      expect((starts[i + limit] ?? 0) - (starts[i] ?? 0)).toBeGreaterThanOrEqual(periodMs * 1_000);
    }
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
