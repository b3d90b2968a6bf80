// Public entry of @durable/core. Each group below is one audience; a name no other package, example or
// user needs stays inside the package.

// Workflow code: definitions, the context, retry policies and durations (deterministic)

export type {
  AnyWorkflow,
  CallOptions,
  ChildOptions,
  ConcurrencyOptions,
  DebounceOptions,
  EventPayload,
  EventSchemas,
  Logger,
  RateLimitOptions,
  StepContext,
  StepDefinition,
  StepOptions,
  WaitUntilOptions,
  Workflow,
  WorkflowContext,
  WorkflowOptions,
} from "./workflow/context.js";
export type { Duration } from "./workflow/parse-duration.js";
export { formatDuration, parseDuration } from "./workflow/parse-duration.js";
export type { ResolvedRetryPolicy, RetryPolicy } from "./workflow/retry-policy.js";
export type { Encoded } from "./workflow/serialize.js";
export { decode, encode, registerClass } from "./workflow/serialize.js";
export { validateWith } from "./workflow/validate-with.js";
export { step, workflow } from "./workflow/workflow.js";

// Running workflows: workers, the client, schedules, clocks and loggers

export type {
  ClientOptions,
  ListFilter,
  RunHandle,
  RunInfo,
  StartOptions,
} from "./runtime/client.js";
export { Client } from "./runtime/client.js";
export type { Clock } from "./runtime/clock.js";
export { systemClock, TestClock } from "./runtime/clock.js";
export { determinismGuard } from "./runtime/determinism-guard.js";
export { defaultLogger, silentLogger } from "./runtime/logger.js";
export type { AnySchedule, CatchUp, Schedule, ScheduleOptions } from "./runtime/schedule.js";
export { schedule, scheduledRunId } from "./runtime/schedule.js";
export type { SkipTimeOptions } from "./runtime/skip-time.js";
export { skipTime } from "./runtime/skip-time.js";
export type { StepAttemptInterceptor } from "./runtime/step-attempt.js";
export { uuidv7 } from "./runtime/uuidv7.js";
export { Worker } from "./runtime/worker.js";
export type { WorkerObserver } from "./runtime/worker-observer.js";
export type { WorkerOptions } from "./runtime/worker-options.js";
export type { StepAttemptInfo } from "./workflow/activation-host.js";

// Run statuses

export type { RunStatus } from "./workflow/run-status.js";
export {
  ACTIVE_STATUSES,
  isActiveStatus,
  isTerminalStatus,
  RUN_STATUSES,
  TERMINAL_STATUSES,
} from "./workflow/run-status.js";

// Errors

export type { CommandDescription, ErrorCode, ErrorData, ValidationIssue } from "./workflow/errors.js";
export {
  CancelledError,
  DuplicateSeqError,
  DurableError,
  EventConsumedError,
  LeaseLostError,
  NonDeterminismError,
  PayloadTooLargeError,
  RunNotFoundError,
  SchemaAheadError,
  SerializationError,
  StepFailedError,
  TimeoutError,
  toErrorData,
  ValidationError,
  WorkflowFailedError,
} from "./workflow/errors.js";

// The journal

export type { JournalExport, JournalExportV1 } from "./runtime/journal-export.js";
export { JOURNAL_EXPORT_FORMAT } from "./runtime/journal-export.js";
export type {
  CallEntry,
  CancelEntry,
  ChildEntry,
  DecideEntry,
  EventEntry,
  JournalEntry,
  JournalKind,
  NewJournalEntry,
  PatchEntry,
  RetryState,
  SleepEntry,
  StepRetry,
  TransactionEntry,
} from "./workflow/journal.js";
export { describeCommand } from "./workflow/journal.js";

// Storage: the Store interface, the memory store, and the rules every store shares

export type { FlowCandidate, FlowGroupCount, FlowVerdict } from "./store/flow-limits.js";
export { FlowLimits } from "./store/flow-limits.js";
export type { MemoryStoreOptions } from "./store/memory-store.js";
export { memoryStore } from "./store/memory-store.js";
export type {
  ClaimedRun,
  ClaimRequest,
  EventRecord,
  Lease,
  LeaseRenewal,
  NewRun,
  RunChange,
  RunFilter,
  RunOutcome,
  RunRecord,
  Store,
  StoreNotification,
} from "./store/store.js";
export type { FlowFields, QueueLimit } from "./workflow/flow-control.js";
export { heldBy, queueLimits } from "./workflow/flow-control.js";
export {
  CRASH_LOOP_FORMAT,
  cancelledError,
  cancelledMessage,
  crashLoopError,
} from "./workflow/run-messages.js";

// The engine, for tools that replay journals without a worker (@durable/testing, durable replay)

export type { ActivationSetup, CodeScope } from "./runtime/create-activation.js";
export { createActivation } from "./runtime/create-activation.js";
export type { GlobalHook, WatchedGlobal } from "./runtime/global-hooks.js";
export { hookGlobals } from "./runtime/global-hooks.js";
export type {
  ActivationHost,
  ActivationOutcome,
  ChildSpec,
  ChildState,
  OfferedEvent,
  TransactionRunner,
} from "./workflow/activation-host.js";
export type {
  ActivationPort,
  AttemptResult,
  LiveAttempt,
  StepAttemptRequest,
} from "./workflow/activation-port.js";
export type { CommandView } from "./workflow/pending.js";
export { ReplayEngine } from "./workflow/replay-engine.js";
