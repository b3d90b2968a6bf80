import type { z } from "zod";
import type { EventSchemas, StepContext, WorkflowContext } from "./context.js";
import type { Duration } from "./parse-duration.js";
import type { RetryPolicy } from "./retry-policy.js";

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

/**
 * Declares a workflow: an async function whose side effects go through `ctx`.
 * @example
 * export const hello = workflow({ name: "hello", input: z.object({ who: z.string() }) }, async (ctx, { who }) => {
 *   const greeting = await ctx.call("greet", () => `hello ${who}`);
 *   await ctx.sleep("2s");
 *   return greeting;
 * });
 */
export function workflow<I = undefined, O = unknown, E extends EventSchemas = EventSchemas>(
  options: WorkflowOptions<I, O, E>,
  fn: (ctx: WorkflowContext<E>, input: I) => Promise<O>,
): Workflow<I, O, E> {
  if (typeof options.name !== "string" || options.name.trim() === "") {
    throw new TypeError("workflow(): options.name must be a non-empty string");
  }
  return Object.freeze({
    kind: "workflow",
    name: options.name,
    version: options.version ?? "1",
    options,
    fn,
  });
}

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

/**
 * Declares a reusable step with its own name, input schema and retry policy.
 * @example
 * const charge = step({ name: "charge", retry: { maxAttempts: 5 } }, (s, cents: number) =>
 *   payments.charge(cents, { idempotencyKey: s.idempotencyKey }));
 * await ctx.call(charge, 1200);
 */
export function step<I, O>(
  options: StepOptions<I>,
  fn: (step: StepContext, input: I) => O | Promise<O>,
): StepDefinition<I, O> {
  if (typeof options.name !== "string" || options.name.trim() === "") {
    throw new TypeError("step(): options.name must be a non-empty string");
  }
  return Object.freeze({ kind: "step", name: options.name, options, fn });
}
