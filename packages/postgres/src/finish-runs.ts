import { type Lease, LeaseLostError, type RunOutcome } from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import { jsonParam, type SqlContext } from "./database.js";
import { lockInOrder } from "./leases.js";
import { pokeRun } from "./run-control.js";

/** One `finishRun` call that suspends or ends a run (continue-as-new has its own statement). */
export interface Finish {
  lease: Lease;
  outcome: Exclude<RunOutcome, { status: "continued" }>;
}

/**
 * Records how activations ended and drops their leases, in one statement (one commit) for any number of
 * runs, each fenced by its own lease; an item whose lease is gone settles with `LeaseLostError`, the others
 * are written.
 * - Suspended: due at `wakeAt`, or at once when a cancellation was requested or a wake-up (an event, a
 *   finished child) came while it ran — or when a child of it finishes in this same batch, or when an event
 *   it waits for is stored and not consumed (sent while it was being claimed: the claim's snapshot missed it,
 *   and the sender saw the run before the claim). Due now says `wake`.
 * - Completed, failed, cancelled, blocked: announces `finished:<id>` and wakes the parent (a parent that
 *   this batch itself writes is woken by the rule above, never updated twice in one statement).
 * A run that stops running on a queue whose limits hold runs back says `wake`. An activation that ended
 * clears the run of suspicion (`suspect`): its worker survived it.
 */
export async function finishRuns(
  ctx: SqlContext,
  finishes: readonly Finish[],
): Promise<PromiseSettledResult<void>[]> {
  const column = <T>(pick: (f: Finish["outcome"]) => T) => finishes.map((f) => pick(f.outcome));
  const suspended = (o: Finish["outcome"]) => (o.status === "suspended" ? o : undefined);
  const { rows } = await sql<{ ord: string; finished: boolean }>`
    WITH input AS (
      SELECT * FROM unnest(${finishes.map((f) => f.lease.runId)}::text[], ${finishes.map((f) => f.lease.epoch)}::int[],
        ${finishes.map((f) => f.lease.owner)}::text[], ${column((o) => o.status)}::text[],
        ${column((o) => ("output" in o ? jsonParam(o.output) : null))}::text[],
        ${column((o) => ("error" in o ? jsonParam(o.error) : null))}::text[],
        ${column((o) => suspended(o)?.wakeAt ?? null)}::timestamptz[],
        ${column((o) => jsonParam(suspended(o)?.retryState))}::text[],
        ${column((o) => jsonParam(suspended(o)?.waitingFor))}::text[])
        WITH ORDINALITY AS i(run_id, epoch, owner, status, output, error, wake_at, retry_state, waiting_for, ord)
    ), kids AS (
      SELECT r.parent_id AS id FROM input i JOIN ${ctx.runs} r ON r.id = i.run_id
      WHERE i.status <> 'suspended' AND r.parent_id IS NOT NULL
    ), locked AS (
      ${lockInOrder(ctx, sql`SELECT run_id FROM input UNION SELECT id FROM kids`)}
    ), fin AS (
      UPDATE ${ctx.runs} r SET status = i.status,
        output = coalesce(i.output::json, r.output),
        error = coalesce(i.error::jsonb, r.error),
        finished_at = CASE WHEN i.status IN ('completed', 'failed', 'cancelled') THEN now() ELSE r.finished_at END,
        cancel_reason = CASE WHEN i.status IN ('completed', 'failed', 'cancelled') THEN NULL ELSE r.cancel_reason END,
        retry_state = coalesce(i.retry_state::jsonb, '{}'),
        waiting_for = CASE WHEN i.status = 'suspended'
          THEN ARRAY(SELECT json_array_elements_text(i.waiting_for::json)) ELSE r.waiting_for END,
        wake_at = CASE WHEN i.status <> 'suspended' THEN r.wake_at
          WHEN r.cancel_reason IS NOT NULL OR r.wake_pending OR r.id IN (SELECT id FROM kids)
            OR EXISTS (SELECT 1 FROM ${ctx.events} e WHERE e.run_id = r.id AND e.consumed_seq IS NULL
              AND e.name IN (SELECT json_array_elements_text(i.waiting_for::json))) THEN now()
          ELSE i.wake_at END,
        wake_pending = CASE WHEN i.status = 'suspended' THEN false ELSE r.wake_pending END,
        suspect = false, isolated = false, recovery_delay_ms = 0,
        lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      FROM input i
      WHERE r.id = i.run_id AND r.id IN (SELECT id FROM locked) AND r.lease_epoch = i.epoch
        AND r.lease_owner = i.owner AND r.status = 'running' AND r.lease_expires_at > now()
      RETURNING r.id, r.parent_id, r.status, r.wake_at, coalesce(r.queue, r.workflow) AS queue, i.ord
    ), ${pokeRun(ctx, "parent", sql`ANY(ARRAY(SELECT parent_id FROM fin WHERE status <> 'suspended'))`, {
      except: sql`r.id NOT IN (SELECT id FROM fin)`,
    })}, note AS (
      SELECT pg_notify(${ctx.channel}, CASE WHEN status = 'suspended' THEN 'wake' ELSE 'finished:' || id END)
      FROM fin WHERE status <> 'suspended' OR wake_at <= now()
    ), ${freedSlot(ctx)}
    SELECT i.ord, i.ord IN (SELECT ord FROM fin) AS finished,
      (SELECT count(*) FROM note) + (SELECT count(*) FROM parent) + (SELECT count(*) FROM freed) AS notified
    FROM input i ORDER BY i.ord`.execute(ctx.db);
  return finishes.map(
    (f, i): PromiseSettledResult<void> =>
      rows[i]?.finished
        ? { status: "fulfilled", value: undefined }
        : { status: "rejected", reason: new LeaseLostError(f.lease.runId) },
  );
}

/**
 * A CTE `freed` that says `wake` when a run `fin` returns (with its `queue`) left a slot on a queue whose
 * limits hold runs back, so the workers claim the held runs now. Read it (`count(*)`) for it to go out.
 */
export function freedSlot(ctx: SqlContext): RawBuilder<unknown> {
  return sql`freed AS (
      SELECT pg_notify(${ctx.channel}, 'wake') FROM fin
      WHERE EXISTS (SELECT 1 FROM ${ctx.runs} h WHERE h.held_by IS NOT NULL AND coalesce(h.queue, h.workflow) = fin.queue)
    )`;
}
