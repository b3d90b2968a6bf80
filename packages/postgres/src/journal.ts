import { type JournalEntry, type Lease, LeaseLostError, type NewJournalEntry } from "@durable/core";
import { sql } from "kysely";
import { jsonParam, type SqlContext } from "./database.js";
import { toJournalEntry } from "./rows.js";

const UNIQUE_VIOLATION = "23505";

/**
 * The lease check every write of a run's journal runs first. `FOR KEY SHARE` makes a concurrent claim
 * (which locks `FOR UPDATE ... SKIP LOCKED`) either skip the run or commit first, in which case this check
 * re-reads the row, sees the new epoch and fails: a worker that lost its lease cannot write. Times are the
 * statement's, not the transaction's, so inside `store.transaction` the entry records when it was written.
 */
export function leaseHeld(ctx: SqlContext, lease: Lease) {
  return sql`
    SELECT 1 FROM ${ctx.runs}
    WHERE id = ${lease.runId}::text AND lease_epoch = ${lease.epoch}::int AND lease_owner = ${lease.owner}::text
      AND status = 'running' AND lease_expires_at > statement_timestamp()
    FOR KEY SHARE`;
}

/**
 * Appends one entry, fenced by the lease, in one statement; with `consumeEvent` the event is marked
 * consumed by this seq in the same statement. Resolves to the database's time of the write.
 */
export async function appendJournal(
  ctx: SqlContext,
  lease: Lease,
  entry: NewJournalEntry,
  options?: { consumeEvent?: string },
): Promise<Date> {
  const eventId = options?.consumeEvent ?? null;
  const result = entry.outcome === "ok" ? jsonParam(entry.result) : null;
  const error = entry.outcome === "error" ? jsonParam(entry.error) : null;
  let rows: { completed_at: Date | null; held: boolean }[];
  try {
    ({ rows } = await sql<{ completed_at: Date | null; held: boolean }>`
      WITH held AS (${leaseHeld(ctx, lease)}),
      consumed AS (
        UPDATE ${ctx.events} SET consumed_seq = ${entry.seq}::int
        WHERE run_id = ${lease.runId}::text AND id = ${eventId}::bigint AND consumed_seq IS NULL
          AND EXISTS (SELECT 1 FROM held)
        RETURNING id
      ), ins AS (
        INSERT INTO ${ctx.journal}
          (run_id, seq, kind, name, outcome, result, error, delivery_order, attempts, started_at, completed_at)
        SELECT ${lease.runId}::text, ${entry.seq}::int, ${entry.kind}::text, ${entry.name}::text,
          ${entry.outcome}::text, ${result}::json, ${error}::jsonb, ${entry.order}::int, ${entry.attempts}::int,
          ${entry.startedAt}::timestamptz, statement_timestamp()
        WHERE EXISTS (SELECT 1 FROM held) AND (${eventId}::bigint IS NULL OR EXISTS (SELECT 1 FROM consumed))
        RETURNING completed_at
      )
      SELECT (SELECT completed_at FROM ins) AS completed_at, EXISTS (SELECT 1 FROM held) AS held`.execute(
      ctx.db,
    ));
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
      throw new Error(`journal of run ${lease.runId} already has seq ${entry.seq}`, { cause: error });
    }
    throw error;
  }
  const row = rows[0];
  if (row?.completed_at) return row.completed_at;
  if (!row?.held) throw new LeaseLostError(lease.runId);
  throw new Error(`event ${eventId} of run ${lease.runId} is missing or already consumed`);
}

/** A run's journal, by seq. */
export async function readJournal(ctx: SqlContext, runId: string): Promise<JournalEntry[]> {
  const rows = await ctx.db
    .selectFrom("journal")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("seq")
    .execute();
  return rows.map(toJournalEntry);
}
