import type { ClaimedRun, ClaimRequest, Lease, LeaseRenewal } from "@durable/core";
import { sql } from "kysely";
import type { EventRow, JournalRow, RunRow, SqlContext } from "./database.js";
import { toEventRecord, toJournalEntry, toRunRecord } from "./rows.js";

type ClaimRow = RunRow & {
  parked: boolean;
  journal_rows: JournalRow[] | null;
  event_rows: EventRow[] | null;
  claimed_at: Date;
};

/**
 * Claims up to `limit` due runs of the given workflows in one statement, judged by the database's clock:
 * pending and suspended runs whose `wake_at` passed, and running runs whose lease expired (a crash: counted
 * in `recoveries`, and parked as `blocked` with code `crash_loop` past `maxRecoveries`). Higher priority
 * first, then the earliest due. The same statement returns each claimed run's journal and unconsumed events.
 * Each kind of candidate is read by its own index in claim order, so a long backlog costs nothing extra; a
 * candidate locked but beyond the limit is simply not updated (its lock ends with the statement).
 */
export async function claimRuns(ctx: SqlContext, request: ClaimRequest): Promise<ClaimedRun[]> {
  if (request.limit <= 0 || request.workflows.length === 0) return [];
  const workflows = [...request.workflows];
  const { rows } = await sql<ClaimRow>`
    WITH ready AS (
      SELECT id, status, priority, wake_at AS due_at, created_seq, recoveries FROM ${ctx.runs}
      WHERE status IN ('pending', 'suspended') AND wake_at <= now() AND workflow = ANY(${workflows}::text[])
      ORDER BY priority DESC, wake_at, created_seq
      LIMIT ${request.limit}::int
      FOR UPDATE SKIP LOCKED
    ), expired AS (
      SELECT id, status, priority, lease_expires_at AS due_at, created_seq, recoveries FROM ${ctx.runs}
      WHERE status = 'running' AND lease_expires_at <= now() AND workflow = ANY(${workflows}::text[])
      ORDER BY priority DESC, lease_expires_at, created_seq
      LIMIT ${request.limit}::int
      FOR UPDATE SKIP LOCKED
    ), due AS (
      SELECT id, status AS was, priority, due_at, created_seq,
        coalesce(status = 'running' AND recoveries + 1 > ${request.maxRecoveries ?? null}::int, false) AS park
      FROM (SELECT * FROM ready UNION ALL SELECT * FROM expired) candidates
      ORDER BY priority DESC, due_at, created_seq
      LIMIT ${request.limit}::int
    ), claimed AS (
      UPDATE ${ctx.runs} r SET
        status = CASE WHEN due.park THEN 'blocked' ELSE 'running' END,
        recoveries = r.recoveries + CASE WHEN due.was = 'running' THEN 1 ELSE 0 END,
        lease_owner = CASE WHEN due.park THEN NULL ELSE ${request.owner}::text END,
        lease_expires_at = CASE WHEN due.park THEN NULL
          ELSE now() + ${request.leaseMs}::float8 * interval '1 millisecond' END,
        lease_epoch = r.lease_epoch + CASE WHEN due.park THEN 0 ELSE 1 END,
        attempts = r.attempts + CASE WHEN due.park THEN 0 ELSE 1 END,
        started_at = CASE WHEN due.park THEN r.started_at ELSE coalesce(r.started_at, now()) END,
        waiting_for = CASE WHEN due.park THEN r.waiting_for ELSE '{}' END,
        wake_pending = CASE WHEN due.park THEN r.wake_pending ELSE false END,
        error = CASE WHEN due.park THEN jsonb_build_object('name', 'CrashLoopError', 'code', 'crash_loop',
            'message', format('run %s crashed its worker %s times; fix the cause and retry it (durable retry %s)',
              r.id, r.recoveries + 1, r.id))
          ELSE r.error END,
        wake_at = NULL,
        updated_at = now()
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
      now() AS claimed_at,
      (SELECT count(*) FROM note) AS notified
    FROM claimed c JOIN due d ON d.id = c.id
    ORDER BY d.priority DESC, d.due_at, d.created_seq`.execute(ctx.db);
  return rows
    .filter((row) => !row.parked)
    .map((row) => ({
      run: toRunRecord(row),
      journal: (row.journal_rows ?? []).map(toJournalEntry),
      events: (row.event_rows ?? []).map(toEventRecord),
      lease: { runId: row.id, owner: request.owner, epoch: row.lease_epoch },
      now: row.claimed_at,
    }));
}

/**
 * Renews every lease the owner still holds, in one statement; reports the lost ones and the runs whose
 * cancellation was requested meanwhile.
 */
export async function renewLeases(
  ctx: SqlContext,
  owner: string,
  leases: readonly Lease[],
  leaseMs: number,
): Promise<LeaseRenewal> {
  if (leases.length === 0) return { lost: [], cancelled: [] };
  const { rows } = await sql<{ run_id: string; held: boolean; cancel_reason: string | null }>`
    WITH l AS (
      SELECT * FROM unnest(${leases.map((l) => l.runId)}::text[], ${leases.map((l) => l.epoch)}::int[],
        ${leases.map((l) => l.owner)}::text[]) AS l(run_id, epoch, owner)
    ), renewed AS (
      UPDATE ${ctx.runs} r SET lease_expires_at = now() + ${leaseMs}::float8 * interval '1 millisecond'
      FROM l
      WHERE r.id = l.run_id AND r.lease_epoch = l.epoch AND r.lease_owner = l.owner
        AND r.lease_owner = ${owner}::text AND r.status = 'running' AND r.lease_expires_at > now()
      RETURNING r.id, r.lease_epoch, r.lease_owner, r.cancel_reason
    )
    SELECT l.run_id, renewed.id IS NOT NULL AS held, renewed.cancel_reason
    FROM l LEFT JOIN renewed
      ON renewed.id = l.run_id AND renewed.lease_epoch = l.epoch AND renewed.lease_owner = l.owner`.execute(
    ctx.db,
  );
  const renewal: LeaseRenewal = { lost: [], cancelled: [] };
  for (const row of rows) {
    if (!row.held) renewal.lost.push(row.run_id);
    else if (row.cancel_reason !== null)
      renewal.cancelled.push({ runId: row.run_id, reason: row.cancel_reason });
  }
  return renewal;
}

/** Gives runs back (pending, due now) so any worker can claim them at once. One statement. */
export async function releaseRuns(ctx: SqlContext, leases: readonly Lease[]): Promise<void> {
  if (leases.length === 0) return;
  await sql`
    WITH released AS (
      UPDATE ${ctx.runs} r SET status = 'pending', wake_at = now(), lease_owner = NULL,
        lease_expires_at = NULL, updated_at = now()
      FROM unnest(${leases.map((l) => l.runId)}::text[], ${leases.map((l) => l.epoch)}::int[]) AS l(run_id, epoch)
      WHERE r.id = l.run_id AND r.lease_epoch = l.epoch AND r.status = 'running'
      RETURNING r.id
    )
    SELECT (SELECT count(*) FROM released) AS released, pg_notify(${ctx.channel}, 'wake')::text AS notified`.execute(
    ctx.db,
  );
}
