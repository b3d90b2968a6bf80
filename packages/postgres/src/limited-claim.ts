import {
  type FlowCandidate as Candidate,
  type ClaimedRun,
  type ClaimRequest,
  FlowLimits,
  type FlowGroupCount as GroupCount,
  type QueueLimit,
  type FlowVerdict as Verdict,
} from "@durable/core";
import { type RawBuilder, sql } from "kysely";
import { type ClaimRow, claimDue, recoveryDue, toClaimedRuns } from "./claim-due.js";
import type { SqlContext } from "./database.js";

/** More pages only when the first was full of held runs; each later page skips the groups found full. */
const MAX_PAGES = 4;

/**
 * A claim under flow-control limits, in one transaction: it takes an advisory lock per limited queue (in
 * key order, so claimers never deadlock), which serialises the claims of those queues across every worker,
 * then reads due candidates with the counts their limits need, judges them in claim order (`FlowLimits`),
 * and in one statement claims the runs that may go and marks the held ones (`held_by`, and a rate-limited
 * run's new `wake_at`). Read after the lock, the counts include every earlier claim of those queues.
 */
export async function claimLimited(ctx: SqlContext, request: ClaimRequest): Promise<ClaimedRun[]> {
  const limits = request.limits ?? [];
  return ctx.db.transaction().execute(async (trx) => {
    const tx: SqlContext = { ...ctx, db: trx };
    await lockQueues(tx, limits);
    const size = Math.max(request.limit * 2, 32);
    const seen: string[] = [];
    const verdicts: Verdict[] = [];
    let flow: FlowLimits | undefined;
    let nowUs: number | undefined;
    let claimed = 0;
    let suspects = Math.min(request.limit, request.suspects ?? 1);
    for (let page = 0; page < MAX_PAGES && claimed < request.limit; page++) {
      const read = await readCandidates(tx, request, {
        nowUs,
        seen,
        saturated: flow?.saturated() ?? [],
        size,
        suspects,
      });
      nowUs ??= read.nowUs;
      flow ??= new FlowLimits(limits, nowUs);
      flow.addCounts(read.counts);
      for (const candidate of read.candidates) {
        if (claimed >= request.limit) break;
        seen.push(candidate.id);
        const risky = candidate.isolated || (candidate.status === "running" && candidate.suspect);
        // An isolated run beyond this claim's share stays for another claim (its lock ends with the transaction).
        if (risky && suspects <= 0) continue;
        const verdict = flow.judge(candidate);
        verdicts.push(verdict);
        if (verdict.action === "claim") claimed++;
        if (verdict.action === "claim" && risky) suspects--;
      }
      if (read.candidates.length < size) break;
    }
    if (verdicts.length === 0 || nowUs === undefined) return [];
    const rows = await applyVerdicts(tx, request, verdicts, nowUs);
    return toClaimedRuns(rows, request.owner);
  });
}

async function lockQueues(ctx: SqlContext, limits: readonly QueueLimit[]): Promise<void> {
  const prefix = `durable.claim:${ctx.schema}:`;
  await sql`
    SELECT count(pg_advisory_xact_lock(key)) AS locked FROM (
      SELECT DISTINCT hashtextextended(${prefix}::text || queue, 0) AS key
      FROM unnest(${limits.map((l) => l.queue)}::text[]) AS queue
      ORDER BY key
    ) keys`.execute(ctx.db);
}

interface CandidatePage {
  nowUs: number;
  candidates: Candidate[];
  counts: GroupCount[];
}

