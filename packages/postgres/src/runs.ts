import type { NewRun, RunFilter, RunRecord } from "@durable/core";
import { sql } from "kysely";
import { RUN_INSERT_COLUMNS, runValues } from "./create-run.js";
import { jsonParam, type RunRow, type SqlContext } from "./database.js";
import { toRunRecord } from "./rows.js";

/** The run with this id. */
export async function getRun(ctx: SqlContext, id: string): Promise<RunRecord | undefined> {
  const row = await ctx.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRunRecord(row) : undefined;
}

/** Runs matching the filter, newest first. */
export async function listRuns(ctx: SqlContext, filter: RunFilter): Promise<RunRecord[]> {
  let query = ctx.db.selectFrom("runs").selectAll();
  if (filter.status !== undefined) {
    const statuses = [filter.status].flat();
    if (statuses.length === 0) return [];
    query = query.where("status", "in", statuses);
  }
  if (filter.workflow !== undefined) query = query.where("workflow", "=", filter.workflow);
  if (filter.parentId !== undefined) query = query.where("parent_id", "=", filter.parentId);
  if (filter.before !== undefined) query = query.where("created_at", "<", filter.before);
  if (filter.tags !== undefined && Object.keys(filter.tags).length > 0) {
    query = query.where(sql<boolean>`tags @> ${jsonParam(filter.tags)}::jsonb`);
  }
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("created_seq", "desc")
    .limit(Math.max(0, filter.limit))
    .execute();
  return rows.map(toRunRecord);
}

/** Creates `run` with a copy of the source's entries `seq < fromSeq`, renumbered in delivery order. */
export async function forkRun(
  ctx: SqlContext,
  sourceId: string,
  run: NewRun,
  fromSeq: number,
): Promise<RunRecord> {
  const { rows } = await sql<RunRow>`
    WITH ins AS (
      INSERT INTO ${ctx.runs} (${RUN_INSERT_COLUMNS}) SELECT ${runValues(run)}
      ON CONFLICT (id) DO NOTHING
      RETURNING *
    ), copied AS (
      INSERT INTO ${ctx.journal}
        (run_id, seq, kind, name, outcome, result, error, delivery_order, attempts, started_at, completed_at)
      SELECT ins.id, j.seq, j.kind, j.name, j.outcome, j.result, j.error,
        (row_number() OVER (ORDER BY j.delivery_order) - 1)::int, j.attempts, j.started_at, j.completed_at
      FROM ${ctx.journal} j, ins
      WHERE j.run_id = ${sourceId} AND j.seq < ${fromSeq}
      RETURNING 1
    ), note AS (SELECT pg_notify(${ctx.channel}, 'wake') FROM ins)
    SELECT ins.*, (SELECT count(*) FROM copied) AS copied, (SELECT count(*) FROM note) AS notified FROM ins
    UNION ALL
    SELECT r.*, 0, 0 FROM ${ctx.runs} r WHERE r.id = ${run.id} AND NOT EXISTS (SELECT 1 FROM ins)`.execute(
    ctx.db,
  );
  const row = rows[0];
  if (!row) throw new Error(`could not create or read run ${run.id}`);
  return toRunRecord(row);
}

/** Deletes finished runs that finished before `olderThan`, with their journals and events. One statement. */
export async function pruneRuns(ctx: SqlContext, olderThan: Date): Promise<number> {
  const { rows } = await sql<{ pruned: number }>`
    WITH gone AS (
      DELETE FROM ${ctx.runs}
      WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ${olderThan}::timestamptz
      RETURNING id
    ), journal AS (
      DELETE FROM ${ctx.journal} WHERE run_id IN (SELECT id FROM gone)
    ), events AS (
      DELETE FROM ${ctx.events} WHERE run_id IN (SELECT id FROM gone)
    )
    SELECT count(*)::int AS pruned FROM gone`.execute(ctx.db);
  return rows[0]?.pruned ?? 0;
}

/**
 * The earliest time a run of these workflows is due: a pending or suspended wake, or an expiring lease. A run
 * a concurrency limit holds is due when a slot frees (a `wake` says so), not at a time, so it is left out.
 */
export async function nextWakeAt(ctx: SqlContext, workflows: readonly string[]): Promise<Date | undefined> {
  const names = [...workflows];
  const { rows } = await sql<{ at: Date | null }>`
    SELECT least(
      (SELECT min(wake_at) FROM ${ctx.runs}
        WHERE status IN ('pending', 'suspended') AND workflow = ANY(${names}::text[])
          AND (held_by IS NULL OR held_by NOT LIKE 'concurrency:%')),
      (SELECT min(lease_expires_at) FROM ${ctx.runs}
        WHERE status = 'running' AND NOT suspect AND workflow = ANY(${names}::text[])),
      (SELECT min(lease_expires_at + recovery_delay_ms * interval '1 millisecond') FROM ${ctx.runs}
        WHERE status = 'running' AND suspect AND workflow = ANY(${names}::text[]))
    ) AS at`.execute(ctx.db);
  return rows[0]?.at ?? undefined;
}

/**
 * How many runs of these workflows are due and not claimed (pending or suspended past their wake, running
 * past their lease), and since when the oldest has been due. One statement.
 */
export async function dueStats(
  ctx: SqlContext,
  workflows: readonly string[],
): Promise<{ count: number; oldestDueAt?: Date }> {
  const names = [...workflows];
  const { rows } = await sql<{ count: number; oldest: Date | null }>`
    SELECT count(*)::int AS count, min(due_at) AS oldest FROM (
      SELECT wake_at AS due_at FROM ${ctx.runs}
      WHERE status IN ('pending', 'suspended') AND wake_at <= now() AND workflow = ANY(${names}::text[])
      UNION ALL
      SELECT lease_expires_at FROM ${ctx.runs}
      WHERE status = 'running' AND lease_expires_at <= now() AND workflow = ANY(${names}::text[])
    ) due`.execute(ctx.db);
  const row = rows[0];
  return row?.oldest ? { count: row.count, oldestDueAt: row.oldest } : { count: 0 };
}

/** The database's clock. */
export async function databaseNow(ctx: SqlContext): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(ctx.db);
  const now = rows[0]?.now;
  if (!now) throw new Error("the database did not return its time");
  return now;
}
