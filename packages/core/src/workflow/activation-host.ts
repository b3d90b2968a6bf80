import type { Logger } from "./context.js";
import type { ErrorData } from "./errors.js";
import type { FlowFields } from "./flow-control.js";
import type { JournalEntry, NewJournalEntry, RetryState } from "./journal.js";
import type { Encoded } from "./serialize.js";
import type { AnyWorkflow } from "./workflow.js";

/** Which step attempt is about to run. */
export interface StepAttemptInfo {
  runId: string;
  workflow: string;
  kind: "call" | "decide";
  name: string;
  seq: number;
  attempt: number;
  idempotencyKey: string;
}

/** An event waiting to be consumed by a run. */
export interface OfferedEvent {
  id: string;
  name: string;
  payload: Encoded;
}

/** A child run to start (idempotent on `id`). */
export interface ChildSpec {
  id: string;
  workflow: AnyWorkflow;
  input: Encoded;
  flow: FlowFields;
}

/** A child run as its parent sees it. */
export interface ChildState {
  status: string;
  output?: Encoded;
  error?: ErrorData;
}

/** Runs `fn` in a database transaction that also appends the journal entry built from its result. */
export type TransactionRunner = <T>(
  fn: (trx: unknown) => Promise<T>,
  entry: (value: T) => NewJournalEntry,
) => Promise<{ value: T; completedAt: Date }>;

/** What one activation of a run is (its code, input and journal) and how it reaches the store. */
export interface ActivationHost {
  readonly runId: string;
  readonly workflow: AnyWorkflow;
  readonly input: unknown;
  /** The run's first start: `ctx.now()` before the first journal entry. */
  readonly startedAt: Date;
  readonly journal: readonly JournalEntry[];
  readonly retryState: RetryState;
  readonly cancelReason?: string | undefined;
  /** Events sent to the run and not consumed yet, oldest first. */
  readonly events?: readonly OfferedEvent[];
  /** The current time as the store judges it. */
  now(): number;
  /** Appends one entry (fenced by the lease), consuming an event with it; resolves to its recorded time. */
  append(entry: NewJournalEntry, options?: { consumeEvent?: string }): Promise<Date>;
  /** Creates a child run (or finds it) and says where it stands. */
  startChild?(spec: ChildSpec): Promise<ChildState>;
  /** Asks another run to cancel (children, on the parent's cancellation). */
  cancelRun?(runId: string, reason: string): Promise<void>;
  /** Present when the store can commit a journal entry with the user's own writes (`ctx.transaction`). */
  readonly transaction?: TransactionRunner;
  readonly logger: Logger;
  readonly payloadLimit?: number;
  /** Waits between step attempts up to this long are held in process; longer ones suspend (default 5 s). */
  readonly retryHoldMs?: number;
  /** How long to wait for a workflow that awaits something outside ctx before blocking it (default 5 s). */
  readonly foreignAwaitMs?: number;
}

/** How an activation ended. */
export type ActivationOutcome =
  | { type: "completed"; output: Encoded }
  | { type: "failed"; error: ErrorData }
  | { type: "cancelled"; output?: Encoded; error?: ErrorData }
  | { type: "suspended"; wakeAt: Date | null; retryState: RetryState; waitingFor: string[] }
  | { type: "blocked"; error: ErrorData }
  | { type: "continued"; input: Encoded }
  | { type: "released" };
