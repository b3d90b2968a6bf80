import { encode, type Lease, type Store, silentLogger } from "@durable/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";
import { claim, eventually, newRun } from "./helpers.js";

/**
 * The worker's statements that update many runs lock them in id order, so a heartbeat and a batched finish
 * of overlapping runs wait for each other instead of deadlocking (issue 10). The test holds the lock of
 * run `a` and checks that a statement given the runs as `[b, a]` waits for `a` without having locked `b`.
 */
describe.runIf(DATABASE_URL)("Postgres: the worker's statements lock runs in one order", () => {
  let database: TestDatabase;
  let holder: pg.Client;
  let probe: pg.Client;
  let store: Store;
  const schema = "locks";

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
    holder = new pg.Client({ connectionString: database.url });
    probe = new pg.Client({ connectionString: database.url });
    await Promise.all([holder.connect(), probe.connect()]);
    store = postgresStore({ connectionString: database.url, schema, logger: silentLogger });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await Promise.all([holder.end(), probe.end()]);
    await database.drop();
  });

  /** Runs b and a (created in that order, so a scan meets b first), claimed; their leases as [b, a]. */
  const twoRuns = async (prefix: string): Promise<Lease[]> => {
    for (const id of ["b", "a"]) await store.createRun(newRun(`${prefix}-${id}`, { workflow: prefix }));
    const claimed = await claim(store, { workflows: [prefix] });
    const lease = (id: string) => claimed.find((c) => c.run.id === `${prefix}-${id}`)?.lease;
    const b = lease("b");
    const a = lease("a");
    if (!a || !b) throw new Error("setup");
    return [b, a];
  };

  /** While `a` is held: `statement` waits, and `b` is still free. Then both finish without a deadlock. */
  const waitsForAFirst = async (prefix: string, statement: () => Promise<unknown>) => {
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "${schema}".runs WHERE id = $1 FOR UPDATE`, [`${prefix}-a`]);
    const running = statement();
    await eventually(async () => {
      const { rows } = await probe.query(
        `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'transactionid' AND NOT l.granted AND a.datname = current_database()`,
      );
      return rows.length > 0;
    });
    await probe.query("BEGIN");
    const free = await probe
      .query(`SELECT 1 FROM "${schema}".runs WHERE id = $1 FOR UPDATE NOWAIT`, [`${prefix}-b`])
      .then(
        () => true,
        () => false,
      );
    await probe.query("ROLLBACK");
    await holder.query("ROLLBACK");
    await running;
    return free;
  };

  it("renews leases in id order", async () => {
    const leases = await twoRuns("renew");
    expect(await waitsForAFirst("renew", () => store.renewLeases("o", leases, 60_000))).toBe(true);
  });

  it("finishes a batch of runs in id order", async () => {
    const leases = await twoRuns("finish");
    const finish = () =>
      Promise.all(
        leases.map((l) => store.finishRun(l, { status: "completed", output: encode(1, "output") })),
      );
    expect(await waitsForAFirst("finish", finish)).toBe(true);
    expect((await store.getRun("finish-a"))?.status).toBe("completed");
  });

  it("releases runs in id order", async () => {
    const leases = await twoRuns("release");
    expect(await waitsForAFirst("release", () => store.releaseRuns(leases))).toBe(true);
    expect((await store.getRun("release-b"))?.status).toBe("pending");
  });
});
