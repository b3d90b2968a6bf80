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
  if (!run.debounce) {
    const [result] = await createRuns(ctx, [run]);
    if (result?.status !== "fulfilled") throw result?.reason;
    return result.value;
  }
  // A concurrent insert of the same id can fail on the primary key: the retry sees the run.
  for (let attempt = 0; ; attempt++) {
    const rows = await debouncedInsert(ctx, run)
      .execute(ctx.db)
      .then(
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

type Created = { run: RunRecord; created: boolean };

/**
 * Creates runs that are not debounced, in one statement (one commit, one `wake`), each settling on its own:
 * created, or the existing run with that id (`created: false`, as is a repeat of an id within the call).
 */
export async function createRuns(
  ctx: SqlContext,
  runs: readonly NewRun[],
): Promise<PromiseSettledResult<Created>[]> {
  const results: PromiseSettledResult<Created>[] = new Array(runs.length);
  let pending = runs.map((_, i) => i);
  // A concurrent insert of the same id that commits after this statement's snapshot leaves its row out (ON
  // CONFLICT waited for it, the SELECT cannot see it); the next attempt sees it.
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 3) {
      for (const i of pending) {
        results[i] = { status: "rejected", reason: new Error(`could not create or read run ${runs[i]?.id}`) };
      }
      break;
    }
    const batch = pending.map((i) => runs[i] as NewRun);
    const { rows } = await insertRuns(ctx, batch).execute(ctx.db);
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    pending = pending.filter((i, j) => {
      const row = byOrd.get(j + 1);
      if (row) results[i] = { status: "fulfilled", value: { run: toRunRecord(row), created: row.created } };
      return !row;
    });
  }
  return results;
}

function insertRuns(ctx: SqlContext, runs: readonly NewRun[]): RawBuilder<RunWithFlag & { ord: string }> {
  const column = <T>(pick: (run: NewRun) => T) => runs.map(pick);
  return sql<RunWithFlag & { ord: string }>`
    WITH input AS (
      SELECT * FROM unnest(${column((r) => r.id)}::text[], ${column((r) => r.workflow)}::text[],
        ${column((r) => r.version)}::text[], ${column((r) => jsonParam(r.input))}::text[],
        ${column((r) => r.parentId ?? null)}::text[], ${column((r) => jsonParam(r.tags ?? {}))}::text[],
        ${column((r) => r.startAt ?? null)}::timestamptz[], ${column((r) => r.delayMs ?? 0)}::float8[],
        ${column((r) => r.queue ?? null)}::text[], ${column((r) => r.concurrencyKey ?? null)}::text[],
        ${column((r) => r.rateKey ?? null)}::text[], ${column((r) => r.priority ?? 0)}::float8[],
        ${column((r) => r.continuedFrom ?? null)}::text[])
        WITH ORDINALITY AS i(id, workflow, version, input, parent_id, tags, start_at, delay_ms, queue,
          concurrency_key, rate_key, priority, continued_from, ord)
    ), ins AS (
      INSERT INTO ${ctx.runs} (${RUN_INSERT_COLUMNS})
      SELECT id, workflow, version, 'pending', input::json, parent_id, tags::jsonb,
        coalesce(start_at, now() + delay_ms * interval '1 millisecond'), queue, concurrency_key, rate_key, NULL,
        priority, continued_from
      FROM input ORDER BY ord
      ON CONFLICT (id) DO NOTHING
      RETURNING *
    ), note AS (${announceWake(ctx, "ins")}
    ), firsts AS (
      SELECT id, min(ord) AS ord FROM input GROUP BY id
    )
    SELECT i.ord, ins.*, i.ord = f.ord AS created, (SELECT count(*) FROM note) AS notified
    FROM input i JOIN firsts f ON f.id = i.id JOIN ins ON ins.id = i.id
    UNION ALL
    SELECT i.ord, r.*, false, 0 FROM input i JOIN ${ctx.runs} r ON r.id = i.id
    WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = i.id)`;
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
    ), note AS (${announceWake(ctx, "ins")})
    SELECT ins.*, (SELECT count(*) FROM note) AS notified FROM ins
    UNION ALL
    SELECT e.*, false, 0 FROM existing e`;
}

/**
 * Notifications for new work due at the `wake_at` of the rows of CTE `rows`: `wake` when some are due now,
 * and `wake:<ms>` for the earliest due later (counted on the database's clock), so that idle workers arm a
 * timer for it instead of finding it at their next poll.
 */
function announceWake(ctx: SqlContext, rows: string): RawBuilder<unknown> {
  const from = sql.raw(rows);
  return sql`
      SELECT pg_notify(${ctx.channel}, 'wake') FROM (SELECT 1 FROM ${from} WHERE wake_at <= now() LIMIT 1) due
      UNION ALL
      SELECT pg_notify(${ctx.channel}, 'wake:' || ceil(extract(epoch FROM min(wake_at) - now()) * 1000)::bigint)
      FROM ${from} WHERE wake_at > now() HAVING count(*) > 0`;
}
