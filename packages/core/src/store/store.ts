import type { ErrorData } from "../workflow/errors.js";
import type { QueueLimit } from "../workflow/flow-control.js";
import type { JournalEntry, NewJournalEntry, RetryState } from "../workflow/journal.js";
import type { RunStatus } from "../workflow/run-status.js";
import type { Encoded } from "../workflow/serialize.js";

export type { RunStatus } from "../workflow/run-status.js";
export { TERMINAL_STATUSES } from "../workflow/run-status.js";

/** A run as stored (payloads still encoded). */
export interface RunRecord {
  id: string;
  workflow: string;
  version: string;
  status: RunStatus;
  input: Encoded;
  output?: Encoded;
  error?: ErrorData;
  parentId?: string;
  tags: Record<string, string>;
  /** When the run is next due (pending or suspended). */
  wakeAt?: Date;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
  /** Bumped by every claim; journal writes are fenced by it. */
  leaseEpoch: number;
  /** Activations so far. */
  attempts: number;
  /**
   * Crashes charged to the run, counted apart from step retries: a crash of a worker that held it as its one
   * isolated run. Starts again when the journal grew since the last charge.
   */
  recoveries: number;
  /** True from a takeover of an expired lease (its worker crashed or stalled) until an activation of it ends. */
  suspect?: boolean;
  /**
   * A suspect taken over again (its worker died again) is isolated until an activation of it ends: a worker
   * holds at most one isolated run at a time, so a crash of that worker is charged to it alone.
   */
  isolated?: boolean;
  /** Set when cancellation was requested and not yet delivered. */
  cancelReason?: string;
  retryState: RetryState;
  /** Flow control: the run's queue, its concurrency key and priority (higher first). */
  queue?: string;
  concurrencyKey?: string;
  rateKey?: string;
  /** Debounced runs: a later start with this key replaces the input while the run has not started. */
  debounceKey?: string;
  priority: number;
  /** Set while a flow-control limit holds a pending run, e.g. `concurrency:emails/key=u1`. */
  heldBy?: string;
  /** Continue-as-new chain. */
  continuedFrom?: string;
  continuedAs?: string;
  /** Event names a suspended run waits for: `sendEvent` of one of them wakes it. */
  waitingFor: string[];
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
}

/** A run to create. Due now unless `startAt` or `delayMs` says otherwise (judged by the store's clock). */
export interface NewRun {
  id: string;
  workflow: string;
  version: string;
  input: Encoded;
  parentId?: string;
  tags?: Record<string, string>;
  startAt?: Date;
  delayMs?: number;
  queue?: string;
  concurrencyKey?: string;
  rateKey?: string;
  priority?: number;
  continuedFrom?: string;
  /**
   * Debounce: when a run of this workflow with this key has not started yet, replace its input and make
   * it due `periodMs` from now instead of creating another (`created: false`); else create the run due
   * `periodMs` from now.
   */
  debounce?: { key: string; periodMs: number };
}

/** An event sent to a run, kept until the run consumes it. `id` orders events of a run. */
export interface EventRecord {
  id: string;
  runId: string;
  name: string;
  payload: Encoded;
  createdAt: Date;
  /** The journal seq that consumed it. */
  consumedSeq?: number;
  /** The sender's idempotency key (`sendEvent(..., { id })`): one event per run and key. */
  key?: string;
}

/** The right to write a run's journal: held by one worker, fenced by `epoch`. */
export interface Lease {
  runId: string;
  owner: string;
  epoch: number;
}

/** A run a worker just claimed: the row, its whole journal (one read) and the store's clock at the claim. */
export interface ClaimedRun {
  run: RunRecord;
  journal: JournalEntry[];
  /** Events sent to the run and not consumed yet, oldest first. */
  events: EventRecord[];
  lease: Lease;
  now: Date;
}

/** What `claimRuns` takes. */
export interface ClaimRequest {
  owner: string;
  limit: number;
  leaseMs: number;
  /** Only runs of these workflows. */
  workflows: readonly string[];
  /**
   * Runs charged with more crashes than this (in a row, with no new journal entry between them) are parked
   * as `blocked` (code `crash_loop`) instead of claimed.
   */
  maxRecoveries?: number;
  /**
   * At most this many isolated runs in this claim (default 1): suspects whose lease expired (they become
   * isolated), and isolated runs released or woken. A worker asks for one only when it holds none, so that
   * a crash of the worker is charged to its one isolated run and to no other run it held. Runs taken over
   * for the first time (they become suspects) are claimed like any due run.
   */
  suspects?: number;
  /**
   * An isolated run whose lease expired is taken over this long after the expiry, doubled for each crash
   * already charged to it (at most 64 times); set by the claim that takes it. Default 0.
   */
  recoveryBackoffMs?: number;
  /**
   * Flow-control limits by queue. A due run its queue's limit holds back is not claimed: it keeps its
   * status, and `heldBy` says which limit holds it (`concurrency:<queue>[/key=<k>]`, counting `running`
   * runs; `rateLimit:<queue>[/key=<k>]`, counting first starts within the period, and then due when the
   * window frees). Limits hold across every worker claiming at once.
   */
  limits?: readonly QueueLimit[];
}

