import {
  type ActivationOutcome,
  type ActivationSetup,
  type CommandDescription,
  createActivation,
  type JournalEntry,
  type RetryState,
  silentLogger,
  type Workflow,
} from "@durable/core";
import { type IssuedCommand, issuedCommands } from "./pending-commands.js";

/** What an offline replay needs: the run's code, input and recorded journal; no store. */
export interface OfflineReplayOptions {
  // biome-ignore lint/suspicious/noExplicitAny: replays a workflow of any input and output
  workflow: Workflow<any, any>;
  runId: string;
  input: unknown;
  entries: readonly JournalEntry[];
  /** The run's first start (`ctx.now()` before the first entry); default: the earliest entry's start. */
  startedAt?: Date;
  /** The time the replay happens at; default: the latest entry's completion. */
  now?: Date;
  retryState?: RetryState;
  cancelReason?: string;
}

/** How an offline replay ended: as an activation would, or `live` when the code went past the journal. */
export type OfflineOutcome = ActivationOutcome | { type: "live" };

/** The result of replaying a journal without a store. */
export interface OfflineReplay {
  outcome: OfflineOutcome;
  /** Every command the code issued, by seq (undefined if core's engine does not expose them). */
  issued: IssuedCommand[] | undefined;
  /** Commands past the recorded journal that the code started (steps, due timers, patch markers). */
  live: CommandDescription[];
}

class PastTheJournal extends Error {}

/**
 * Replays a recorded journal with today's code through core's `ReplayEngine`, writing nothing and running
 * no step: recorded results are delivered as a worker would; the first command past the journal that
 * would do work ends the replay (`live`), and a run that only waits ends `suspended`.
 * @example
 * const { outcome } = await replayOffline({ workflow: onboarding, runId, input, entries });
 */
export async function replayOffline(options: OfflineReplayOptions): Promise<OfflineReplay> {
  const { entries } = options;
  const live = new Map<number, CommandDescription>();
  const note = (command: CommandDescription) => {
    if (!live.has(command.seq)) live.set(command.seq, command);
  };
  const host: ActivationSetup = {
    runId: options.runId,
    workflow: options.workflow,
    input: options.input,
    startedAt: options.startedAt ?? earliestStart(entries) ?? options.now ?? new Date(0),
    journal: entries,
    retryState: options.retryState ?? {},
    cancelReason: options.cancelReason,
    now: () => (options.now ?? latestCompletion(entries) ?? new Date(0)).getTime(),
    append: async (entry) => {
      note({ seq: entry.seq, kind: entry.kind, name: entry.name });
      throw new PastTheJournal();
    },
    setTimer: () => () => {},
    // Offline, a body awaiting something outside ctx is reported at once rather than waited for.
    foreignAwaitMs: 50,
    logger: silentLogger,
    // A child past the journal is reported, not started: the parent then waits on it.
    startChild: async (spec) => {
      const open = engine.openCommands().filter((c) => c.kind === "child");
      const seq = open.find((c) => !live.has(c.seq))?.seq ?? -1;
      note({ seq, kind: "child", name: spec.workflow.name });
      return { status: "running" };
    },
    interceptStepAttempt: async (info) => {
      note({ seq: info.seq, kind: info.kind, name: info.name });
      return undefined;
    },
  };
  const engine = createActivation(host);
  let outcome: OfflineOutcome;
  try {
    outcome = await engine.run();
  } catch (error) {
    if (!(error instanceof PastTheJournal)) throw error;
    outcome = { type: "live" };
  }
  return { outcome, issued: issuedCommands(engine), live: [...live.values()].sort((a, b) => a.seq - b.seq) };
}

function earliestStart(entries: readonly JournalEntry[]): Date | undefined {
  let earliest: Date | undefined;
  for (const e of entries) if (!earliest || e.startedAt < earliest) earliest = e.startedAt;
  return earliest;
}

function latestCompletion(entries: readonly JournalEntry[]): Date | undefined {
  let latest: Date | undefined;
  for (const e of entries) if (!latest || e.completedAt > latest) latest = e.completedAt;
  return latest;
}
