import type { Encoded, EventRecord } from "@durable/core";
import { sql } from "kysely";
import { type EventRow, jsonParam, type SqlContext } from "./database.js";
import { toEventRecord } from "./rows.js";
import { pokeRun } from "./run-control.js";

/**
 * Keeps an event for a run until it is consumed, in one statement, and wakes the run when it waits for
 * that name (a suspended run is due now; a running one is told, and the wake is kept for its next suspend).
 * With `key`, a repeat of a key the run already has stores nothing, wakes nothing and returns the first
 * event. Undefined when no run has that id.
 */
export async function sendEvent(
  ctx: SqlContext,
  runId: string,
  name: string,
  payload: Encoded,
  options: { key?: string } = {},
): Promise<EventRecord | undefined> {
  const key = options.key ?? null;
  const { rows } = await sql<EventRow>`
    WITH ev AS (
      INSERT INTO ${ctx.events} (run_id, name, payload, key)
      SELECT id, ${name}::text, ${jsonParam(payload)}::json, ${key}::text FROM ${ctx.runs} WHERE id = ${runId}::text
      ON CONFLICT (run_id, key) WHERE key IS NOT NULL DO NOTHING
      RETURNING *
    ), ${pokeRun(ctx, "poke", sql`(SELECT run_id FROM ev)`, {
      when: sql`(r.status = 'running' OR ${name}::text = ANY(r.waiting_for))`,
    })}
    SELECT ev.*, (SELECT count(*) FROM poke) AS notified FROM ev`.execute(ctx.db);
  const row = rows[0];
  if (row) return toEventRecord(row);
  // A repeat: the first event, read in a statement of its own so that it sees a sender that committed
  // while this one waited on the key.
  if (key === null) return undefined;
  const first = await ctx.db
    .selectFrom("events")
    .selectAll()
    .where("run_id", "=", runId)
    .where("key", "=", key)
    .executeTakeFirst();
  return first ? toEventRecord(first) : undefined;
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
