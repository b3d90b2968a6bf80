import { type Lease, LeaseLostError, type NewRun, type RunOutcome } from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import { RUN_INSERT_COLUMNS, runValues } from "./create-run.js";
import type { SqlContext } from "./database.js";
import { finishRuns, freedSlot } from "./finish-runs.js";
import { pokeRun } from "./run-control.js";

/**
 * Records how an activation ended and drops the lease, in one statement fenced by the lease (see
 * `finishRuns`; continue-as-new completes the run and creates the next one). Throws `LeaseLostError` when
 * the lease is gone.
 */
export async function finishRun(ctx: SqlContext, lease: Lease, outcome: RunOutcome): Promise<void> {
  if (outcome.status !== "continued") {
    const [result] = await finishRuns(ctx, [{ lease, outcome }]);
    if (result?.status !== "fulfilled") throw result?.reason;
    return;
  }
  const { rows } = await continueAsNew(ctx, lease, outcome.next).execute(ctx.db);
  if (!rows[0]?.finished) throw new LeaseLostError(lease.runId);
}

function fence(lease: Lease): RawBuilder<unknown> {
  return sql`id = ${lease.runId}::text AND lease_epoch = ${lease.epoch}::int AND lease_owner = ${lease.owner}::text
    AND status = 'running' AND lease_expires_at > now()`;
}

function continueAsNew(ctx: SqlContext, lease: Lease, next: NewRun): RawBuilder<{ finished: boolean }> {
  return sql<{ finished: boolean }>`
    WITH fin AS (
      UPDATE ${ctx.runs} SET status = 'completed', continued_as = ${next.id}::text, finished_at = now(),
        retry_state = '{}', suspect = false, isolated = false, recovery_delay_ms = 0, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
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
