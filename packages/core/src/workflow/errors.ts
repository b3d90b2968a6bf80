/** The stable string codes every durable error carries. */
export type ErrorCode =
  | "validation"
  | "non_determinism"
  | "step_failed"
  | "cancelled"
  | "timeout"
  | "unserializable"
  | "payload_too_large"
  | "schema_ahead"
  | "lease_lost"
  | "duplicate_seq"
  | "event_consumed"
  | "crash_loop"
  | "run_not_found"
  | "workflow_not_found"
  | "workflow_failed";

/** An error as it crosses the journal: plain data, never class identity. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/**
 * The base of every error durable throws: a readable message and a stable `code`.
 * @example
 * try { await handle.result(); } catch (e) { if (e instanceof DurableError) console.log(e.code); }
 */
export class DurableError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One problem found in user input: where (`path`) and what. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Bad input, caught before anything is written: names the field and what is wrong with it.
 * @example
 * await client.start(onboarding, { userId: 7 }); // ValidationError: input.userId: expected string, received number
 */
export class ValidationError extends DurableError {
  readonly issues: ValidationIssue[];
  constructor(message: string, issues: ValidationIssue[] = []) {
    super("validation", message);
    this.issues = issues;
  }
}

/** A description of a journal command, as recorded or as issued by code. */
export interface CommandDescription {
  seq: number;
  kind: string;
  name: string;
}

/**
 * The code no longer replays the run's journal. The run is parked as `blocked`; deploy code that
 * replays it and `retry` the run, or `fork` it from an earlier entry.
 * @example
 * if (error instanceof NonDeterminismError) console.log(error.recorded, error.issued);
 */
export class NonDeterminismError extends DurableError {
  readonly runId: string;
  readonly recorded: CommandDescription | undefined;
  readonly issued: CommandDescription | undefined;
  constructor(
    runId: string,
    detail: { recorded?: CommandDescription; issued?: CommandDescription; message: string },
  ) {
    super("non_determinism", detail.message);
    this.runId = runId;
    this.recorded = detail.recorded;
    this.issued = detail.issued;
  }
}

/**
 * A step failed after its last attempt. `cause` is the last attempt's error as data.
 * @example
 * try { await ctx.call("charge", charge); } catch (e) { if (e instanceof StepFailedError) await ctx.call("release", release); }
 */
export class StepFailedError extends DurableError {
  readonly stepName: string;
  readonly seq: number;
  readonly attempts: number;
  override readonly cause: ErrorData;
  constructor(stepName: string, seq: number, attempts: number, cause: ErrorData) {
    super(
      "step_failed",
      `step "${stepName}" (seq ${seq}) failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${cause.name}: ${cause.message}`,
    );
    this.stepName = stepName;
    this.seq = seq;
    this.attempts = attempts;
    this.cause = cause;
  }
}

/**
 * The run was cancelled (`client.cancel`). A workflow may catch it, compensate and return; the run still
 * ends `cancelled`.
 * @example
 * try { await ctx.sleep("3d"); } catch (e) { if (e instanceof CancelledError) await ctx.call("refund", refund); throw e; }
 */
export class CancelledError extends DurableError {
  readonly reason: string | undefined;
  constructor(message: string, reason?: string) {
    super("cancelled", message);
    this.reason = reason;
  }
}

/**
 * Something did not happen in time: a step attempt over its `timeout`, or `result({ timeout })`.
 * @example
 * await handle.result({ timeout: "1m" }).catch((e) => e instanceof TimeoutError);
 */
export class TimeoutError extends DurableError {
  constructor(message: string) {
    super("timeout", message);
  }
}

/**
 * A value cannot be stored faithfully (an Invalid Date, a `\u0000` in a string, a class instance...).
 * Refused when written, never silently changed; never retried.
 * @example
 * await ctx.call("load", () => new Date(NaN)); // StepFailedError caused by SerializationError
 */
export class SerializationError extends DurableError {
  readonly path: string;
  constructor(message: string, path: string) {
    super("unserializable", message);
    this.path = path;
  }
}

