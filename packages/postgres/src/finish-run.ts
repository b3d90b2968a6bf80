import { type Lease, LeaseLostError, type NewRun, type RunOutcome } from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import { RUN_INSERT_COLUMNS, runValues } from "./create-run.js";
import { jsonParam, type SqlContext } from "./database.js";
import { pokeRun } from "./run-control.js";

/**
 * Records how an activation ended and drops the lease, in one statement fenced by the lease. Finishing
 * (completed, failed, cancelled, blocked, continued) announces `finished:<id>` and wakes the parent.
 * Throws `LeaseLostError` when the lease is gone.
 */
export async function finishRun(ctx: SqlContext, lease: Lease, outcome: RunOutcome): Promise<void> {
  const statement =
    outcome.status === "suspended"
      ? suspend(ctx, lease, outcome)
      : outcome.status === "continued"
        ? continueAsNew(ctx, lease, outcome.next)
        : finish(ctx, lease, outcome);
  const { rows } = await statement.execute(ctx.db);
  if (!rows[0]?.finished) throw new LeaseLostError(lease.runId);
}

type Finished = RawBuilder<{ finished: boolean }>;

function fence(lease: Lease): RawBuilder<unknown> {
  return sql`id = ${lease.runId}::text AND lease_epoch = ${lease.epoch}::int AND lease_owner = ${lease.owner}::text
    AND status = 'running' AND lease_expires_at > now()`;
}

/**
 * A CTE `freed` that says `wake` when the run `fin` returns (with its `queue`) left a slot on a queue whose
 * limits hold runs back, so the workers claim the held runs now. Read it (`count(*)`) for it to go out.
 */
function freedSlot(ctx: SqlContext): RawBuilder<unknown> {
  return sql`freed AS (
      SELECT pg_notify(${ctx.channel}, 'wake') FROM fin
      WHERE EXISTS (SELECT 1 FROM ${ctx.runs} h WHERE h.held_by IS NOT NULL AND coalesce(h.queue, h.workflow) = fin.queue)
    )`;
}

function suspend(
  ctx: SqlContext,
  lease: Lease,
  outcome: Extract<RunOutcome, { status: "suspended" }>,
): Finished {
  // A cancellation requested, or a wake-up (event, finished child) that came while it ran: due at once.
  return sql<{ finished: boolean }>`
    WITH fin AS (
      UPDATE ${ctx.runs} SET status = 'suspended', retry_state = ${jsonParam(outcome.retryState)}::jsonb,
        waiting_for = ${[...outcome.waitingFor]}::text[],
        wake_at = CASE WHEN cancel_reason IS NOT NULL OR wake_pending THEN now()
          ELSE ${outcome.wakeAt}::timestamptz END,
        wake_pending = false, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE ${fence(lease)}
      RETURNING wake_at, coalesce(queue, workflow) AS queue
    ), note AS (SELECT pg_notify(${ctx.channel}, 'wake') FROM fin WHERE wake_at <= now()),
    ${freedSlot(ctx)}
    SELECT EXISTS (SELECT 1 FROM fin) AS finished,
      (SELECT count(*) FROM note) + (SELECT count(*) FROM freed) AS notified`;
}

type Terminal = Extract<RunOutcome, { status: "completed" | "failed" | "cancelled" | "blocked" }>;

function finish(ctx: SqlContext, lease: Lease, outcome: Terminal): Finished {
  const output = "output" in outcome ? jsonParam(outcome.output) : null;
  const error = "error" in outcome ? jsonParam(outcome.error) : null;
  const ends = outcome.status !== "blocked";
  return sql<{ finished: boolean }>`
    WITH fin AS (
      UPDATE ${ctx.runs} SET status = ${outcome.status}::text,
        output = coalesce(${output}::json, output), error = coalesce(${error}::jsonb, error),
        finished_at = CASE WHEN ${ends}::boolean THEN now() ELSE finished_at END,
        cancel_reason = CASE WHEN ${ends}::boolean THEN NULL ELSE cancel_reason END,
        retry_state = '{}', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE ${fence(lease)}
      RETURNING id, parent_id, coalesce(queue, workflow) AS queue
    ), ${pokeRun(ctx, "parent", sql`(SELECT parent_id FROM fin)`)},
    note AS (SELECT pg_notify(${ctx.channel}, 'finished:' || id) FROM fin),
    ${freedSlot(ctx)}
    SELECT EXISTS (SELECT 1 FROM fin) AS finished,
      (SELECT count(*) FROM note) + (SELECT count(*) FROM parent) + (SELECT count(*) FROM freed) AS notified`;
}

function continueAsNew(ctx: SqlContext, lease: Lease, next: NewRun): Finished {
  return sql<{ finished: boolean }>`
    WITH fin AS (
      UPDATE ${ctx.runs} SET status = 'completed', continued_as = ${next.id}::text, finished_at = now(),
        retry_state = '{}', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE ${fence(lease)}
      RETURNING id, parent_id, coalesce(queue, workflow) AS queue
    ), next AS (
      INSERT INTO ${ctx.runs} (${RUN_INSERT_COLUMNS})
      SELECT ${runValues(next, sql`fin.id`)} FROM fin
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), ${pokeRun(ctx, "parent", sql`(SELECT parent_id FROM fin)`)},
    note AS (
      SELECT pg_notify(${ctx.channel}, 'finished:' || id) FROM fin
      UNION ALL SELECT pg_notify(${ctx.channel}, 'wake') FROM next
    ), ${freedSlot(ctx)}
    SELECT EXISTS (SELECT 1 FROM fin) AS finished,
      (SELECT count(*) FROM note) + (SELECT count(*) FROM parent) + (SELECT count(*) FROM freed) AS notified`;
}
