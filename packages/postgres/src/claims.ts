import type { ClaimedRun, ClaimRequest } from "@durable/core";
import { sql } from "kysely";
import { type ClaimRow, claimDue, recoveryDue, toClaimedRuns } from "./claim-due.js";
import type { SqlContext } from "./database.js";
import { claimLimited } from "./limited-claim.js";

/**
 * Claims up to `limit` due runs of the given workflows, judged by the database's clock: pending and
 * suspended runs whose `wake_at` passed, and running runs whose lease expired (a takeover: see `claimDue`);
 * of isolated runs (a suspect taken over again, or released) at most `suspects` (default 1). Higher priority
 * first, then the earliest due. Each claimed run comes with its journal and unconsumed events. Without
 * `limits` this is one statement; with them see `claimLimited`.
 */
export async function claimRuns(ctx: SqlContext, request: ClaimRequest): Promise<ClaimedRun[]> {
  if (request.limit <= 0 || request.workflows.length === 0) return [];
  if (request.limits && request.limits.length > 0) return claimLimited(ctx, request);
  const workflows = [...request.workflows];
  const suspects = Math.min(request.limit, request.suspects ?? 1);
  const columns = sql`id, status, priority, created_seq, suspect, isolated, recoveries, crash_mark`;
  // Each kind of candidate is read by its own index in claim order, so a long backlog costs nothing extra;
  // a candidate locked but beyond the limit is simply not updated (its lock ends with the statement).
  const { rows } = await sql<ClaimRow>`
    WITH ready AS (
      SELECT ${columns}, wake_at AS due_at FROM ${ctx.runs}
      WHERE status IN ('pending', 'suspended') AND wake_at <= now() AND workflow = ANY(${workflows}::text[])
        AND NOT isolated
      ORDER BY priority DESC, wake_at, created_seq
      LIMIT ${request.limit}::int
      FOR UPDATE SKIP LOCKED
    ), orphans AS (
      SELECT ${columns}, lease_expires_at AS due_at FROM ${ctx.runs}
      WHERE status = 'running' AND lease_expires_at <= now() AND workflow = ANY(${workflows}::text[])
        AND NOT suspect
      ORDER BY priority DESC, lease_expires_at, created_seq
      LIMIT ${request.limit}::int
      FOR UPDATE SKIP LOCKED
    ), loose AS (
      SELECT ${columns}, wake_at AS due_at FROM ${ctx.runs}
      WHERE isolated AND status IN ('pending', 'suspended') AND wake_at <= now()
        AND workflow = ANY(${workflows}::text[])
      ORDER BY priority DESC, wake_at, created_seq
      LIMIT ${suspects}::int
      FOR UPDATE SKIP LOCKED
    ), expired AS (
      SELECT ${columns}, lease_expires_at AS due_at FROM ${ctx.runs}
      WHERE status = 'running' AND suspect AND lease_expires_at <= now() AND workflow = ANY(${workflows}::text[])
        AND ${recoveryDue()}
      ORDER BY priority DESC, lease_expires_at, created_seq
      LIMIT ${suspects}::int
      FOR UPDATE SKIP LOCKED
    ), risky AS (
      SELECT * FROM (SELECT * FROM loose UNION ALL SELECT * FROM expired) s
      ORDER BY priority DESC, due_at, created_seq
      LIMIT ${suspects}::int
    ), due AS (
      SELECT id, status, suspect, isolated, recoveries, crash_mark,
        row_number() OVER (ORDER BY priority DESC, due_at, created_seq) AS ord
      FROM (SELECT * FROM ready UNION ALL SELECT * FROM orphans UNION ALL SELECT * FROM risky) candidates
      ORDER BY priority DESC, due_at, created_seq
      LIMIT ${request.limit}::int
    ), ${claimDue(ctx, request, sql`now()`)}`.execute(ctx.db);
  return toClaimedRuns(rows, request.owner);
}