/**
 * A payload is larger than the configured limit (default 1 MiB), measured on its serialised bytes.
 * @example
 * await client.start(wf, hugeInput); // PayloadTooLargeError
 */
export class PayloadTooLargeError extends DurableError {
  readonly bytes: number;
  readonly limit: number;
  constructor(message: string, bytes: number, limit: number) {
    super("payload_too_large", message);
    this.bytes = bytes;
    this.limit = limit;
  }
}

/**
 * The database schema is newer than this code: upgrade durable before starting a worker on it.
 * @example
 * await store.migrate(); // SchemaAheadError when another deploy already migrated further
 */
export class SchemaAheadError extends DurableError {
  constructor(message: string) {
    super("schema_ahead", message);
  }
}

/**
 * A store refused a journal entry because the run's journal already has its seq: another activation wrote it
 * first. Nothing is written; the activation ends and the run is taken up again from the journal.
 * @example
 * if (error instanceof DuplicateSeqError) log.warn({ runId: error.runId, seq: error.seq }, error.message);
 */
export class DuplicateSeqError extends DurableError {
  readonly runId: string;
  readonly seq: number;
  constructor(runId: string, seq: number) {
    super(
      "duplicate_seq",
      `journal of run ${runId} already has seq ${seq}; another activation wrote it first, so this write is dropped and the run replays from the journal`,
    );
    this.runId = runId;
    this.seq = seq;
  }
}

/**
 * A store refused to consume an event with a journal entry: the event is gone or another wait consumed it.
 * Nothing is written; the activation ends and the run is taken up again from the journal.
 * @example
 * if (error instanceof EventConsumedError) log.warn({ runId: error.runId, eventId: error.eventId }, error.message);
 */
export class EventConsumedError extends DurableError {
  readonly runId: string;
  readonly eventId: string;
  constructor(runId: string, eventId: string) {
    super(
      "event_consumed",
      `event ${eventId} of run ${runId} is missing or already consumed; this write is dropped and the run replays from the journal`,
    );
    this.runId = runId;
    this.eventId = eventId;
  }
}

/**
 * The worker no longer holds the run's lease (another worker took it over): it writes nothing more.
 * @example
 * if (error instanceof LeaseLostError) return; // drop the run
 */
export class LeaseLostError extends DurableError {
  readonly runId: string;
  constructor(runId: string) {
    super(
      "lease_lost",
      `lost the lease on run ${runId}: another worker holds it now; this worker dropped it`,
    );
    this.runId = runId;
  }
}

/**
 * No run has this id (never started, or pruned).
 * @example
 * await client.cancel("nope"); // RunNotFoundError
 */
export class RunNotFoundError extends DurableError {
  readonly runId: string;
  constructor(runId: string) {
    super("run_not_found", `run ${runId} does not exist (never started, or pruned)`);
    this.runId = runId;
  }
}

/**
 * The error a run ended with, revived from its stored data: `name`, `message`, `stack` and `code` as recorded.
 * @example
 * await handle.result().catch((e: WorkflowFailedError) => console.log(e.runId, e.data.name));
 */
export class WorkflowFailedError extends DurableError {
  readonly runId: string;
  readonly status: string;
  readonly data: ErrorData;
  constructor(runId: string, status: string, data: ErrorData) {
    super("workflow_failed", `run ${runId} ended ${status}: ${data.name}: ${data.message}`);
    this.runId = runId;
    this.status = status;
    this.data = data;
  }
}

/**
 * Turns anything thrown into journal data, keeping name, message, stack and code.
 * @example
 * toErrorData(new TypeError("bad")); // { name: "TypeError", message: "bad", stack: "TypeError: bad\n    at ..." }
 */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof Error) {
    const data: ErrorData = { name: error.name, message: error.message };
    if (error.stack !== undefined) data.stack = error.stack;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") data.code = code;
    return data;
  }
  return { name: "NonError", message: typeof error === "string" ? error : safeString(error) };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