/** `timestamptz` from microseconds since the epoch, exactly. */
function fromMicros(us: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(timestamptz 'epoch' + ${us} * interval '1 microsecond')`;
}

/** The `heldBy` a limit of `kind` would give a run `r` (see `heldBy` in core). */
function heldByOf(kind: "concurrency" | "rateLimit", keyColumn: string, keyed: string[]): RawBuilder<string> {
  return sql<string>`(${`${kind}:`}::text || coalesce(r.queue, r.workflow) || CASE
    WHEN coalesce(r.queue, r.workflow) = ANY(${keyed}::text[]) AND ${sql.ref(`r.${keyColumn}`)} IS NOT NULL
    THEN '/key=' || ${sql.ref(`r.${keyColumn}`)} ELSE '' END)`;
}

/**
 * One page of due candidates in claim order (locked, skipping runs other claims hold), and for their
 * limited groups the running count and the recent first starts, capped at the limit. The time is the first
 * page's, in microseconds.
 */
async function readCandidates(
  ctx: SqlContext,
  request: ClaimRequest,
  page: CandidatePageRequest,
): Promise<CandidatePage> {
  const limits = request.limits ?? [];
  const workflows = [...request.workflows];
  const skipFull = skipSaturated(limits, page.saturated);
  const { rows } = await sql<{
    now_us: string;
    candidates: CandidateRow[] | null;
    counts: CountRow[] | null;
  }>`
    WITH clock AS (
      SELECT coalesce(${fromMicros(sql`${page.nowUs ?? null}::bigint`)}, statement_timestamp()) AS at
    ), lim AS (
      ${limitsTable(limits)}
    ), ${dueCandidates(ctx, workflows, page, skipFull)}, cand AS (
      SELECT * FROM (SELECT * FROM ready UNION ALL SELECT * FROM orphans UNION ALL SELECT * FROM loose
        UNION ALL SELECT * FROM expired) u
      ORDER BY priority DESC, due_at, created_seq
      LIMIT ${page.size}::int
    ), ${groupCounts(ctx)}
    SELECT (extract(epoch FROM (SELECT at FROM clock)) * 1000000)::bigint AS now_us,
      (SELECT json_agg(c ORDER BY c.priority DESC, c.due_at, c.created_seq) FROM cand c) AS candidates,
      (SELECT json_agg(counts) FROM counts) AS counts`.execute(ctx.db);
  const row = rows[0];
  if (!row) throw new Error("the claim's candidate query returned no row");
  return {
    nowUs: Number(row.now_us),
    candidates: (row.candidates ?? []).map(toCandidate),
    counts: (row.counts ?? []).map(toGroupCount),
  };
}

/** Which page of candidates to read: see {@link readCandidates}. */
interface CandidatePageRequest {
  nowUs: number | undefined;
  seen: string[];
  saturated: string[];
  size: number;
  suspects: number;
}

/** Leaves out runs whose concurrency group, or (for a first start) rate group, is already full. */
function skipSaturated(limits: readonly QueueLimit[], saturated: string[]): RawBuilder<unknown> {
  return saturated.length === 0
    ? sql`true`
    : sql`NOT ${heldByOf("concurrency", "concurrency_key", keyedQueues(limits, "concurrency"))} = ANY(${saturated}::text[])
        AND NOT (r.attempts = 0
          AND ${heldByOf("rateLimit", "rate_key", keyedQueues(limits, "rateLimit"))} = ANY(${saturated}::text[]))`;
}

/** The columns every candidate CTE selects from a run `r`. */
function candidateColumns(): RawBuilder<unknown> {
  return sql`r.id, r.status, r.priority, r.created_seq, r.recoveries, r.attempts, r.suspect, r.isolated,
    coalesce(r.queue, r.workflow) AS queue, r.concurrency_key, r.rate_key`;
}

/** The queue limits as a table `l`, one row a queue. */
function limitsTable(limits: readonly QueueLimit[]): RawBuilder<unknown> {
  const column = <T>(pick: (l: QueueLimit) => T | undefined) => limits.map((l) => pick(l) ?? null);
  return sql`SELECT * FROM unnest(${column((l) => l.queue)}::text[],
        ${column((l) => l.concurrency?.limit)}::int[], ${column((l) => l.concurrency?.perKey)}::bool[],
        ${column((l) => l.rateLimit?.limit)}::int[], ${column((l) => l.rateLimit?.periodMs)}::float8[],
        ${column((l) => l.rateLimit?.perKey)}::bool[])
        AS l(queue, c_limit, c_per_key, r_limit, r_period_ms, r_per_key)`;
}

/**
 * The CTEs `ready`, `orphans`, `loose` and `expired`: due pending or suspended runs, expired leases of
 * healthy runs, and the same two for isolated or suspect runs (capped at `page.suspects`), each locked.
 */
function dueCandidates(
  ctx: SqlContext,
  workflows: string[],
  page: CandidatePageRequest,
  skipFull: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`ready AS (
      SELECT ${candidateColumns()}, r.wake_at AS due_at FROM ${ctx.runs} r
      WHERE r.status IN ('pending', 'suspended') AND r.wake_at <= (SELECT at FROM clock)
        AND r.workflow = ANY(${workflows}::text[]) AND r.id <> ALL(${page.seen}::text[]) AND ${skipFull}
        AND NOT r.isolated
      ORDER BY r.priority DESC, r.wake_at, r.created_seq
      LIMIT ${page.size}::int
      FOR UPDATE SKIP LOCKED
    ), orphans AS (
      SELECT ${candidateColumns()}, r.lease_expires_at AS due_at FROM ${ctx.runs} r
      WHERE r.status = 'running' AND NOT r.suspect AND r.lease_expires_at <= (SELECT at FROM clock)
        AND r.workflow = ANY(${workflows}::text[]) AND r.id <> ALL(${page.seen}::text[])
      ORDER BY r.priority DESC, r.lease_expires_at, r.created_seq
      LIMIT ${page.size}::int
      FOR UPDATE SKIP LOCKED
    ), loose AS (
      SELECT ${candidateColumns()}, r.wake_at AS due_at FROM ${ctx.runs} r
      WHERE r.isolated AND r.status IN ('pending', 'suspended') AND r.wake_at <= (SELECT at FROM clock)
        AND r.workflow = ANY(${workflows}::text[]) AND r.id <> ALL(${page.seen}::text[]) AND ${skipFull}
      ORDER BY r.priority DESC, r.wake_at, r.created_seq
      LIMIT ${page.suspects}::int
      FOR UPDATE SKIP LOCKED
    ), expired AS (
      SELECT ${candidateColumns()}, r.lease_expires_at AS due_at FROM ${ctx.runs} r
      WHERE r.status = 'running' AND r.suspect AND r.lease_expires_at <= (SELECT at FROM clock)
        AND r.workflow = ANY(${workflows}::text[]) AND r.id <> ALL(${page.seen}::text[])
        AND ${recoveryDue()}
      ORDER BY r.priority DESC, r.lease_expires_at, r.created_seq
      LIMIT ${page.suspects}::int
      FOR UPDATE SKIP LOCKED
    )`;
}

/** The CTEs `groups` and `counts`: each candidate's limited groups, their running runs and recent starts. */
function groupCounts(ctx: SqlContext): RawBuilder<unknown> {
  return sql`groups AS (
      SELECT DISTINCT 'concurrency' AS kind, c.queue, CASE WHEN l.c_per_key THEN c.concurrency_key END AS key,
        l.c_limit AS max, NULL::float8 AS period_ms
      FROM cand c JOIN lim l ON l.queue = c.queue WHERE l.c_limit IS NOT NULL AND c.status <> 'running'
      UNION
      SELECT DISTINCT 'rateLimit', c.queue, CASE WHEN l.r_per_key THEN c.rate_key END, l.r_limit, l.r_period_ms
      FROM cand c JOIN lim l ON l.queue = c.queue WHERE l.r_limit IS NOT NULL AND c.attempts = 0
    ), counts AS (
      SELECT g.kind, g.queue, g.key,
        CASE WHEN g.kind = 'concurrency' THEN (SELECT count(*) FROM (
          SELECT 1 FROM ${ctx.runs} r
          WHERE r.status = 'running' AND coalesce(r.queue, r.workflow) = g.queue
            AND (g.key IS NULL OR r.concurrency_key = g.key)
          LIMIT g.max) running) END AS running,
        CASE WHEN g.kind = 'rateLimit' THEN ARRAY(
          SELECT (extract(epoch FROM r.started_at) * 1000000)::bigint FROM ${ctx.runs} r
          WHERE coalesce(r.queue, r.workflow) = g.queue
            AND r.started_at > (SELECT at FROM clock) - g.period_ms * interval '1 millisecond'
            AND (g.key IS NULL OR r.rate_key = g.key)
          ORDER BY r.started_at DESC
          LIMIT g.max) END AS starts
      FROM groups g
    )`;
}

interface CandidateRow {
  id: string;
  status: Candidate["status"];
  queue: string;
  concurrency_key: string | null;
  rate_key: string | null;
  attempts: number;
  recoveries: number;
  suspect: boolean;
  isolated: boolean;
}

interface CountRow {
  kind: "concurrency" | "rateLimit";
  queue: string;
  key: string | null;
  running: number | null;
  starts: number[] | null;
}

function toCandidate(row: CandidateRow): Candidate {
  return {
    id: row.id,
    status: row.status,
    queue: row.queue,
    concurrencyKey: row.concurrency_key,
    rateKey: row.rate_key,
    attempts: row.attempts,
    recoveries: row.recoveries,
    suspect: row.suspect,
    isolated: row.isolated,
  };
}

function toGroupCount(row: CountRow): GroupCount {
  return row.kind === "concurrency"
    ? { kind: row.kind, queue: row.queue, key: row.key, running: row.running ?? 0 }
    : { kind: row.kind, queue: row.queue, key: row.key, starts: row.starts ?? [] };
}

function keyedQueues(limits: readonly QueueLimit[], kind: "concurrency" | "rateLimit"): string[] {
  return limits.filter((l) => l[kind]?.perKey).map((l) => l.queue);
}

/** Marks the held runs and claims the others, in verdict order, at the time the candidates were judged. */
async function applyVerdicts(
  ctx: SqlContext,
  request: ClaimRequest,
  verdicts: readonly Verdict[],
  nowUs: number,
): Promise<ClaimRow[]> {
  const hold = (v: Verdict) => (v.action === "hold" ? v : undefined);
  const { rows } = await sql<ClaimRow>`
    WITH verdict AS (
      SELECT * FROM unnest(${verdicts.map((v) => v.id)}::text[], ${verdicts.map((v) => v.action)}::text[],
        ${verdicts.map((v) => hold(v)?.heldBy ?? null)}::text[],
        ${verdicts.map((v) => hold(v)?.wakeAtUs ?? null)}::bigint[])
        WITH ORDINALITY AS v(id, action, held_by, wake_us, ord)
    ), held AS (
      UPDATE ${ctx.runs} r SET held_by = v.held_by,
        wake_at = CASE WHEN v.wake_us IS NULL THEN r.wake_at ELSE ${fromMicros(sql`v.wake_us`)} END
      FROM verdict v
      WHERE r.id = v.id AND v.action = 'hold' AND (r.held_by IS DISTINCT FROM v.held_by OR v.wake_us IS NOT NULL)
      RETURNING r.id
    ), due AS (
      SELECT v.id, v.ord, r.status, r.suspect, r.isolated, r.recoveries, r.crash_mark
      FROM verdict v JOIN ${ctx.runs} r ON r.id = v.id WHERE v.action <> 'hold'
    ), ${claimDue(ctx, request, fromMicros(sql`${nowUs}::bigint`))}`.execute(ctx.db);
  return rows;
}
