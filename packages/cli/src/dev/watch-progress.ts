import {
  type Client,
  formatDuration,
  type JournalEntry,
  type RunInfo,
  TERMINAL_STATUSES,
} from "@durable/core";
import { type Colors, formatTime, formatValue, paintStatus } from "../output/format.js";

/** What `watchProgress` takes. */
export interface ProgressOptions {
  client: Client;
  write: (line: string) => void;
  colors: Colors;
  /** Show outputs and decision values (off unless `--log-payloads`). */
  payloads: boolean;
  /** How often to look (default 250 ms). */
  intervalMs?: number;
}

interface Seen {
  /** The status last printed; undefined until the first is. */
  status: RunInfo["status"] | undefined;
  entries: Set<number>;
  done: boolean;
  /** When the run last moved, as far as seen: its latest entry (a sleep's entry is written as it wakes). */
  movedAt?: Date;
}

function later(a: Date | undefined, b: Date): Date {
  return a !== undefined && a > b ? a : b;
}

/** How long after a look began an entry written before it may still show up (a commit in flight). */
const HOLD_MS = 500;

function clock(date: Date): string {
  return date.toISOString().slice(11, 23);
}

/**
 * Prints runs' progress as they move: new runs, each journal entry as it is recorded, status changes with
 * the next wake-up time, and how each run ended. Runs that existed and had finished before it started are
 * left out.
 * @example
 * const watcher = watchProgress({ client, write: (l) => process.stdout.write(`${l}\n`), colors, payloads: false });
 * await watcher.stop();
 */
export function watchProgress(options: ProgressOptions): { stop(): Promise<void> } {
  const { client, colors: c } = options;
  const seen = new Map<string, Seen>();
  let first = true;
  const lines = timeOrderedLines(c, options.write);
  const line = lines.line;
  const flush = lines.flush;
  const entryText = (e: JournalEntry) => journalEntryText(e, c);
  const statusText = (run: RunInfo) => runStatusText(run, c, options.payloads);

  const look = async () => {
    const began = Date.now();
    const runs = (await client.list({ limit: 200 })).reverse();
    for (const run of runs) {
      let state = seen.get(run.id);
      if (!state) {
        const finished = TERMINAL_STATUSES.includes(run.status);
        state = { status: first ? run.status : undefined, entries: new Set(), done: first && finished };
        seen.set(run.id, state);
        if (state.done) continue;
        if (first) line(run, new Date(), statusText(run));
        else line(run, run.createdAt, "started");
      }
      if (state.done) continue;
      const journal = await client.journal(run.id);
      // A run starts running after the last thing seen of it (or when it was due); it suspends right
      // after its latest entry.
      const resumedAt = later(state.movedAt, run.startedAt ?? run.createdAt);
      let latest = resumedAt;
      for (const entry of journal.sort((a, b) => a.order - b.order)) {
        latest = later(latest, entry.completedAt);
        if (state.entries.has(entry.seq)) continue;
        state.entries.add(entry.seq);
        if (!first) line(run, entry.completedAt, entryText(entry));
      }
      if (state.status !== run.status) {
        state.status = run.status;
        line(run, run.finishedAt ?? (run.status === "running" ? resumedAt : latest), statusText(run));
      }
      state.movedAt = latest;
      state.done = TERMINAL_STATUSES.includes(run.status);
    }
    first = false;
    flush(began - HOLD_MS);
  };

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    // A failed look (the database busy for a moment) is simply tried again at the next tick.
    running = look()
      .catch(() => {
        lines.discard();
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 250);
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      flush(Number.POSITIVE_INFINITY);
    },
  };
}

/**
 * Lines are printed in time order: runs are looked at one by one while their entries interleave in
 * time, and an entry written just as a look began shows up only in the next one. So a line waits until
 * a look that began HOLD_MS after its time has passed (`flush` is given that time).
 */
function timeOrderedLines(c: Colors, write: (line: string) => void) {
  let pending: { at: number; text: (at: Date) => string }[] = [];
  let batch: typeof pending = [];
  let printedUpTo = 0;
  return {
    line: (run: RunInfo, at: Date, text: string) => {
      batch.push({
        at: at.getTime(),
        text: (shown) => `${c.dim(clock(shown))}  ${c.bold(run.workflow)}  ${c.dim(run.id)}  ${text}`,
      });
    },
    flush: (upTo: number) => {
      // Array.prototype.sort is stable: one run's lines keep their order when their times are equal.
      const all = [...pending, ...batch].sort((a, b) => a.at - b.at);
      batch = [];
      pending = all.filter((l) => l.at > upTo);
      for (const l of all.filter((l) => l.at <= upTo)) {
        // A status seen late (when a run began running) is shown when it was noticed, never out of order.
        printedUpTo = Math.max(printedUpTo, l.at);
        write(l.text(new Date(printedUpTo)));
      }
    },
    /** Drops the lines of a look that failed part-way (the next look sees them again). */
    discard: () => {
      batch = [];
    },
  };
}

function journalEntryText(e: JournalEntry, c: Colors): string {
  const outcome = e.outcome === "ok" ? c.green("ok") : c.red(`failed: ${e.error.message}`);
  const took = formatDuration(Math.max(0, e.completedAt.getTime() - e.startedAt.getTime()));
  return `#${e.seq} ${e.kind} ${e.name} ${outcome} ${c.dim(took)}`;
}

function runStatusText(run: RunInfo, c: Colors, payloads: boolean): string {
  const status = paintStatus(run.status, c);
  if (run.status === "suspended" || run.status === "pending") {
    return run.wakeAt ? `${status}, due ${formatTime(run.wakeAt)}` : `${status}, waiting for an event`;
  }
  if (run.status === "completed" && run.finishedAt) {
    const took = formatDuration(run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime());
    return `${status} in ${took}${payloads ? `: ${formatValue(run.output)}` : ""}`;
  }
  if (run.error) return `${status}: ${c.red(`${run.error.name}: ${run.error.message}`)}`;
  return status;
}
