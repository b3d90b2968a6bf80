import type pg from "pg";
import { executionCounts, executions } from "../support/execution-checks.js";
import { ORDER_WORKFLOW, POISON_WORKFLOW } from "./chaos-workflows.js";
import type { FaultRecord } from "./faults.js";
import { type ReExecutionCause, reExecutions } from "./re-executions.js";
import type { ClaimReport, WorkerExit } from "./worker-fleet.js";

/** What the driver saw, for the figures the database cannot tell. */
export interface Observed {
  leaseMs: number;
  faults: FaultRecord[];
  claims: ClaimReport[];
  exits: WorkerExit[];
  /** Exit codes of the final SIGTERM, one a process still running at the end. */
  stopCodes: (number | null)[];
  /** Replacement processes that exited before they were ready (for instance while the cluster restarted). */
  startFailures: string[];
  /** `loadAverage`: the machine's mean 1-minute load while the phase ran (the suite shares the machine). */
  phases: { name: string; prefix: string; startedAt: number; runs: number; loadAverage: number }[];
}

/** A run that is not where its workflow says it ends. */
export interface StrandedRun {
  id: string;
  workflow: string;
  status: string;
  waitingFor: string[];
  wakeAt: string | null;
  wakePending: boolean;
  leaseOwner: string | null;
  unconsumedEvents: string[];
  error: string | null;
  /** The claim of the run closest in time to its first unconsumed event: event time minus claim time. */
  eventFromClaimMs: number | null;
}

const STRANDED_SQL = `
  SELECT r.id, r.workflow, r.status, r.waiting_for AS "waitingFor", r.wake_at AS "wakeAt",
    r.wake_pending AS "wakePending", r.lease_owner AS "leaseOwner", r.error->>'code' AS error,
    ARRAY(SELECT e.name || ' sent ' || to_char(e.created_at, 'HH24:MI:SS.MS') FROM durable.events e
      WHERE e.run_id = r.id AND e.consumed_seq IS NULL ORDER BY e.id) AS "unconsumedEvents",
    (SELECT extract(epoch FROM min(e.created_at)) * 1000 FROM durable.events e
      WHERE e.run_id = r.id AND e.consumed_seq IS NULL) AS "eventAt"
  FROM durable.runs r WHERE r.workflow <> '${POISON_WORKFLOW}' AND r.status <> 'completed' ORDER BY r.id`;

/** G1: healthy runs that did not complete; all of them, with their state. */
async function stranded(db: pg.Client, claims: readonly ClaimReport[]) {
  const { rows } = await db.query<Omit<StrandedRun, "eventFromClaimMs"> & { eventAt: number | null }>(
    STRANDED_SQL,
  );
  const list: StrandedRun[] = rows.map(({ eventAt, ...r }) => ({
    ...r,
    wakeAt: r.wakeAt === null ? null : new Date(r.wakeAt).toISOString(),
    eventFromClaimMs: eventAt === null ? null : nearest(claims, r.id, Number(eventAt)),
  }));
  const { rows: byStatus } = await db.query<{ workflow: string; status: string; n: number }>(
    "SELECT workflow, status, count(*)::int AS n FROM durable.runs GROUP BY 1, 2 ORDER BY 1, 2",
  );
  return {
    runs: byStatus.reduce((sum, r) => sum + r.n, 0),
    byStatus: byStatus.map((r) => `${r.workflow}/${r.status}=${r.n}`),
    notTerminal: list.filter((r) => !["failed", "cancelled", "blocked"].includes(r.status)).length,
    endedBadly: list.filter((r) => ["failed", "cancelled"].includes(r.status)).length,
    list: list.filter((r) => r.status !== "blocked"),
  };
}

/** The claim report of a run closest to `at`: `at` minus its time (claims report just after they commit). */
function nearest(claims: readonly ClaimReport[], runId: string, at: number): number | null {
  let best: number | null = null;
  for (const claim of claims) {
    if (claim.runId !== runId) continue;
    const delta = at - claim.at;
    if (best === null || Math.abs(delta) < Math.abs(best)) best = delta;
  }
  return best === null ? null : Math.round(best);
}

/** G3: every journaled step presented one key, once recorded. */
async function keyedEffects(db: pg.Client) {
  const { rows } = await db.query<{ keyed: number; missing: number; twice: number; absorbed: number }>(`
    SELECT
      (SELECT count(*)::int FROM durable.journal WHERE kind = 'call' AND name <> 'poison') AS keyed,
      (SELECT count(*)::int FROM durable.journal j WHERE j.kind = 'call' AND j.name <> 'poison'
        AND NOT EXISTS (SELECT 1 FROM keyed_effects k WHERE k.key = j.result->'json'->>'key'
          AND k.run_id = j.run_id AND k.step = j.name)) AS missing,
      (SELECT count(*)::int FROM (SELECT 1 FROM keyed_effects GROUP BY run_id, step HAVING count(*) > 1) d)
        AS twice,
      (SELECT coalesce(sum(deliveries - 1), 0)::int FROM keyed_effects) AS absorbed`);
  return rows[0] as { keyed: number; missing: number; twice: number; absorbed: number };
}

