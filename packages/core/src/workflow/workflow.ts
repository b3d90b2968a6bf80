import type {
  EventSchemas,
  StepContext,
  StepDefinition,
  StepOptions,
  Workflow,
  WorkflowContext,
  WorkflowOptions,
} from "./context.js";

// The definitions' types live beside the context they refer to (one module, no cycle); importers of the
// constructors find them here too.
export type {
  AnyWorkflow,
  ConcurrencyOptions,
  DebounceOptions,
  RateLimitOptions,
  StepDefinition,
  StepOptions,
  Workflow,
  WorkflowOptions,
} from "./context.js";

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
