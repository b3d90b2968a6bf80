import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { benchWorker } from "../bench-worker.js";
import { startRuns } from "../start-runs.js";
import type { StatementTally } from "../statement-counter.js";
import { waitUntil } from "../wait-until.js";
import { replayer } from "../workflows.js";

export const REPLAY_RUNS = 200;
export const REPLAYED_STEPS = 10;

/** Statements of the activation that resumes a run after its sleep. */
export interface ReplayResult {
  /** All statements per resumed run whose journal holds 10 steps before the sleep (claims included). */
  withSteps: number;
  /** The same with no step before the sleep. */
  withoutSteps: number;
  /** Statements a resumed run sends on its own behalf (not claims and polls, which serve many runs). */
  ownWithSteps: number;
  ownWithoutSteps: number;
  /** (ownWithSteps − ownWithoutSteps) / 10: what replaying one recorded step costs. */
  perReplayedStep: number;
  tally: StatementTally;
}

/** Statements that serve the worker rather than one run: batched claims, polls, heartbeats. */
const SHARED_KINDS = new Set(["claim", "next wake-up", "renew leases", "release runs", "listen"]);

function ownStatements(tally: StatementTally): number {
  let own = 0;
  for (const [kind, { count }] of tally.byKind) if (!SHARED_KINDS.has(kind)) own += count;
  return own;
}

async function resumedStatements(db: BenchDatabase, steps: number): Promise<StatementTally> {
  const worker = benchWorker(db.store, db.logger);
  await worker.start();
  const prefix = `replay-${steps}`;
  await startRuns(db.clientStore, replayer, { steps, sleep: "3s" }, REPLAY_RUNS, 64, prefix);
  await waitUntil("replay runs to suspend", 30_000, async () => {
    const { rows } = await db.observer.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM durable.runs WHERE id LIKE $1 AND status = 'suspended'",
      [`${prefix}-%`],
    );
    return rows[0]?.n === REPLAY_RUNS;
  });
  db.pool.reset();
  const before = (await statusCounts(db)).completed ?? 0;
  await waitUntil("replay runs to complete", 30_000, async () => {
    return ((await statusCounts(db)).completed ?? 0) - before === REPLAY_RUNS;
  });
  const tally = db.pool.reset();
  await worker.stop();
  return tally;
}

/**
 * Counts the statements of the activations that resume runs after a sleep, with and without 10 recorded
 * steps to replay; the difference in the runs' own statements, per step, is what a replayed step costs
 * (the design says 0: the journal arrives with the claim).
 * @example
 * const { perReplayedStep } = await measureReplay(db);
 */
export async function measureReplay(db: BenchDatabase): Promise<ReplayResult> {
  const without = await resumedStatements(db, 0);
  const withSteps = await resumedStatements(db, REPLAYED_STEPS);
  const ownWithSteps = ownStatements(withSteps) / REPLAY_RUNS;
  const ownWithoutSteps = ownStatements(without) / REPLAY_RUNS;
  return {
    withSteps: withSteps.total / REPLAY_RUNS,
    withoutSteps: without.total / REPLAY_RUNS,
    ownWithSteps,
    ownWithoutSteps,
    perReplayedStep: (ownWithSteps - ownWithoutSteps) / REPLAYED_STEPS,
    tally: withSteps,
  };
}