/** G6: no sleep ended before its time, and no step after a sleep started before it. */
async function timers(db: pg.Client) {
  const { rows } = await db.query<{
    sleeps: number;
    early: number;
    stepEarly: number;
    minLateMs: number | null;
  }>(`
    SELECT count(*)::int AS sleeps,
      count(*) FILTER (WHERE s.completed_at < s.until)::int AS early,
      count(*) FILTER (WHERE s.next_step < s.until)::int AS "stepEarly",
      min(extract(epoch FROM s.completed_at - s.until) * 1000)::float8 AS "minLateMs"
    FROM (SELECT j.completed_at, (j.result->'json'->>'until')::timestamptz AS until,
        (SELECT min(e.started_at) FROM step_executions e WHERE e.run_id = j.run_id AND e.step = 'step-2')
          AS next_step
      FROM durable.journal j WHERE j.kind = 'sleep') s`);
  return rows[0] as { sleeps: number; early: number; stepEarly: number; minLateMs: number | null };
}

/**
 * G5: journal rows a paused worker wrote under a lease it had claimed before its SIGSTOP, once another worker
 * had claimed the run or once that lease had surely ended (the stop time plus the lease: a renewal needs an
 * unexpired lease).
 */
async function staleWrites(db: pg.Client, observed: Observed) {
  let stale = 0;
  const examples: string[] = [];
  const stops = observed.faults.filter((f) => f.kind === "stop" && f.pid !== undefined);
  for (const stop of stops) {
    const { rows } = await db.query<{ runId: string; seq: number; completedAt: Date }>(
      `SELECT j.run_id AS "runId", j.seq, j.completed_at AS "completedAt" FROM durable.journal j
       JOIN step_executions e ON e.id = (j.result->'json'->>'execution')::bigint
       WHERE j.kind = 'call' AND e.pid = $1 AND e.ended_at > to_timestamp($2 / 1000.0)`,
      [stop.pid, stop.at],
    );
    for (const row of rows) {
      const written = row.completedAt.getTime();
      const claimsOf = observed.claims.filter((c) => c.runId === row.runId && c.at < written);
      const own = claimsOf.filter((c) => c.pid === stop.pid).sort((a, b) => b.at - a.at)[0];
      if (own === undefined || own.at > stop.at) continue;
      const takenOver = claimsOf.some((c) => c.pid !== stop.pid && c.at > stop.at);
      if (takenOver || written > stop.at + observed.leaseMs) {
        stale++;
        examples.push(`${row.runId} seq ${row.seq} by pid ${stop.pid} at ${new Date(written).toISOString()}`);
      }
    }
  }
  return { pausedWorkers: stops.length, stale, examples: examples.slice(0, 20) };
}

/** G7: for each kill, how long until another worker claimed each run the killed one held. */
async function recoveries(db: pg.Client, observed: Observed) {
  const kills = observed.faults.filter((f) => f.kind === "kill");
  const result = [];
  for (const kill of kills) {
    const held = kill.held ?? [];
    const takeovers: number[] = [];
    const unrecovered: string[] = [];
    for (const runId of held) {
      const claim = observed.claims
        .filter((c) => c.runId === runId && c.pid !== kill.pid && c.at > kill.at)
        .sort((a, b) => a.at - b.at)[0];
      if (claim) takeovers.push(claim.at - kill.at);
      else unrecovered.push(runId);
    }
    // A run finished in the instant between the look at its holder and the kill needs no takeover.
    const { rows } = await db.query<{ id: string }>(
      "SELECT id FROM durable.runs WHERE id = ANY($1) AND finished_at <= to_timestamp($2 / 1000.0)",
      [unrecovered, kill.at + 50],
    );
    const lost = unrecovered.filter((id) => !rows.some((r) => r.id === id));
    takeovers.sort((a, b) => a - b);
    result.push({
      at: new Date(kill.at).toISOString(),
      pid: kill.pid,
      held: held.length,
      medianMs: takeovers[Math.floor(takeovers.length / 2)] ?? null,
      maxMs: takeovers[takeovers.length - 1] ?? null,
      unrecovered: lost.length,
    });
  }
  return result;
}

