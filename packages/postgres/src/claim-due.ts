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
 * The end of a claim statement: takes the runs of a preceding CTE `due (id, ord, status, suspect, isolated,
 * recoveries, crash_mark)` — the run's newest row, locked — at time `at`, and selects each claimed run with
 * its journal and unconsumed events, in `ord` order. A run that was `running` is taken over from an expired
 * lease: it becomes a suspect; a suspect taken over again becomes isolated (a worker holds one isolated run
 * at a time); and when it already was isolated, its worker held it as its only isolated run, so the crash is
 * charged to it (`recoveries`, which starts again at 1 when the journal grew since the last charge) and a
 * run charged more than `maxRecoveries` times is parked as `blocked` (crash_loop) instead of claimed.
 * Claimed runs get a new lease and epoch (and an isolated one the backoff of its next takeover); `held_by`
 * is cleared.
 */
export function claimDue(
  ctx: SqlContext,
  request: ClaimRequest,
  at: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`charge AS (
      SELECT d.id, c.charged, c.len,
        CASE WHEN NOT c.charged THEN d.recoveries WHEN c.len > d.crash_mark THEN 1 ELSE d.recoveries + 1 END
          AS recoveries
      FROM due d, LATERAL (SELECT d.status = 'running' AND d.isolated AS charged,
        CASE WHEN d.status = 'running' AND d.isolated
          THEN (SELECT count(*)::int FROM ${ctx.journal} j WHERE j.run_id = d.id) END AS len) c
    ), outcome AS (
      SELECT d.id, d.ord, d.status = 'running' AS takeover, ch.charged, ch.len, ch.recoveries,
        d.isolated OR (d.status = 'running' AND d.suspect) AS isolated,
        ch.charged AND ch.recoveries > coalesce(${request.maxRecoveries ?? null}::int, 2147483647) AS park
      FROM due d JOIN charge ch ON ch.id = d.id
    ), claimed AS (
      UPDATE ${ctx.runs} r SET
        status = CASE WHEN v.park THEN 'blocked' ELSE 'running' END,
        recoveries = v.recoveries,
        crash_mark = CASE WHEN v.charged THEN v.len ELSE r.crash_mark END,
        suspect = r.suspect OR v.takeover,
        isolated = v.isolated,
        recovery_delay_ms = CASE WHEN v.isolated
          THEN ${request.recoveryBackoffMs ?? 0}::float8 * power(2, least(v.recoveries, 6)) ELSE 0 END,
        lease_owner = CASE WHEN v.park THEN NULL ELSE ${request.owner}::text END,
        lease_expires_at = CASE WHEN v.park THEN NULL
          ELSE ${at} + ${request.leaseMs}::float8 * interval '1 millisecond' END,
        lease_epoch = r.lease_epoch + CASE WHEN v.park THEN 0 ELSE 1 END,
        attempts = r.attempts + CASE WHEN v.park THEN 0 ELSE 1 END,
        started_at = CASE WHEN v.park THEN r.started_at ELSE coalesce(r.started_at, ${at}) END,
        waiting_for = CASE WHEN v.park THEN r.waiting_for ELSE '{}' END,
        wake_pending = CASE WHEN v.park THEN r.wake_pending ELSE false END,
        error = CASE WHEN v.park THEN jsonb_build_object('name', 'CrashLoopError', 'code', 'crash_loop',
            'message', format(${CRASH_LOOP_FORMAT}::text, r.id, v.recoveries))
          ELSE r.error END,
        held_by = NULL,
        wake_at = NULL,
        updated_at = ${at}
      FROM outcome v WHERE r.id = v.id
      RETURNING r.*, v.park AS parked
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

/**
 * The condition on a runs row that a run whose lease expired may be taken over now: at its expiry, or for a
 * suspect after its backoff (`recovery_delay_ms`, set when it was claimed).
 */
export function recoveryDue(): RawBuilder<unknown> {
  return sql`lease_expires_at + recovery_delay_ms * interval '1 millisecond' <= now()`;
}
