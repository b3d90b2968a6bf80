import { setTimeout as delay } from "node:timers/promises";
import {
  Client,
  formatDuration,
  type JournalEntry,
  type RunInfo,
  RunNotFoundError,
  TERMINAL_STATUSES,
} from "@durable/core";
import { CliError } from "../cli-error.js";
import { withDatabaseErrors } from "../database/database-error.js";
import { type Database, openDatabase } from "../database/open-database.js";
import { type RunWaits, runWaits } from "../output/run-waits.js";
import type { Session } from "../session.js";

/** One look at a run: its facts, its journal in seq order, and what it waits for. */
export interface RunSnapshot {
  run: RunInfo;
  journal: JournalEntry[];
  waits?: RunWaits;
}

/** What `pollRun` takes. */
export interface PollOptions {
  /** Give up after this long (ms): a `CliError` saying the run carries on. */
  timeoutMs?: number;
  /** Time between looks (default 250 ms; at least 1 s on an embedded directory nothing serves). */
  intervalMs?: number;
  /** Called with every look, in order. */
  onSnapshot(snapshot: RunSnapshot): void;
}

/** True once a run will not move without someone acting: it finished, or it is blocked. */
export function hasEnded(run: RunInfo): boolean {
  return TERMINAL_STATUSES.includes(run.status) || run.status === "blocked";
}

async function look(db: Database, runId: string): Promise<RunSnapshot> {
  const client = new Client({ store: db.store });
  const run = await client.get(runId);
  if (!run) throw new RunNotFoundError(runId);
  const journal = (await client.journal(runId)).sort((a, b) => a.seq - b.seq);
  const waits = await runWaits(client, db.store, run);
  return waits ? { run, journal, waits } : { run, journal };
}

/**
 * Looks at a run until it ends (completed, failed, cancelled or blocked), following a `continueAsNew`
 * chain to its last run, and returns the last look. On an embedded directory that no worker serves, the
 * database is opened for each look and closed between, so a worker can take it meanwhile.
 * @example
 * const last = await pollRun(session, "order:42", { onSnapshot: (s) => print(s.run.status) });
 */
export async function pollRun(session: Session, runId: string, options: PollOptions): Promise<RunSnapshot> {
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 250;
  let db: Database | undefined;
  let id = runId;
  let warned = false;
  return withDatabaseErrors(session.target, async () => {
    try {
      for (;;) {
        db ??= await openDatabase(session.target, { logger: session.logger, command: session.command });
        const snapshot = await look(db, id);
        const direct = db.direct === true;
        if (direct) {
          await db.close();
          db = undefined;
        }
        options.onSnapshot(snapshot);
        const { run } = snapshot;
        if (run.continuedAs !== undefined) {
          id = run.continuedAs;
          continue;
        }
        if (hasEnded(run)) return snapshot;
        if (direct && !warned) {
          warned = true;
          session.logger.warn(
            `no worker serves the embedded database: run ${id} moves only once one runs (durable worker or durable dev in another terminal)`,
          );
        }
        if (deadline !== undefined && Date.now() >= deadline) throw stillGoing(run, options.timeoutMs ?? 0);
        await delay(direct ? Math.max(interval, 1_000) : interval);
      }
    } finally {
      await db?.close();
    }
  });
}

function stillGoing(run: RunInfo, timeoutMs: number): CliError {
  return new CliError(
    `run ${run.id} is still ${run.status} after ${formatDuration(timeoutMs)}; it carries on (durable show ${run.id} --follow)`,
  );
}

/**
 * The error for a run that ended without completing (exit code 1), naming the run and its error.
 * @example
 * const failure = endedBadly(run); if (failure) throw failure;
 */
export function endedBadly(run: RunInfo): CliError | undefined {
  if (run.status === "completed") return undefined;
  // A cancellation's message already says the run was cancelled, and why.
  if (run.status === "cancelled" && run.error) return new CliError(run.error.message);
  const error = run.error ? `: ${run.error.name}: ${run.error.message}` : "";
  const next =
    run.status === "blocked" || run.status === "failed" ? `; fix the cause and durable retry ${run.id}` : "";
  return new CliError(`run ${run.id} ${run.status}${error}${next}`);
}