/** G9: the poison runs, the healthy runs parked beside them, and healthy throughput per phase. */
async function poison(db: pg.Client, observed: Observed) {
  const { rows: poisoned } = await db.query<{
    id: string;
    status: string;
    code: string | null;
    recoveries: number;
  }>(
    `SELECT id, status, error->>'code' AS code, recoveries FROM durable.runs WHERE workflow = $1 ORDER BY id`,
    [POISON_WORKFLOW],
  );
  const { rows: collateral } = await db.query<{ id: string; code: string | null }>(
    `SELECT id, error->>'code' AS code FROM durable.runs WHERE workflow <> $1 AND status = 'blocked' ORDER BY id`,
    [POISON_WORKFLOW],
  );
  const phases = [];
  for (const phase of observed.phases) {
    const { rows } = await db.query<{ t: number }>(
      `SELECT extract(epoch FROM finished_at) * 1000 AS t FROM durable.runs
       WHERE workflow = $1 AND id LIKE $2 AND status = 'completed' ORDER BY finished_at`,
      [ORDER_WORKFLOW, `${phase.prefix}%`],
    );
    const at95 = Math.ceil(phase.runs * 0.95);
    const t95 = rows[at95 - 1]?.t;
    const seconds = t95 === undefined ? null : (Number(t95) - phase.startedAt) / 1000;
    phases.push({
      name: phase.name,
      runs: phase.runs,
      completed: rows.length,
      secondsTo95: seconds,
      loadAverage: phase.loadAverage,
      perSecond: seconds === null ? 0 : at95 / seconds,
    });
  }
  const [healthy, withPoison] = phases;
  const drop =
    healthy && withPoison && healthy.perSecond > 0 ? 1 - withPoison.perSecond / healthy.perSecond : null;
  return {
    poisonRuns: poisoned.map(
      (p) => `${p.id}: ${p.status}${p.code ? ` (${p.code})` : ""}, recoveries ${p.recoveries}`,
    ),
    parked: poisoned.filter((p) => p.status === "blocked" && p.code === "crash_loop").length,
    poisonCount: poisoned.length,
    collateral: collateral.map((c) => `${c.id} (${c.code})`),
    phases,
    throughputDrop: drop,
  };
}

function exitsNotCaused(observed: Observed, poisonPids: Set<number>) {
  const unexpected = observed.exits.filter((e) => e.started && !e.byTest && !poisonPids.has(e.pid));
  return {
    exits: observed.exits.length,
    byTest: observed.exits.filter((e) => e.byTest).length,
    byPoison: observed.exits.filter((e) => poisonPids.has(e.pid)).length,
    unexpected: unexpected.map((e) => `pid ${e.pid}: code ${e.code} signal ${e.signal}`),
    uncleanStops: observed.stopCodes.filter((c) => c !== 0).length,
    startFailures: observed.startFailures.slice(0, 10),
  };
}

/**
 * G1–G9 over the database (after the run has settled) and what the driver observed.
 * @example
 * const figures = await chaosFigures(db, observed);
 */
export async function chaosFigures(db: pg.Client, observed: Observed) {
  const { rows: poisonRows } = await db.query<{ pid: number; at: Date }>(
    "SELECT pid, started_at AS at FROM step_executions WHERE step = 'poison'",
  );
  const poisonPids = new Set(poisonRows.map((r) => r.pid));
  const faults: FaultRecord[] = [
    ...observed.faults,
    ...poisonRows.map((r) => ({
      kind: "poison" as const,
      phase: "poison",
      at: r.at.getTime(),
      end: r.at.getTime(),
      pid: r.pid,
    })),
  ];
  const counts = await executionCounts(db);
  const again = reExecutions(await executions(db), faults, observed.leaseMs);
  const byCause: Partial<Record<ReExecutionCause, number>> = {};
  for (const r of again) byCause[r.cause] = (byCause[r.cause] ?? 0) + 1;
  return {
    G1: await stranded(db, observed.claims),
    G2: {
      journalRows:
        (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM durable.journal")).rows[0]?.n ?? 0,
      duplicates: counts.doubleJournaled,
      unproven: counts.unproven,
    },
    G3: await keyedEffects(db),
    G4: {
      steps: counts.steps,
      executions: counts.executions,
      reExecuted: again.length,
      byCause,
      unexplained: again.filter((r) => r.cause === "unexplained").slice(0, 20),
    },
    G5: await staleWrites(db, observed),
    G6: await timers(db),
    G7: await recoveries(db, observed),
    G8: exitsNotCaused(observed, poisonPids),
    G9: await poison(db, observed),
    faults: countBy(observed.faults.map((f) => f.kind)),
  };
}

export type ChaosFigures = Awaited<ReturnType<typeof chaosFigures>>;

function countBy(items: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}
