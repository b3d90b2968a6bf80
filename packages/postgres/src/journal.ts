import {
  DuplicateSeqError,
  EventConsumedError,
  type JournalEntry,
  type Lease,
  LeaseLostError,
  type NewJournalEntry,
} from "@durable/core";
import { sql } from "kysely";
import { jsonParam, type SqlContext } from "./database.js";
import { toJournalEntry } from "./rows.js";

/** One `appendJournal` call: the entry, the lease that fences it, and the event it consumes, if any. */
export interface Append {
  lease: Lease;
  entry: NewJournalEntry;
  consumeEvent?: string;
}

interface AppendRow {
  ord: string;
  completed_at: Date | null;
  held: boolean;
  event_ok: boolean;
  duplicate: boolean;
}

/**
 * Appends entries of any runs in one statement (one commit), each fenced by its own lease: an entry whose
 * lease is gone, whose seq is taken or whose event is missing or consumed is not written, and settles with
 * its own error (`LeaseLostError` first, then the event, then the seq); the others are written. An entry
 * with `consumeEvent` marks that event consumed by its seq in the same statement. Each written entry
 * resolves to the database's time of the write.
 *
 * The lease check locks the run `FOR KEY SHARE`, so a concurrent claim (which locks `FOR UPDATE ... SKIP
 * LOCKED`) either skips the run or commits first, and then the check re-reads the row, sees the new epoch
 * and fails: a worker that lost its lease cannot write. Times are the statement's, not the transaction's,
 * so inside `store.transaction` the entry records when it was written.
 */
export async function appendJournalEntries(
  ctx: SqlContext,
  appends: readonly Append[],
): Promise<PromiseSettledResult<Date>[]> {
  // A repeat of a run and seq goes in a later statement, so it sees the first and fails as a duplicate.
  const seen = new Set<string>();
  const [first, again] = [[] as number[], [] as number[]];
  appends.forEach((append, i) => {
    const key = JSON.stringify([append.lease.runId, append.entry.seq]);
    (seen.has(key) ? again : first).push(i);
    seen.add(key);
  });
  if (again.length === 0) return appendDistinct(ctx, appends);
  const results: PromiseSettledResult<Date>[] = new Array(appends.length);
  const pick = (indexes: number[]) => indexes.map((i) => appends[i] as Append);
  (await appendDistinct(ctx, pick(first))).forEach((result, j) => {
    results[first[j] as number] = result;
  });
  (await appendJournalEntries(ctx, pick(again))).forEach((result, j) => {
    results[again[j] as number] = result;
  });
  return results;
}

async function appendDistinct(
  ctx: SqlContext,
  appends: readonly Append[],
): Promise<PromiseSettledResult<Date>[]> {
  const column = <T>(pick: (a: Append) => T) => appends.map(pick);
  const { rows } = await sql<AppendRow>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((a) => a.lease.runId)}::text[], ${column((a) => a.lease.epoch)}::int[],
        ${column((a) => a.lease.owner)}::text[], ${column((a) => a.entry.seq)}::int[],
        ${column((a) => a.entry.kind)}::text[], ${column((a) => a.entry.name)}::text[],
        ${column((a) => a.entry.outcome)}::text[],
        ${column((a) => (a.entry.outcome === "ok" ? jsonParam(a.entry.result) : null))}::text[],
        ${column((a) => (a.entry.outcome === "error" ? jsonParam(a.entry.error) : null))}::text[],
        ${column((a) => a.entry.order)}::int[], ${column((a) => a.entry.attempts)}::int[],
        ${column((a) => a.entry.startedAt)}::timestamptz[], ${column((a) => a.consumeEvent ?? null)}::bigint[]
      ) WITH ORDINALITY AS i(run_id, epoch, owner, seq, kind, name, outcome, result, error, delivery_order,
        attempts, started_at, event_id, ord)
    ), held AS (
      SELECT i.ord FROM input i JOIN ${ctx.runs} r
        ON r.id = i.run_id AND r.lease_epoch = i.epoch AND r.lease_owner = i.owner
          AND r.status = 'running' AND r.lease_expires_at > statement_timestamp()
      FOR KEY SHARE OF r
    ), checked AS (
      SELECT i.*, i.ord IN (SELECT ord FROM held) AS held,
        i.event_id IS NULL OR EXISTS (SELECT 1 FROM ${ctx.events} e
          WHERE e.run_id = i.run_id AND e.id = i.event_id AND e.consumed_seq IS NULL) AS event_ok,
        EXISTS (SELECT 1 FROM ${ctx.journal} j WHERE j.run_id = i.run_id AND j.seq = i.seq) AS duplicate
      FROM input i
    ), consumed AS (
      UPDATE ${ctx.events} e SET consumed_seq = c.seq
      FROM checked c
      WHERE c.held AND NOT c.duplicate AND e.run_id = c.run_id AND e.id = c.event_id AND e.consumed_seq IS NULL
      RETURNING c.ord
    ), ins AS (
      INSERT INTO ${ctx.journal}
        (run_id, seq, kind, name, outcome, result, error, delivery_order, attempts, started_at, completed_at)
      SELECT run_id, seq, kind, name, outcome, result::json, error::jsonb, delivery_order, attempts, started_at,
        statement_timestamp()
      FROM checked c
      WHERE c.held AND NOT c.duplicate AND (c.event_id IS NULL OR c.ord IN (SELECT ord FROM consumed))
      ON CONFLICT (run_id, seq) DO NOTHING
      RETURNING run_id, seq, completed_at
    )
    SELECT c.ord, ins.completed_at, c.held, c.event_ok, c.duplicate
    FROM checked c LEFT JOIN ins ON ins.run_id = c.run_id AND ins.seq = c.seq
    ORDER BY c.ord`.execute(ctx.db);
  return appends.map((append, i): PromiseSettledResult<Date> => {
    const row = rows[i];
    if (row?.completed_at) return { status: "fulfilled", value: row.completed_at };
    return { status: "rejected", reason: appendError(append, row) };
  });
}

function appendError({ lease, entry, consumeEvent }: Append, row: AppendRow | undefined): Error {
  if (!row?.held) return new LeaseLostError(lease.runId);
  const eventError = new EventConsumedError(lease.runId, String(consumeEvent));
  if (consumeEvent !== undefined && !row.event_ok) return eventError;
  // Not written with no reason seen in the snapshot: another statement took the seq (or the event) meanwhile.
  if (row.duplicate || consumeEvent === undefined) {
    return new DuplicateSeqError(lease.runId, entry.seq);
  }
  return eventError;
}

/**
 * Appends one entry, fenced by the lease, in one statement (see `appendJournalEntries`); with
 * `consumeEvent` the event is marked consumed by this seq in the same statement. Resolves to the
 * database's time of the write.
 */
export async function appendJournal(
  ctx: SqlContext,
  lease: Lease,
  entry: NewJournalEntry,
  options?: { consumeEvent?: string },
): Promise<Date> {
  const append: Append = { lease, entry };
  if (options?.consumeEvent !== undefined) append.consumeEvent = options.consumeEvent;
  const [result] = await appendJournalEntries(ctx, [append]);
  if (result?.status !== "fulfilled") throw result?.reason;
  return result.value;
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
