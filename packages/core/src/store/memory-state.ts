import type { Clock } from "../runtime/clock.js";
import type { JournalEntry } from "../workflow/journal.js";
import type { EventRecord, RunRecord } from "./store.js";

/** What the memory store keeps, shared by the modules that each handle one concern of it. */
export interface MemoryState {
  readonly clock: Clock;
  readonly runs: Map<string, RunRecord>;
  readonly journals: Map<string, JournalEntry[]>;
  readonly events: Map<string, EventRecord[]>;
  /** Runs poked while running: they are due again as soon as they suspend. */
  readonly wakePending: Set<string>;
  /** The journal's length at a run's last charged crash (see `RunRecord.recoveries`). */
  readonly crashMarks: Map<string, number>;
  /** How long after its lease expires a running suspect may be taken over (its backoff). */
  readonly recoveryDelays: Map<string, number>;
}

/**
 * A deep copy: the memory store hands out and takes in copies, never its own records.
 * @example
 * return clone(run);
 */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The events sent to a run and not consumed yet, oldest first (copies).
 * @example
 * unconsumed(state, "order:42"); // [{ id: "1", name: "approved", payload, ... }]
 */
export function unconsumed(state: MemoryState, runId: string): EventRecord[] {
  return (state.events.get(runId) ?? []).filter((e) => e.consumedSeq === undefined).map(clone);
}

/**
 * The delivery order of the last failed step, call or child in a journal: where `retry` of a failed run
 * cuts the journal so that step runs again with a fresh retry budget.
 * @example
 * lastFailureOrder(journal); // 4: entries delivered from order 4 on are dropped
 */
export function lastFailureOrder(journal: readonly JournalEntry[]): number | undefined {
  let cut: number | undefined;
  for (const entry of journal) {
    if (entry.outcome === "error" && (cut === undefined || entry.order > cut)) cut = entry.order;
  }
  return cut;
}
