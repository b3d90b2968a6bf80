// Workflow definitions and the context (deterministic)
export { workflow, step } from "./workflow/workflow.js";
export type { Workflow, WorkflowOptions, StepDefinition, StepOptions } from "./workflow/workflow.js";
export type {
  WorkflowContext,
  StepContext,
  CallOptions,
  WaitUntilOptions,
  Logger,
} from "./workflow/context.js";
export type { RetryPolicy, ResolvedRetryPolicy } from "./workflow/retry-policy.js";
export { resolveRetryPolicy, retryDelayMs, isRetryable } from "./workflow/retry-policy.js";

// Durations and payloads
export { parseDuration, formatDuration } from "./workflow/parse-duration.js";
export type { Duration } from "./workflow/parse-duration.js";
export { encode, decode, registerClass, PAYLOAD_FORMAT, DEFAULT_PAYLOAD_LIMIT } from "./workflow/serialize.js";
export type { Encoded } from "./workflow/serialize.js";
export { validateWith } from "./workflow/validate-with.js";

// Errors
export {
  DurableError,
  ValidationError,
  NonDeterminismError,
  StepFailedError,
  CancelledError,
  TimeoutError,
  SerializationError,
  PayloadTooLargeError,
  SchemaAheadError,
  LeaseLostError,
  RunNotFoundError,
  WorkflowFailedError,
  toErrorData,
} from "./workflow/errors.js";
export type { ErrorCode, ErrorData, ValidationIssue, CommandDescription } from "./workflow/errors.js";

// The journal and the replay engine
export { describeCommand } from "./workflow/journal.js";
export type {
  JournalEntry,
  JournalKind,
  NewJournalEntry,
  RetryState,
  CallEntry,
  DecideEntry,
  SleepEntry,
  EventEntry,
  ChildEntry,
  PatchEntry,
  TransactionEntry,
  CancelEntry,
} from "./workflow/journal.js";
export { ReplayEngine } from "./workflow/replay-engine.js";
export type {
  ActivationHost,
  ActivationOutcome,
  CodeScope,
  StepAttemptInfo,
  StepAttemptInterceptor,
} from "./workflow/replay-engine.js";

// Storage
export { memoryStore, lastFailureOrder } from "./store/memory-store.js";
export type { MemoryStoreOptions } from "./store/memory-store.js";
export { TERMINAL_STATUSES } from "./store/store.js";
export type {
  Store,
  RunRecord,
  RunStatus,
  NewRun,
  Lease,
  ClaimedRun,
  ClaimRequest,
  RunOutcome,
  LeaseRenewal,
  RunFilter,
  StoreNotification,
  RunChange,
  EventRecord,
} from "./store/store.js";

// Runtime
export { Worker } from "./runtime/worker.js";
export type { WorkerOptions } from "./runtime/worker.js";
export { Client, toRunInfo, reviveRunError } from "./runtime/client.js";
export type { ClientOptions, RunInfo, RunHandle, StartOptions, ListFilter, JournalExport } from "./runtime/client.js";
export { systemClock, TestClock } from "./runtime/clock.js";
export type { Clock } from "./runtime/clock.js";
export { determinismGuard } from "./runtime/determinism-guard.js";
export { defaultLogger, silentLogger } from "./runtime/logger.js";
export { uuidv7 } from "./runtime/uuidv7.js";
export { skipTime } from "./runtime/skip-time.js";
export type { SkipTimeOptions } from "./runtime/skip-time.js";
