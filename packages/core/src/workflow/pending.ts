import type { LiveAttempt } from "./activation-port.js";
import type { NewJournalEntry } from "./journal.js";

/** The kinds of command workflow code issues (a cancellation is delivered, never issued). */
export type CommandKind = "call" | "decide" | "sleep" | "event" | "child" | "patch" | "transaction";

interface PendingBase<K extends CommandKind> {
  readonly seq: number;
  readonly kind: K;
  readonly name: string;
  /** Its result reached the workflow (or it can no longer arrive): nothing else may settle it. */
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A timer and what to do when it is due. */
export interface Timed {
  /** When it is due, ms since epoch by the store's clock. */
  dueAt?: number;
  onDue?: () => void;
}

/** Live work not started yet: started at the next quiescent point unless the command settles first. */
export interface Startable {
  start?: () => void;
}

/** A step or a decision: live attempts, and a timer before the next attempt after a failure. */
export interface StepPending extends PendingBase<"call" | "decide">, Timed, Startable {
  /** Waiting in process for a short retry: the run does not suspend meanwhile. */
  held?: boolean;
  /** The attempt running now. */
  attempt?: LiveAttempt;
}

/** A durable timer. */
export interface SleepPending extends PendingBase<"sleep">, Timed {}

/** A wait for an event; its timer is the timeout. */
export interface EventPending extends PendingBase<"event">, Timed {
  /** An event or a timeout is queued for it: nothing else may complete it. */
  queued?: boolean;
}

/** A child run, started at the next quiescent point. */
export interface ChildPending extends PendingBase<"child">, Startable {
  childId?: string;
}

/** A `ctx.transaction`, run at the next quiescent point. */
export interface TransactionPending extends PendingBase<"transaction">, Startable {}

/** A `ctx.patched` marker: settled when issued. */
export interface PatchPending extends PendingBase<"patch"> {}

/** An issued command that has not been delivered yet (or was, and is kept to match later entries). */
export type Pending =
  | StepPending
  | SleepPending
  | EventPending
  | ChildPending
  | TransactionPending
  | PatchPending;

/** The pending record of one command kind. */
export type PendingOf<K extends CommandKind> = Extract<Pending, { kind: K }>;

/** A command just issued: the promise the workflow awaits, its record, and whether the journal has it. */
export interface Issued<P extends Pending> {
  promise: Promise<never>;
  pending: P;
  replayed: boolean;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A result waiting to be journaled and delivered. */
export interface Completion {
  entry: DistributiveOmit<NewJournalEntry, "order">;
  consumeEvent?: string;
  /** `ctx.transaction`: run in the same database transaction as the journal row. */
  transaction?: (trx: unknown) => Promise<unknown>;
}

/** A read-only view of one issued command, for tools that explain where a run stands. */
export interface CommandView {
  readonly seq: number;
  readonly kind: CommandKind;
  readonly name: string;
  /** Its result has reached the workflow. */
  readonly settled: boolean;
  /** When its timer is due (a sleep, an event's timeout, a step waiting to retry), ms since epoch. */
  readonly dueAt?: number;
}

/**
 * A new pending record and the promise its command returns to the workflow (not replayed until the engine
 * finds its entry).
 * @example
 * const issued = createPending(3, "sleep", "sleep");
 */
export function createPending<K extends CommandKind>(
  seq: number,
  kind: K,
  name: string,
): Issued<PendingOf<K>> {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<never>((res, rej) => {
    resolve = res as (value: unknown) => void;
    reject = rej;
  });
  const pending = { seq, kind, name, settled: false, resolve, reject } as PendingOf<K>;
  return { promise, pending, replayed: false };
}

/**
 * The timer of a command that has one.
 * @example
 * const timer = timerOf(pending); if (timer?.dueAt !== undefined) ...
 */
export function timerOf(pending: Pending): Timed | undefined {
  return pending.kind === "child" || pending.kind === "transaction" || pending.kind === "patch"
    ? undefined
    : pending;
}

/**
 * The deferred start of a command that runs live work.
 * @example
 * const start = startOf(pending)?.start;
 */
export function startOf(pending: Pending): Startable | undefined {
  return pending.kind === "sleep" || pending.kind === "event" || pending.kind === "patch"
    ? undefined
    : pending;
}
