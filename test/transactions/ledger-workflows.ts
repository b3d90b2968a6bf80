import { workflow } from "@durable/core";
import { type Kysely, sql } from "kysely";
import pg from "pg";

/** The business table the workflows write: no unique key, so a second write would show as a second row. */
export const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS ledger (run_id text NOT NULL, how text NOT NULL, at timestamptz DEFAULT clock_timestamp());
CREATE TABLE IF NOT EXISTS attempts (run_id text NOT NULL, how text NOT NULL, pid int NOT NULL)`;

/**
 * `book-in-transaction` writes its ledger row with `ctx.transaction`, so the row commits with the journal
 * entry; `book-in-step` writes the same row from a plain step (at-least-once). Both note each attempt in
 * `attempts` (outside any transaction) and then hold the transaction open a moment, so a test can kill
 * the worker in the middle.
 */
export function ledgerWorkflows(databaseUrl: string) {
  const side = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  side.on("error", () => {});
  const noteAttempt = (runId: string, how: string) =>
    side.query("INSERT INTO attempts (run_id, how, pid) VALUES ($1, $2, $3)", [runId, how, process.pid]);
  const hold = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const inTransaction = workflow({ name: "book-in-transaction" }, async (ctx, holdMs: number) => {
    const booked = await ctx.transaction("book", async (trx: Kysely<unknown>) => {
      await noteAttempt(ctx.runId, "transaction");
      await sql`INSERT INTO ledger (run_id, how) VALUES (${ctx.runId}, 'transaction')`.execute(trx);
      await hold(holdMs);
      return "booked";
    });
    await ctx.sleep("100ms");
    return booked;
  });

  const inStep = workflow({ name: "book-in-step" }, async (ctx, holdMs: number) => {
    const booked = await ctx.call("book", async () => {
      await noteAttempt(ctx.runId, "step");
      await side.query("INSERT INTO ledger (run_id, how) VALUES ($1, 'step')", [ctx.runId]);
      await hold(holdMs);
      return "booked";
    });
    await ctx.sleep("100ms");
    return booked;
  });

  return { workflows: [inTransaction, inStep], close: () => side.end() };
}
