// Workflow definitions and the context (deterministic)

export type {
  ClientOptions,
  JournalExport,
  ListFilter,
  RunHandle,
  RunInfo,
  StartOptions,
} from "./runtime/client.js";
export { Client, reviveRunError, toRunInfo } from "./runtime/client.js";
export type { Clock } from "./runtime/clock.js";
export { systemClock, TestClock } from "./runtime/clock.js";
export type { ActivationSetup, CodeScope } from "./runtime/create-activation.js";
export { createActivation } from "./runtime/create-activation.js";
export { determinismGuard } from "./runtime/determinism-guard.js";
export type { GlobalHook, WatchedGlobal } from "./runtime/global-hooks.js";
export { hookGlobals } from "./runtime/global-hooks.js";
export { defaultLogger, silentLogger } from "./runtime/logger.js";
export type { AnySchedule, CatchUp, Schedule, ScheduleOptions } from "./runtime/schedule.js";
export { schedule, scheduledRunId } from "./runtime/schedule.js";
export type { SkipTimeOptions } from "./runtime/skip-time.js";
export { skipTime } from "./runtime/skip-time.js";
export type { StepAttemptInterceptor } from "./runtime/step-attempt.js";
export { inActivationSpan, TRACE_TAG, traceStepAttempt, traceTags } from "./runtime/tracing.js";
export { uuidv7 } from "./runtime/uuidv7.js";
// Runtime
export { Worker } from "./runtime/worker.js";
export type { WorkerObserver } from "./runtime/worker-observer.js";
export type { WorkerOptions } from "./runtime/worker-options.js";
// Storage
export type { FlowCandidate, FlowGroupCount, FlowVerdict } from "./store/flow-limits.js";
export { FlowLimits } from "./store/flow-limits.js";
export type { MemoryStoreOptions } from "./store/memory-store.js";
export { lastFailureOrder, memoryStore } from "./store/memory-store.js";
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
export type {
  ActivationHost,
  ActivationOutcome,
  ChildSpec,
  ChildState,
  OfferedEvent,
  StepAttemptInfo,
  TransactionRunner,
} from "./workflow/activation-host.js";
export type {
  CallOptions,
  ChildOptions,
  EventPayload,
  EventSchemas,
  Logger,
  StepContext,
  WaitUntilOptions,
  WorkflowContext,
} from "./workflow/context.js";
export type { CommandDescription, ErrorCode, ErrorData, ValidationIssue } from "./workflow/errors.js";
// Errors
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
export type { FlowFields, QueueLimit } from "./workflow/flow-control.js";
export { flowFields, heldBy, queueLimits } from "./workflow/flow-control.js";
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
// The journal and the replay engine
export { describeCommand } from "./workflow/journal.js";
export type { Duration } from "./workflow/parse-duration.js";
// Durations and payloads
export { formatDuration, parseDuration } from "./workflow/parse-duration.js";
export type { CommandView } from "./workflow/pending.js";
export { ReplayEngine } from "./workflow/replay-engine.js";
export type { ResolvedRetryPolicy, RetryPolicy } from "./workflow/retry-policy.js";
export { isRetryable, resolveRetryPolicy, retryDelayMs } from "./workflow/retry-policy.js";
export {
  CRASH_LOOP_FORMAT,
  cancelledError,
  cancelledMessage,
  crashLoopError,
  crashLoopMessage,
} from "./workflow/run-messages.js";
export type { RunStatus } from "./workflow/run-status.js";
export {
  ACTIVE_STATUSES,
  isActiveStatus,
  isTerminalStatus,
  RUN_STATUSES,
  TERMINAL_STATUSES,
} from "./workflow/run-status.js";
export type { Encoded } from "./workflow/serialize.js";
export {
  DEFAULT_PAYLOAD_LIMIT,
  decode,
  encode,
  PAYLOAD_FORMAT,
  registerClass,
} from "./workflow/serialize.js";
export { validateWith } from "./workflow/validate-with.js";
export type {
  AnyWorkflow,
  ConcurrencyOptions,
  DebounceOptions,
  RateLimitOptions,
  StepDefinition,
  StepOptions,
  Workflow,
  WorkflowOptions,
} from "./workflow/workflow.js";
export { step, workflow } from "./workflow/workflow.js";
