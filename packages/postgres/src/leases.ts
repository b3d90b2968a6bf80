import type { Lease, LeaseRenewal } from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import type { SqlContext } from "./database.js";

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
    ), locked AS (
      ${lockInOrder(ctx, sql`SELECT run_id FROM l`)}
    ), renewed AS (
      UPDATE ${ctx.runs} r SET lease_expires_at = now() + ${leaseMs}::float8 * interval '1 millisecond'
      FROM l
      WHERE r.id = l.run_id AND r.id IN (SELECT id FROM locked) AND r.lease_epoch = l.epoch AND r.lease_owner = l.owner
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
    WITH l AS (
      SELECT * FROM unnest(${leases.map((l) => l.runId)}::text[], ${leases.map((l) => l.epoch)}::int[]) AS l(run_id, epoch)
    ), locked AS (
      ${lockInOrder(ctx, sql`SELECT run_id FROM l`)}
    ), released AS (
      UPDATE ${ctx.runs} r SET status = 'pending', wake_at = now(), lease_owner = NULL,
        lease_expires_at = NULL, updated_at = now()
      FROM l
      WHERE r.id = l.run_id AND r.id IN (SELECT id FROM locked) AND r.lease_epoch = l.epoch AND r.status = 'running'
      RETURNING r.id
    )
    SELECT (SELECT count(*) FROM released) AS released, pg_notify(${ctx.channel}, 'wake')::text AS notified`.execute(
    ctx.db,
  );
}

/**
 * A query that locks the runs rows of `ids` (a query of run ids) in id order, as strongly as an UPDATE
 * does: the worker's statements that update many runs (renewing, finishing, releasing) take their locks in
 * one order, so a heartbeat and a batched finish of the same runs wait for each other instead of
 * deadlocking. `FOR NO KEY UPDATE` leaves the appends' `FOR KEY SHARE` fence unblocked.
 */
export function lockInOrder(ctx: SqlContext, ids: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`SELECT id FROM ${ctx.runs} WHERE id IN (${ids}) ORDER BY id FOR NO KEY UPDATE`;
}
