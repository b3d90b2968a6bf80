import type { NewRun, RunRecord } from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import { jsonParam, type RunRow, type SqlContext } from "./database.js";
import { toRunRecord } from "./rows.js";

const UNIQUE_VIOLATION = "23505";

/** The columns `runValues` fills, in its order. */
export const RUN_INSERT_COLUMNS = sql.raw(
  "id, workflow, version, status, input, parent_id, tags, wake_at, queue, concurrency_key, rate_key, debounce_key, priority, continued_from",
);

/**
 * The values of a new pending run, due at `startAt`, or `delayMs` after the database's now(); a debounced
 * run is due its period after now().
 */
export function runValues(run: NewRun, continuedFrom?: RawBuilder<unknown>): RawBuilder<unknown> {
  const from = continuedFrom ?? sql`${run.continuedFrom ?? null}::text`;
  const wakeAt = run.debounce
    ? sql`now() + ${run.debounce.periodMs}::float8 * interval '1 millisecond'`
    : sql`coalesce(${run.startAt ?? null}::timestamptz, now() + ${run.delayMs ?? 0}::float8 * interval '1 millisecond')`;
  return sql`${run.id}::text, ${run.workflow}::text, ${run.version}::text, 'pending',
    ${jsonParam(run.input)}::json, ${run.parentId ?? null}::text, ${jsonParam(run.tags ?? {})}::jsonb, ${wakeAt},
    ${run.queue ?? null}::text, ${run.concurrencyKey ?? null}::text, ${run.rateKey ?? null}::text,
    ${run.debounce?.key ?? null}::text, ${run.priority ?? 0}::float8, ${from}`;
}

type RunWithFlag = RunRow & { created: boolean };

/**
 * Creates a run (announcing it), or returns the existing run with that id. One statement. A debounced run
 * (`run.debounce`) replaces the input of the run of its workflow and key that has not started yet and makes
 * it due a period from now (`created: false`, that run returned); without such a run it is created, due a
 * period from now.
 */
export async function createRun(ctx: SqlContext, run: NewRun): Promise<{ run: RunRecord; created: boolean }> {
  // A concurrent insert of the same id can leave both branches empty (ON CONFLICT waited for it, the SELECT
  // cannot see it), or, for a debounced run, fail on the primary key: the retry sees the run.
  for (let attempt = 0; ; attempt++) {
    const statement = run.debounce ? debouncedInsert(ctx, run) : plainInsert(ctx, run);
    const rows = await statement.execute(ctx.db).then(
      (result) => result.rows,
      (error: unknown) => {
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION && attempt < 3) return [];
        throw error;
      },
    );
    const row = rows[0];
    if (row) return { run: toRunRecord(row), created: row.created };
    if (attempt >= 3) throw new Error(`could not create or read run ${run.id}`);
  }
}

function plainInsert(ctx: SqlContext, run: NewRun): RawBuilder<RunWithFlag> {
  return sql<RunWithFlag>`
    WITH ins AS (
      INSERT INTO ${ctx.runs} (${RUN_INSERT_COLUMNS}) SELECT ${runValues(run)}
      ON CONFLICT (id) DO NOTHING
      RETURNING *
    ), note AS (SELECT pg_notify(${ctx.channel}, 'wake') FROM ins)
    SELECT ins.*, true AS created, (SELECT count(*) FROM note) AS notified FROM ins
    UNION ALL
    SELECT r.*, false, 0 FROM ${ctx.runs} r WHERE r.id = ${run.id} AND NOT EXISTS (SELECT 1 FROM ins)`;
}

/** `xmax = 0` tells a row the INSERT wrote from one its DO UPDATE changed. */
function debouncedInsert(ctx: SqlContext, run: NewRun): RawBuilder<RunWithFlag> {
  return sql<RunWithFlag>`
    WITH existing AS (
      SELECT * FROM ${ctx.runs} WHERE id = ${run.id}::text
    ), ins AS (
      INSERT INTO ${ctx.runs} AS r (${RUN_INSERT_COLUMNS})
      SELECT ${runValues(run)} WHERE NOT EXISTS (SELECT 1 FROM existing)
      ON CONFLICT (workflow, debounce_key) WHERE debounce_key IS NOT NULL AND status = 'pending' AND attempts = 0
      DO UPDATE SET input = excluded.input, wake_at = excluded.wake_at, updated_at = now()
      RETURNING r.*, r.xmax = 0 AS created
    ), note AS (SELECT pg_notify(${ctx.channel}, 'wake') FROM ins WHERE created)
    SELECT ins.*, (SELECT count(*) FROM note) AS notified FROM ins
    UNION ALL
    SELECT e.*, false, 0 FROM existing e`;
}
