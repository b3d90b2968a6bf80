import type { Encoded, EventRecord } from "@durable/core";
import { sql } from "kysely";
import { type EventRow, jsonParam, type SqlContext } from "./database.js";
import { toEventRecord } from "./rows.js";
import { pokeRun } from "./run-control.js";

/**
 * Keeps an event for a run until it is consumed, in one statement, and wakes the run when it waits for
 * that name (a suspended run is due now; a running one is told, and the wake is kept for its next suspend).
 * Undefined when no run has that id.
 */
export async function sendEvent(
  ctx: SqlContext,
  runId: string,
  name: string,
  payload: Encoded,
): Promise<EventRecord | undefined> {
  const { rows } = await sql<EventRow>`
    WITH ev AS (
      INSERT INTO ${ctx.events} (run_id, name, payload)
      SELECT id, ${name}::text, ${jsonParam(payload)}::json FROM ${ctx.runs} WHERE id = ${runId}::text
      RETURNING *
    ), ${pokeRun(ctx, "poke", sql`(SELECT run_id FROM ev)`, {
      when: sql`(r.status = 'running' OR ${name}::text = ANY(r.waiting_for))`,
    })}
    SELECT ev.*, (SELECT count(*) FROM poke) AS notified FROM ev`.execute(ctx.db);
  const row = rows[0];
  return row ? toEventRecord(row) : undefined;
}

/** A run's events not consumed yet, oldest first. */
export async function readEvents(ctx: SqlContext, runId: string): Promise<EventRecord[]> {
  const rows = await ctx.db
    .selectFrom("events")
    .selectAll()
    .where("run_id", "=", runId)
    .where("consumed_seq", "is", null)
    .orderBy("id")
    .execute();
  return rows.map(toEventRecord);
}
