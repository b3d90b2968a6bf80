import type { CommandView, EventPending, Pending, Timed } from "./pending.js";
import { startOf, timerOf } from "./pending.js";

/** The commands an activation has issued, by seq, and the questions the engine's loop asks of them. */
export class CommandTable {
  readonly #issued = new Map<number, Pending>();

  add(pending: Pending): void {
    this.#issued.set(pending.seq, pending);
  }

  get(seq: number): Pending | undefined {
    return this.#issued.get(seq);
  }

  values(): IterableIterator<Pending> {
    return this.#issued.values();
  }

  /** True while some command still waits for its result. */
  hasUnsettled(): boolean {
    for (const pending of this.#issued.values()) if (!pending.settled) return true;
    return false;
  }

  /** True while a step waits in process for its next attempt (the run must not suspend meanwhile). */
  hasHeldTimer(): boolean {
    for (const p of this.#issued.values()) {
      if (!p.settled && (p.kind === "call" || p.kind === "decide") && p.held) return true;
    }
    return false;
  }

  /** The earliest timer of an unsettled command, ms since epoch. */
  earliestTimer(): number | undefined {
    let earliest: number | undefined;
    for (const p of this.#issued.values()) {
      const dueAt = p.settled ? undefined : timerOf(p)?.dueAt;
      if (dueAt !== undefined && (earliest === undefined || dueAt < earliest)) earliest = dueAt;
    }
    return earliest;
  }

  /** Fires the unsettled timers due at `now`, earliest first (ties by seq); false when none was due. */
  fireDue(now: number): boolean {
    const due: { seq: number; at: number; pending: Pending & Timed }[] = [];
    for (const p of this.#issued.values()) {
      const timer = p.settled ? undefined : timerOf(p);
      if (timer?.dueAt !== undefined && timer.dueAt <= now)
        due.push({ seq: p.seq, at: timer.dueAt, pending: p as Pending & Timed });
    }
    if (due.length === 0) return false;
    due.sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const { pending } of due) {
      delete pending.dueAt;
      if (pending.kind === "call" || pending.kind === "decide") delete pending.held;
      pending.onDue?.();
    }
    return true;
  }

  /** Starts the live work of every unsettled command that has some waiting. */
  startDeferred(): void {
    for (const pending of this.#issued.values()) {
      const deferred = startOf(pending);
      const start = deferred?.start;
      if (deferred && start && !pending.settled) {
        delete deferred.start;
        start();
      }
    }
  }

  /** Aborts every step attempt still running (its signal fires with the error). */
  abortAttempts(error: () => unknown): void {
    for (const p of this.#issued.values()) {
      if (p.kind === "call" || p.kind === "decide") p.attempt?.abort(error());
    }
  }

  /** Settles every unsettled command with a cancellation: deferred work never starts, attempts are aborted. */
  cancelAll(error: () => unknown): void {
    for (const pending of this.#issued.values()) {
      if (pending.settled) continue;
      const cancelled = error();
      pending.settled = true;
      if (pending.kind === "call" || pending.kind === "decide") {
        delete pending.start;
        pending.attempt?.abort(cancelled);
      } else if (pending.kind === "child" || pending.kind === "transaction") {
        delete pending.start;
      }
      pending.reject(cancelled);
    }
  }

  /** Unsettled event waits, oldest first, to match events to. */
  eventWaits(): EventPending[] {
    const waits: EventPending[] = [];
    for (const p of this.#issued.values()) if (p.kind === "event" && !p.settled) waits.push(p);
    return waits.sort((a, b) => a.seq - b.seq);
  }

  /** The names of the events unsettled waits are for, each once. */
  awaitedEvents(): string[] {
    return [...new Set(this.eventWaits().map((p) => p.name))];
  }

  /** A read-only view of every issued command, by seq. */
  views(): CommandView[] {
    const views: CommandView[] = [];
    for (const p of this.#issued.values()) {
      const dueAt = timerOf(p)?.dueAt;
      views.push(
        dueAt === undefined
          ? { seq: p.seq, kind: p.kind, name: p.name, settled: p.settled }
          : { seq: p.seq, kind: p.kind, name: p.name, settled: p.settled, dueAt },
      );
    }
    return views.sort((a, b) => a.seq - b.seq);
  }
}
