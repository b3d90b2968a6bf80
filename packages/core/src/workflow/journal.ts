import type { ErrorData } from "./errors.js";
import type { Encoded } from "./serialize.js";

/** What a journal entry records. `cancel` marks where a cancellation was delivered. */
export type JournalKind =
  | "call"
  | "sleep"
  | "decide"
  | "event"
  | "child"
  | "patch"
  | "transaction"
  | "cancel";

interface EntryCommon<K extends JournalKind> {
  kind: K;
  runId: string;
  /** The command's sequence number: the order in which the code issued it, from 0. */
  seq: number;
  name: string;
  /** Delivery order: the order in which results reached the workflow, from 0. */
  order: number;
  attempts: number;
  startedAt: Date;
  /** When the result was recorded, by the store's clock; `ctx.now()` after this entry. */
  completedAt: Date;
}

type Outcome = { outcome: "ok"; result: Encoded } | { outcome: "error"; error: ErrorData };

/** A step's result (or its final error after retries). */
export type CallEntry = EntryCommon<"call"> & Outcome;
/** A decision's value. */
export type DecideEntry = EntryCommon<"decide"> & Outcome;
/** A `ctx.transaction` result, committed in the same transaction as the user's writes. */
export type TransactionEntry = EntryCommon<"transaction"> & Outcome;
/** A fired timer; `result` holds `{ until }`, the time it was due. */
export type SleepEntry = EntryCommon<"sleep"> & { outcome: "ok"; result: Encoded };
/** A received event (`result` is the payload), or its timeout (`result` is undefined). */
export type EventEntry = EntryCommon<"event"> & Outcome;
/** A child run's result or error. */
export type ChildEntry = EntryCommon<"child"> & Outcome;
/** A `ctx.patched(id)` marker: this run reached the patch under the new code. */
export type PatchEntry = EntryCommon<"patch"> & { outcome: "ok"; result: Encoded };
/** A cancellation delivered to the workflow; `result` holds `{ reason }`. */
export type CancelEntry = EntryCommon<"cancel"> & { outcome: "ok"; result: Encoded };

/** One row of a run's journal: a discriminated union on `kind`. */
export type JournalEntry =
  | CallEntry
  | DecideEntry
  | TransactionEntry
  | SleepEntry
  | EventEntry
  | ChildEntry
  | PatchEntry
  | CancelEntry;

/** An entry as the engine writes it: the store adds `completedAt` (its clock) and `runId`. */
export type NewJournalEntry = JournalEntry extends infer E
  ? E extends JournalEntry
    ? Omit<E, "completedAt" | "runId">
    : never
  : never;

/** A step waiting durably before its next attempt. */
export interface StepRetry {
  attempts: number;
  nextAt: string;
  lastError: ErrorData;
}

/**
 * What a suspended run carries to its next activation (one jsonb value, `{}` when empty): steps waiting
 * durably between attempts, by seq, and how many commands the code had issued when it suspended (code
 * before that point has run already, so its logs stay silent).
 */
export interface RetryState {
  steps?: Record<string, StepRetry>;
  issued?: number;
}

/**
 * Describes an entry for messages: `call("charge")`.
 * @example
 * describeCommand({ kind: "sleep", name: "sleep" }); // 'sleep("sleep")'
 */
export function describeCommand(command: { kind: string; name: string }): string {
  return `${command.kind}("${command.name}")`;
}
