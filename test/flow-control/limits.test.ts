import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, silentLogger } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProcessDatabase, type ProcessDatabase } from "../support/databases.js";
import { spawnReady } from "../support/spawn-script.js";
import { waitFor } from "../support/wait-for.js";
import { EXECUTIONS_DDL, limitedWorkflows } from "./limited-workflows.js";

const WORKER = fileURLToPath(new URL("./limited-worker.ts", import.meta.url));

function startWorker(url: string): Promise<ChildProcess> {
  return spawnReady(WORKER, url);
}

describe.runIf(process.env.DATABASE_URL)("flow-control limits across three worker processes", () => {
  let database: ProcessDatabase;
  let admin: pg.Client;
  const workers: ChildProcess[] = [];
  let client: Client;
  let store: ReturnType<typeof postgresStore>;
  // Only the definitions are needed here (to start runs): their steps run in the worker processes.
  const definitions = limitedWorkflows("postgres://127.0.0.1:1/unused");

  beforeAll(async () => {
    database = await createProcessDatabase();
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(EXECUTIONS_DDL);
    store = postgresStore({ connectionString: database.url, listen: false, logger: silentLogger });
    await store.migrate();
    client = new Client({ store });
    workers.push(...(await Promise.all([1, 2, 3].map(() => startWorker(database.url)))));
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await store?.close();
    await definitions.close();
    await admin?.end();
    await database?.drop();
  });

  const completed = async (workflow: string) =>
    (
      await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM durable.runs WHERE workflow = $1 AND status = 'completed'",
        [workflow],
      )
    ).rows[0]?.n;

  it("never runs more than two runs of one tenant at once, and says which limit holds the others", async () => {
    const [perTenant] = definitions.workflows;
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const run = await client.start(
        perTenant as never,
        { tenant: i % 2 === 0 ? "acme" : "globex", holdMs: 250 },
        {
          id: `tenant-${i}`,
        },
      );
      ids.push(run.id);
    }
    const held = await waitFor(
      "a run held back by its tenant's limit",
      20_000,
      async () => {
        const { rows } = await admin.query<{ held_by: string }>(
          "SELECT held_by FROM durable.runs WHERE held_by IS NOT NULL AND status = 'pending' LIMIT 1",
        );
        return rows[0]?.held_by;
      },
      20,
    );
    expect(held).toMatch(/^concurrency:per-tenant\/key=(acme|globex)$/);
    await waitFor("every tenant run to complete", 60_000, async () => (await completed("per-tenant")) === 24);

    // The most executions of one tenant that overlapped in time, by the database's clock.
    const { rows } = await admin.query<{ tenant: string; most: number; pids: number; executions: number }>(
      `SELECT e.tenant, max(overlapping)::int AS most, count(DISTINCT e.pid)::int AS pids, count(*)::int AS executions
         FROM executions e,
         LATERAL (SELECT count(*) AS overlapping FROM executions o
                   WHERE o.tenant = e.tenant AND o.started <= e.started AND o.ended > e.started) x
        GROUP BY e.tenant ORDER BY e.tenant`,
    );
    console.log(
      `per-tenant limit 2: ${rows.map((r) => `${r.tenant} most=${r.most} workers=${r.pids} executions=${r.executions}`).join("; ")}`,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.executions).toBe(12);
      expect(row.most).toBeLessThanOrEqual(2);
      expect(row.most).toBe(2);
    }
    expect(Math.max(...rows.map((r) => r.pids))).toBeGreaterThan(1);
    const after = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM durable.runs WHERE held_by IS NOT NULL",
    );
    expect(after.rows[0]?.n).toBe(0);
  });

  it("starts at most five rate-limited runs in any two seconds", async () => {
    const [, rateLimited] = definitions.workflows;
    for (let i = 0; i < 15; i++)
      await client.start(rateLimited as never, undefined as never, { id: `rate-${i}` });
    await waitFor(
      "every rate-limited run to complete",
      60_000,
      async () => (await completed("rate-limited")) === 15,
    );
    const { rows } = await admin.query<{ most: number; span: number }>(
      `SELECT max(x.n)::int AS most,
              extract(epoch FROM max(r.started_at) - min(r.started_at))::float AS span
         FROM durable.runs r,
         LATERAL (SELECT count(*) AS n FROM durable.runs o
                   WHERE o.workflow = 'rate-limited' AND o.started_at >= r.started_at
                     AND o.started_at < r.started_at + interval '2 seconds') x
        WHERE r.workflow = 'rate-limited'`,
    );
    console.log(
      `rate limit 5 per 2s: most starts in a 2s window=${rows[0]?.most}, 15 starts spread over ${rows[0]?.span?.toFixed(2)}s`,
    );
    expect(rows[0]?.most).toBeLessThanOrEqual(5);
    expect(rows[0]?.span).toBeGreaterThanOrEqual(4);
  });
});
