import type { Duration } from "./parse-duration.js";
import type { RetryPolicy } from "./retry-policy.js";
import type { StepDefinition } from "./workflow.js";

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

/** The context a workflow body receives: every side effect goes through it. */
export interface WorkflowContext {
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
  /** Versioning: true for runs that reach this point under the new code. */
  patched(changeId: string): boolean;
  /** The time recorded with the latest journal entry delivered, or the run's start time. */
  now(): Date;
  /** A float in [0, 1) from a PRNG seeded by the run id. */
  random(): number;
  /** A UUID from the run's PRNG. */
  uuid(): string;
}
