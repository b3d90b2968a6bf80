import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, silentLogger } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProcessDatabase, type ProcessDatabase } from "../support/databases.js";
import { spawnReady } from "../support/spawn-script.js";
import { waitFor } from "../support/wait-for.js";
import { LEDGER_DDL, ledgerWorkflows } from "./ledger-workflows.js";

const WORKER = fileURLToPath(new URL("./ledger-worker.ts", import.meta.url));
const RUNS = 20;

function startWorker(url: string): Promise<ChildProcess> {
  return spawnReady(WORKER, url);
}

describe.runIf(process.env.DATABASE_URL)("ctx.transaction across a killed worker", () => {
  let database: ProcessDatabase;
  let admin: pg.Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createProcessDatabase();
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(LEDGER_DDL);
    await postgresStore({ connectionString: database.url, listen: false, logger: silentLogger }).migrate();
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await admin?.end();
    await database?.drop();
  });

  it("writes the business row exactly once, where a plain step writes it again after the kill", async () => {
    const store = postgresStore({ connectionString: database.url, listen: false, logger: silentLogger });
    const defs = ledgerWorkflows(database.url);
    const client = new Client({ store });
    const [inTransaction, inStep] = defs.workflows as [
      (typeof defs.workflows)[0],
      (typeof defs.workflows)[1],
    ];
    const victim = await startWorker(database.url);
    children.push(victim);
    for (let i = 0; i < RUNS; i++) {
      await client.start(inTransaction, 1_500, { id: `tx-${i}` });
      await client.start(inStep, 1_500, { id: `step-${i}` });
    }
    // Kill the worker while every run is inside its booking: rows inserted, nothing journaled yet.
    await waitFor(
      "every booking to be under way",
      30_000,
      async () => {
        const { rows } = await admin.query<{ n: number }>(
          "SELECT count(DISTINCT run_id)::int AS n FROM attempts",
        );
        return rows[0]?.n === 2 * RUNS;
      },
      20,
    );
    victim.kill("SIGKILL");
    children.push(await startWorker(database.url));

    await waitFor("every run to complete", 60_000, async () => {
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM durable.runs WHERE status = 'completed'",
      );
      return rows[0]?.n === 2 * RUNS;
    });
    const count = async (how: string) =>
      (
        await admin.query<{ run_id: string; rows: number; attempts: number }>(
          `SELECT l.run_id, count(*)::int AS rows,
                  (SELECT count(*)::int FROM attempts a WHERE a.run_id = l.run_id) AS attempts
             FROM ledger l WHERE l.how = $1 GROUP BY l.run_id`,
          [how],
        )
      ).rows;
    const tx = await count("transaction");
    const steps = await count("step");
    const journal = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM durable.journal WHERE kind = 'transaction' AND outcome = 'ok'",
    );
    console.log(
      `transaction crash: runs=${RUNS} transaction rows=${tx.reduce((s, r) => s + r.rows, 0)} (attempts ${tx.reduce((s, r) => s + r.attempts, 0)}) step rows=${steps.reduce((s, r) => s + r.rows, 0)} (attempts ${steps.reduce((s, r) => s + r.attempts, 0)}) journaled transactions=${journal.rows[0]?.n}`,
    );
    // Every booking row exists once, including for runs whose transaction the kill interrupted and a
    // second worker ran again (two attempts, one row).
    expect(tx).toHaveLength(RUNS);
    expect(tx.filter((r) => r.rows !== 1)).toEqual([]);
    expect(tx.filter((r) => r.attempts === 2).length).toBeGreaterThan(0);
    expect(journal.rows[0]?.n).toBe(RUNS);
    // The control: a plain step interrupted the same way wrote its row again (at-least-once).
    const rerunSteps = steps.filter((r) => r.attempts === 2);
    expect(rerunSteps.length).toBeGreaterThan(0);
    expect(rerunSteps.every((r) => r.rows === 2)).toBe(true);
    await defs.close();
    await store.close();
  });
});