/** How an activation ended, as the store records it. One statement. */
export type RunOutcome =
  | { status: "completed"; output: Encoded }
  | { status: "failed"; error: ErrorData }
  | { status: "cancelled"; output?: Encoded; error?: ErrorData }
  | { status: "blocked"; error: ErrorData }
  | { status: "suspended"; wakeAt: Date | null; retryState: RetryState; waitingFor: string[] }
  /** Completes this run with `continuedAs = next.id` and creates `next` (with `continuedFrom`), atomically. */
  | { status: "continued"; next: NewRun };

/** What a heartbeat learns: leases lost, and runs whose cancellation was requested meanwhile. */
export interface LeaseRenewal {
  lost: string[];
  cancelled: { runId: string; reason: string }[];
}

/** Filters of `listRuns`; newest first. */
export interface RunFilter {
  status?: RunStatus | readonly RunStatus[];
  workflow?: string;
  tags?: Record<string, string>;
  parentId?: string;
  /** Only runs created strictly before this time (paging). */
  before?: Date;
  limit: number;
}

/** Announcements between processes: work became due, a run finished, a running run was cancelled. */
export type StoreNotification =
  | { type: "wake" }
  | { type: "finished"; runId: string }
  | { type: "cancel"; runId: string }
  | { type: "event"; runId: string };

/** Result of `requestCancel` and `retryRun`: the run after the change, and whether anything changed. */
export interface RunChange {
  run: RunRecord;
  changed: boolean;
}

/**
 * The one interface between the engine and persistence. Implemented by `memoryStore`, `postgresStore` and
 * `pgliteStore`, and checked by one contract suite.
 */
export interface Store {
  readonly kind: string;
  /** Applies the schema (idempotent; safe to call from many processes at once). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Creates a run, or returns the existing one with the same id (`created: false`). */
  createRun(run: NewRun): Promise<{ run: RunRecord; created: boolean }>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(filter: RunFilter): Promise<RunRecord[]>;
  readJournal(runId: string): Promise<JournalEntry[]>;

  /** Claims up to `limit` due runs in one statement, reading their journals. */
  claimRuns(request: ClaimRequest): Promise<ClaimedRun[]>;
  /** Renews every lease the owner holds, in one statement. */
  renewLeases(owner: string, leases: readonly Lease[], leaseMs: number): Promise<LeaseRenewal>;
  /**
   * Appends one journal entry, fenced by the lease, in one statement; resolves to its recorded time.
   * With `consumeEvent`, marks that event consumed by this entry's seq in the same statement.
   * Throws `LeaseLostError`.
   */
  appendJournal(lease: Lease, entry: NewJournalEntry, options?: { consumeEvent?: string }): Promise<Date>;
  /**
   * Records how an activation ended and drops the lease, in one statement. A run that suspends after a
   * cancellation was requested, after it was woken while running (an event, a child finished), or while
   * an event of a name it waits for is stored unconsumed (the activation may not have seen it), is due at
   * once. Finishing a child wakes its parent. Throws `LeaseLostError`.
   */
  finishRun(lease: Lease, outcome: RunOutcome): Promise<void>;
  /** Gives runs back so any worker can claim them at once. */
  releaseRuns(leases: readonly Lease[]): Promise<void>;

  /** Asks a run to cancel: at once when nothing is running it, else at its current await. */
  requestCancel(id: string, reason: string): Promise<RunChange | undefined>;
  /** Resumes a `blocked` or `failed` run. */
  retryRun(id: string): Promise<RunChange | undefined>;
  /** The earliest time a pending or suspended run of these workflows is due. */
  nextWakeAt(workflows: readonly string[]): Promise<Date | undefined>;
  /**
   * Keeps an event for a run (until consumed) and wakes the run if it waits for that name; a running
   * run is told through a notification, and the wake is remembered if it suspends meanwhile.
   * Returns undefined when no run has that id. With `key`, a repeat of a key the run already has stores
   * nothing, wakes nothing and returns the event stored first.
   */
  sendEvent(
    runId: string,
    name: string,
    payload: Encoded,
    options?: { key?: string },
  ): Promise<EventRecord | undefined>;
  /** Events of a run not consumed yet, oldest first. */
  readEvents(runId: string): Promise<EventRecord[]>;
  /** Wakes a run now (a child finished, ...); remembered if the run is running. */
  wakeRun(runId: string): Promise<void>;
  /** Creates `run` with a copy of the source's journal entries `seq < fromSeq`. */
  forkRun(sourceId: string, run: NewRun, fromSeq: number): Promise<RunRecord>;
  /** Deletes finished runs (completed, failed, cancelled) finished before `olderThan`, with their journals and events. */
  pruneRuns(olderThan: Date): Promise<number>;
  /**
   * Optional (Postgres stores): runs `fn` in one database transaction and appends `entry(value)` in that
   * same transaction, fenced by the lease, so `ctx.transaction` effects commit exactly once with their
   * journal row. `fn` receives the store's transaction object (a Kysely transaction for Postgres).
   */
  transaction?<T>(
    lease: Lease,
    fn: (trx: unknown) => Promise<T>,
    entry: (value: T) => NewJournalEntry,
  ): Promise<{ value: T; completedAt: Date }>;
  /**
   * Optional (metrics): how many runs of these workflows are due and not yet claimed, and since when
   * the oldest of them has been due.
   */
  dueStats?(workflows: readonly string[]): Promise<{ count: number; oldestDueAt?: Date }>;
  /** The store's current time. */
  now(): Promise<Date>;
  /** Listens for announcements; returns the function that stops listening. */
  subscribe(listener: (notification: StoreNotification) => void): () => void;
}
