import type pg from "pg";

/** What every process test measures over the journal and `step_executions`. */
export interface ExecutionCounts {
  runs: number;
  completed: number;
  /** Journaled step results (`call` entries). */
  steps: number;
  executions: number;
  /** Executions beyond the first of each (run, step). */
  duplicates: number;
  /** Pairs of executions of one (run, step) that overlap in time. */
  overlaps: number;
  /** Journaled steps whose result names no finished execution of that very step. */
  unproven: number;
  /** `(run_id, seq)` pairs with more than one journal row. */
  doubleJournaled: number;
}

/**
 * Counts over the whole database; a running execution (no `ended_at`) overlaps everything after its start.
 * @example
 * const counts = await executionCounts(admin); // { runs: 300, steps: 1500, duplicates: 0, ... }
 */
export async function executionCounts(db: pg.Client): Promise<ExecutionCounts> {
  const { rows } = await db.query<ExecutionCounts>(`
    SELECT
      (SELECT count(*)::int FROM durable.runs) AS runs,
      (SELECT count(*)::int FROM durable.runs WHERE status = 'completed') AS completed,
      (SELECT count(*)::int FROM durable.journal WHERE kind = 'call') AS steps,
      (SELECT count(*)::int FROM step_executions) AS executions,
      (SELECT coalesce(sum(n - 1), 0)::int FROM
        (SELECT count(*) AS n FROM step_executions GROUP BY run_id, step) g) AS duplicates,
      (SELECT count(*)::int FROM step_executions a JOIN step_executions b
        ON a.run_id = b.run_id AND a.step = b.step AND a.id < b.id
        AND a.started_at < coalesce(b.ended_at, 'infinity') AND b.started_at < coalesce(a.ended_at, 'infinity'))
        AS overlaps,
      (SELECT count(*)::int FROM durable.journal j WHERE j.kind = 'call' AND NOT EXISTS (
        SELECT 1 FROM step_executions e WHERE e.id = (j.result->'json'->>'execution')::bigint
          AND e.run_id = j.run_id AND e.step = j.name AND e.seq = j.seq AND e.ended_at IS NOT NULL
          AND e.pid = (j.result->'json'->>'pid')::int)) AS unproven,
      (SELECT count(*)::int FROM (SELECT 1 FROM durable.journal GROUP BY run_id, seq HAVING count(*) > 1) d)
        AS "doubleJournaled"`);
  return rows[0] as ExecutionCounts;
}

/** One step execution, with whether the journal holds its result. */
export interface ExecutionRow {
  id: number;
  runId: string;
  step: string;
  pid: number;
  startedAt: Date;
  endedAt: Date | null;
  journaled: boolean;
}

/**
 * Every execution, oldest first, marked with whether the journal names it as the step's result.
 * @example
 * const byKilled = (await executions(admin)).filter((e) => e.pid === victim.pid);
 */
export async function executions(db: pg.Client): Promise<ExecutionRow[]> {
  const { rows } = await db.query<ExecutionRow>(`
    SELECT e.id::int AS id, e.run_id AS "runId", e.step, e.pid, e.started_at AS "startedAt",
      e.ended_at AS "endedAt", EXISTS (SELECT 1 FROM durable.journal j WHERE j.run_id = e.run_id
        AND j.seq = e.seq AND (j.result->'json'->>'execution')::bigint = e.id) AS journaled
    FROM step_executions e ORDER BY e.id`);
  return rows;
}

/** Groups rows by a key. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
