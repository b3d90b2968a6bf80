import { cancelledMessage, type RunChange } from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import type { RunRow, SqlContext } from "./database.js";
import { toRunRecord } from "./rows.js";

type RunWithChange = RunRow & { changed: boolean };

/**
 * Asks a run to cancel, in one statement. A blocked run, or a pending one that never started, is cancelled
 * at once (its parent woken, like any run that ends); a running one is told (`cancel`); a suspended or
 * released one keeps the reason and is due now. The first reason wins. A finished run is left alone
 * (`changed: false`).
 */
export async function requestCancel(
  ctx: SqlContext,
  id: string,
  reason: string,
): Promise<RunChange | undefined> {
  const { rows } = await sql<RunWithChange>`
    WITH upd AS (
      UPDATE ${ctx.runs} r SET
        status = CASE WHEN r.status = 'blocked' OR (r.status = 'pending' AND r.attempts = 0)
          THEN 'cancelled' ELSE r.status END,
        error = CASE WHEN r.status = 'blocked' OR (r.status = 'pending' AND r.attempts = 0)
          THEN jsonb_build_object('name', 'CancelledError', 'code', 'cancelled',
            'message', ${cancelledMessage(id, reason)}::text)
          ELSE r.error END,
        finished_at = CASE WHEN r.status = 'blocked' OR (r.status = 'pending' AND r.attempts = 0)
          THEN now() ELSE r.finished_at END,
        cancel_reason = CASE WHEN r.status = 'blocked' OR (r.status = 'pending' AND r.attempts = 0)
          THEN r.cancel_reason ELSE coalesce(r.cancel_reason, ${reason}::text) END,
        wake_at = CASE WHEN r.status = 'blocked' OR (r.status = 'pending' AND r.attempts = 0) THEN NULL
          WHEN r.status = 'running' THEN r.wake_at ELSE now() END,
        updated_at = now()
      WHERE r.id = ${id} AND r.status NOT IN ('completed', 'failed', 'cancelled')
      RETURNING r.*
    ), note AS (
      SELECT pg_notify(${ctx.channel}, CASE status WHEN 'cancelled' THEN 'finished:' || id
        WHEN 'running' THEN 'cancel:' || id ELSE 'wake' END) FROM upd
    ), ${pokeRun(ctx, "parent", sql`(SELECT parent_id FROM upd WHERE status = 'cancelled')`)},
    freed AS (
      SELECT pg_notify(${ctx.channel}, 'wake') FROM upd WHERE status = 'cancelled' AND EXISTS (
        SELECT 1 FROM ${ctx.runs} h WHERE h.held_by IS NOT NULL AND coalesce(h.queue, h.workflow) = coalesce(upd.queue, upd.workflow))
    )
    SELECT upd.*, true AS changed,
      (SELECT count(*) FROM note) + (SELECT count(*) FROM parent) + (SELECT count(*) FROM freed) AS notified
    FROM upd
    UNION ALL
    SELECT r.*, false, 0 FROM ${ctx.runs} r WHERE r.id = ${id} AND NOT EXISTS (SELECT 1 FROM upd)`.execute(
    ctx.db,
  );
  const row = rows[0];
  return row ? { run: toRunRecord(row), changed: row.changed } : undefined;
}

/**
 * Resumes a blocked or failed run, in one statement: pending and due now, crash count reset. A failed run's
 * journal is cut at its last failed entry (by delivery order), so that step runs again with a fresh budget.
 */
export async function retryRun(ctx: SqlContext, id: string): Promise<RunChange | undefined> {
  const { rows } = await sql<RunWithChange>`
    WITH cur AS (
      SELECT id, status FROM ${ctx.runs} WHERE id = ${id} FOR UPDATE
    ), upd AS (
      UPDATE ${ctx.runs} r SET status = 'pending', wake_at = now(), recoveries = 0, retry_state = '{}',
        suspect = false, isolated = false, crash_mark = NULL, recovery_delay_ms = 0,
        error = NULL, finished_at = NULL, updated_at = now()
      FROM cur WHERE r.id = cur.id AND cur.status IN ('blocked', 'failed')
      RETURNING r.*
    ), cut AS (
      DELETE FROM ${ctx.journal}
      WHERE run_id = ${id}
        AND EXISTS (SELECT 1 FROM cur WHERE status = 'failed')
        AND delivery_order >= (SELECT max(delivery_order) FROM ${ctx.journal}
          WHERE run_id = ${id} AND outcome = 'error')
    ), note AS (SELECT pg_notify(${ctx.channel}, 'wake') FROM upd)
    SELECT upd.*, true AS changed, (SELECT count(*) FROM note) AS notified FROM upd
    UNION ALL
    SELECT r.*, false, 0 FROM ${ctx.runs} r WHERE r.id = ${id} AND NOT EXISTS (SELECT 1 FROM upd)`.execute(
    ctx.db,
  );
  const row = rows[0];
  return row ? { run: toRunRecord(row), changed: row.changed } : undefined;
}

/** Wakes a suspended run now, or remembers the wake for a running one (and tells its worker). */
export async function wakeRun(ctx: SqlContext, id: string): Promise<void> {
  await sql`
    WITH ${pokeRun(ctx, "poke", sql`${id}::text`)}
    SELECT (SELECT count(*) FROM poke) AS notified`.execute(ctx.db);
}

/**
 * Two CTEs, `<name>_run` and `<name>`, that wake the run whose id `runId` evaluates to, when `when` holds
 * for it: a suspended run becomes due now (`wake`), a running one keeps the wake for its next suspend and
 * its worker is told (`event:<id>`). `except` leaves runs out altogether. The main statement must read
 * `<name>` (e.g. `count(*)`) for the notifications to go out.
 *
 * Only `except` and the status filter the rows, and every live status passes it: `when` is judged in the SET,
 * so it is judged on the run's newest row. Filtered in the WHERE, it would be judged on this statement's
 * snapshot: an event sent while a claim (or a suspend) of the run is committing would see the row as it
 * was before, skip it without waiting for the claim's lock, and the wake-up would be lost.
 */
export function pokeRun(
  ctx: SqlContext,
  name: string,
  runId: RawBuilder<unknown>,
  options: { when?: RawBuilder<unknown>; except?: RawBuilder<unknown> } = {},
): RawBuilder<unknown> {
  const run = sql.raw(`${name}_run`);
  const when = options.when ?? sql`true`;
  return sql`${run} AS (
      UPDATE ${ctx.runs} r SET
        wake_at = CASE WHEN r.status = 'suspended' AND ${when} THEN now() ELSE r.wake_at END,
        wake_pending = r.wake_pending OR (r.status = 'running' AND ${when})
      WHERE r.id = ${runId} AND r.status IN ('pending', 'suspended', 'running')
        AND ${options.except ?? sql`true`}
      RETURNING r.id, r.status, r.status IN ('suspended', 'running') AND ${when} AS woken
    ), ${sql.raw(name)} AS (
      SELECT pg_notify(${ctx.channel}, CASE status WHEN 'suspended' THEN 'wake' ELSE 'event:' || id END)
      FROM ${run} WHERE woken
    )`;
}
