import type { z } from "zod";
import type { Duration } from "./parse-duration.js";
import type { RetryPolicy } from "./retry-policy.js";

/** Event payload schemas by event name (a workflow's `events` option). */
export type EventSchemas = Record<string, z.ZodType>;

/** The payload type of event `K`. */
export type EventPayload<E extends EventSchemas, K extends keyof E> = z.output<E[K]>;

/** The logger handed to workflows and steps: pino's methods, any pino-compatible logger works. */
export interface Logger {
  trace(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** What a step function receives. */
export interface StepContext {
  readonly runId: string;
  readonly stepName: string;
  readonly seq: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Stable across retries and crashes: pass it to payment or e-mail APIs for exactly-once effects. */
  readonly idempotencyKey: string;
  /** Fires when the attempt times out or the run is cancelled. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** Options of one `ctx.call`. */
export interface CallOptions {
  retry?: RetryPolicy;
  /** Per attempt: past it the step's `signal` fires and the attempt fails with `TimeoutError`. */
  timeout?: Duration;
}

/** Options of `ctx.waitUntil`. */
export interface WaitUntilOptions {
  /** How long to sleep between checks. */
  every: Duration;
  /** Give up (and return false) after this long. */
  timeout?: Duration;
}

/** Options of `ctx.child` and `ctx.startChild`. */
export interface ChildOptions {
  /** The child's run id (default `<parentId>:<seq>`). */
  id?: string;
  /** What happens to the child when the parent is cancelled (default `"cancel"`). */
  parentClose?: "cancel" | "abandon";
}

/** The context a workflow body receives: every side effect goes through it. */
export interface WorkflowContext<E extends EventSchemas = EventSchemas> {
  readonly runId: string;
  readonly workflowName: string;
  /** True while the engine re-delivers recorded results. */
  readonly isReplaying: boolean;
  /** A logger that stays silent while replaying. */
  readonly log: Logger;

  /** Runs `fn` once and journals its result; on replay returns the recorded value. */
  call<T>(name: string, fn: (step: StepContext) => T | Promise<T>, options?: CallOptions): Promise<T>;
  /** Runs a step declared with `step()`. */
  call<I, O>(step: StepDefinition<I, O>, input: I, options?: CallOptions): Promise<O>;
  /** A durable timer: the run suspends and survives any restart. */
  sleep(duration: Duration): Promise<void>;
  /** A durable timer until `date`. */
  sleepUntil(date: Date): Promise<void>;
  /** A decision node: `fn` reads the state of the universe once; the value is journaled. */
  decide<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  /** Checks `condition` (journaled), sleeping `every` between checks; false on timeout. */
  waitUntil(
    name: string,
    condition: () => boolean | Promise<boolean>,
    options: WaitUntilOptions,
  ): Promise<boolean>;
  /**
   * Suspends until `client.sendEvent(runId, name, payload)`; an event sent earlier is kept, not lost.
   * Resolves to the payload, or `undefined` on timeout.
   */
  waitForEvent<K extends keyof E & string>(
    name: K,
    options?: { timeout?: Duration },
  ): Promise<EventPayload<E, K> | undefined>;
  /** Starts a child run and waits durably for its output (its error is rethrown). */
  child<I, O>(workflow: Workflow<I, O>, input: I, options?: ChildOptions): Promise<O>;
  /** Starts a child run and returns its id without waiting for it. */
  startChild<I, O>(workflow: Workflow<I, O>, input: I, options?: ChildOptions): Promise<string>;
  /** Ends this run and starts it afresh with `input` and an empty journal (same id chain). */
  continueAsNew(input: unknown): Promise<never>;
  /**
   * Postgres stores only: `fn` gets a Kysely transaction, and the journal row commits in it, so the
   * database effect happens exactly once.
   */
  transaction<T, Trx = unknown>(name: string, fn: (trx: Trx) => Promise<T>): Promise<T>;
  /** Versioning: true for runs that reach this point under the new code. */
  patched(changeId: string): boolean;
  /** The time recorded with the latest journal entry delivered, or the run's start time. */
  now(): Date;
  /** A float in [0, 1) from a PRNG seeded by the run id. */
  random(): number;
  /** A UUID from the run's PRNG. */
  uuid(): string;
}

/** Flow control: how many runs of a queue (or of one key in it) may run at once. */
export interface ConcurrencyOptions<I> {
  limit: number;
  /** Limits per key instead of per queue, e.g. `(input) => input.tenantId`. */
  key?: (input: I) => string;
}

/** Flow control: how many runs may start per period, per queue or per key. */
export interface RateLimitOptions<I> {
  limit: number;
  period: Duration;
  key?: (input: I) => string;
}

/** Flow control: within `period`, the last start with the same key wins. */
export interface DebounceOptions<I> {
  period: Duration;
  key: (input: I) => string;
}

/** Options of `workflow()`. */
export interface WorkflowOptions<I, O, E extends EventSchemas = EventSchemas> {
  /** Unique and stable: runs refer to their workflow by this name. */
  name: string;
  /** Validates input in `client.start` before anything is written. */
  input?: z.ZodType<I>;
  /** Validates the workflow's return value. */
  output?: z.ZodType<O>;
  /** Recorded with each run; explicit, never a hash of the source. */
  version?: string;
  /** The default retry policy of its steps. */
  retry?: RetryPolicy;
  /** Payload schemas of the events the workflow waits for: `client.sendEvent` validates against them. */
  events?: E;
  /** The queue its runs go to (default the workflow's name); limits apply per queue. */
  queue?: string;
  concurrency?: ConcurrencyOptions<I>;
  rateLimit?: RateLimitOptions<I>;
  /** Higher runs first among due runs. */
  priority?: (input: I) => number;
  debounce?: DebounceOptions<I>;
}

/** A workflow definition: register it with a `Worker`, start it with a `Client`. */
export interface Workflow<I = unknown, O = unknown, E extends EventSchemas = EventSchemas> {
  readonly kind: "workflow";
  readonly name: string;
  readonly version: string;
  readonly options: WorkflowOptions<I, O, E>;
  readonly fn: (ctx: WorkflowContext<E>, input: I) => Promise<O>;
}

/** A workflow of any input and output, for collections of workflows. */
// biome-ignore lint/suspicious/noExplicitAny: workflows of every input and output type
export type AnyWorkflow = Workflow<any, any, any>;

/** Options of `step()`. */
export interface StepOptions<I> {
  name: string;
  input?: z.ZodType<I>;
  retry?: RetryPolicy;
}

/** A reusable step, called with `ctx.call(stepDefinition, input)`. */
export interface StepDefinition<I = unknown, O = unknown> {
  readonly kind: "step";
  readonly name: string;
  readonly options: StepOptions<I>;
  readonly fn: (step: StepContext, input: I) => O | Promise<O>;
}
