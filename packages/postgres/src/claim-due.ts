import { type ClaimedRun, type ClaimRequest, CRASH_LOOP_FORMAT } from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import type { EventRow, JournalRow, RunRow, SqlContext } from "./database.js";
import { toEventRecord, toJournalEntry, toRunRecord } from "./rows.js";

/** A row of a claim statement: the run after the claim, with its journal and events. */
export type ClaimRow = RunRow & {
  parked: boolean;
  journal_rows: JournalRow[] | null;
  event_rows: EventRow[] | null;
  claimed_at: Date;
};

/**
 * The end of a claim statement: takes the runs of a preceding `due (id, park, ord)` CTE (running, with a new
 * lease and epoch; or parked as `blocked`, crash_loop) at time `at`, clears their `held_by`, and selects each
 * claimed run with its journal and unconsumed events, in `ord` order.
 */
export function claimDue(
  ctx: SqlContext,
  request: ClaimRequest,
  at: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`claimed AS (
      UPDATE ${ctx.runs} r SET
        status = CASE WHEN due.park THEN 'blocked' ELSE 'running' END,
        recoveries = r.recoveries + CASE WHEN r.status = 'running' THEN 1 ELSE 0 END,
        lease_owner = CASE WHEN due.park THEN NULL ELSE ${request.owner}::text END,
        lease_expires_at = CASE WHEN due.park THEN NULL
          ELSE ${at} + ${request.leaseMs}::float8 * interval '1 millisecond' END,
        lease_epoch = r.lease_epoch + CASE WHEN due.park THEN 0 ELSE 1 END,
        attempts = r.attempts + CASE WHEN due.park THEN 0 ELSE 1 END,
        started_at = CASE WHEN due.park THEN r.started_at ELSE coalesce(r.started_at, ${at}) END,
        waiting_for = CASE WHEN due.park THEN r.waiting_for ELSE '{}' END,
        wake_pending = CASE WHEN due.park THEN r.wake_pending ELSE false END,
        error = CASE WHEN due.park THEN jsonb_build_object('name', 'CrashLoopError', 'code', 'crash_loop',
            'message', format(${CRASH_LOOP_FORMAT}::text, r.id, r.recoveries + 1))
          ELSE r.error END,
        held_by = NULL,
        wake_at = NULL,
        updated_at = ${at}
      FROM due WHERE r.id = due.id
      RETURNING r.*, due.park AS parked
    ), note AS (
      SELECT pg_notify(${ctx.channel}, 'finished:' || id) FROM claimed WHERE parked
    )
    SELECT c.*,
      CASE WHEN NOT c.parked THEN (SELECT json_agg(j ORDER BY j.seq) FROM ${ctx.journal} j WHERE j.run_id = c.id)
        END AS journal_rows,
      CASE WHEN NOT c.parked THEN (SELECT json_agg(e ORDER BY e.id) FROM ${ctx.events} e
        WHERE e.run_id = c.id AND e.consumed_seq IS NULL) END AS event_rows,
      ${at} AS claimed_at,
      (SELECT count(*) FROM note) AS notified
    FROM claimed c JOIN due d ON d.id = c.id
    ORDER BY d.ord`;
}

/** The claimed runs of a `claimDue` statement's rows, parked ones left out. */
export function toClaimedRuns(rows: readonly ClaimRow[], owner: string): ClaimedRun[] {
  return rows
    .filter((row) => !row.parked)
    .map((row) => ({
      run: toRunRecord(row),
      journal: (row.journal_rows ?? []).map(toJournalEntry),
      events: (row.event_rows ?? []).map(toEventRecord),
      lease: { runId: row.id, owner, epoch: row.lease_epoch },
      now: row.claimed_at,
    }));
}
