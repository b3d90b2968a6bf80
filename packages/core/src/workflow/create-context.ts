import type { Activation } from "./activation.js";
import { callStep } from "./commands/call-step.js";
import { startChild } from "./commands/child.js";
import { patched } from "./commands/patched.js";
import { sleepUntil, waitUntil } from "./commands/sleep.js";
import { transaction } from "./commands/transaction.js";
import { waitForEvent } from "./commands/wait-for-event.js";
import type {
  AnyWorkflow,
  CallOptions,
  Logger,
  StepContext,
  StepDefinition,
  WorkflowContext,
} from "./context.js";
import { ContinueAsNewSignal } from "./continue-as-new.js";
import { ValidationError } from "./errors.js";
import { type Duration, parseDuration } from "./parse-duration.js";
import { resolveRetryPolicy } from "./retry-policy.js";
import { encode } from "./serialize.js";
import { validateWith } from "./validate-with.js";

/**
 * Builds the `ctx` a workflow body receives, bound to one activation: each member issues its command
 * through the activation's narrow interface.
 * @example
 * const ctx = createContext(activation); await workflow.fn(ctx, input);
 */
export function createContext(activation: Activation): WorkflowContext {
  const { host } = activation;
  const ctx: WorkflowContext = {
    runId: host.runId,
    workflowName: host.workflow.name,
    get isReplaying() {
      return activation.isReplaying;
    },
    log: silentWhileReplaying(host.logger, () => activation.isReplaying),
    call: (nameOrStep: string | StepDefinition, fnOrInput?: unknown, options?: CallOptions) =>
      call(activation, nameOrStep, fnOrInput, options),
    sleep(duration: Duration) {
      try {
        return sleepUntil(activation, activation.lastTime + parseDuration(duration, "ctx.sleep duration"));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    sleepUntil(date: Date) {
      if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
        return Promise.reject(new ValidationError("ctx.sleepUntil: expected a valid Date"));
      }
      return sleepUntil(activation, date.getTime());
    },
    decide: (name, fn) => callStep(activation, "decide", name, () => fn(), undefined),
    waitUntil: (name, condition, options) =>
      waitUntil(activation, (n, fn) => ctx.decide(n, fn), name, condition, options),
    waitForEvent: (name, options) => waitForEvent(activation, name, options),
    child: (wf, input, options) => startChild(activation, wf as AnyWorkflow, input, options, true),
    startChild: (wf, input, options) => startChild(activation, wf as AnyWorkflow, input, options, false),
    continueAsNew: (input) => continueAsNew(activation, input),
    transaction: (name, fn) => transaction(activation, name, fn),
    patched: (changeId) => patched(activation, changeId),
    now: () => new Date(activation.lastTime),
    random: () => activation.prng.next(),
    uuid: () => activation.prng.uuid(),
  };
  return ctx;
}

function call(
  activation: Activation,
  nameOrStep: string | StepDefinition,
  fnOrInput: unknown,
  options: CallOptions | undefined,
): Promise<never> {
  if (typeof nameOrStep === "string") {
    if (typeof fnOrInput !== "function") {
      return Promise.reject(
        new ValidationError(`ctx.call("${nameOrStep}"): the second argument must be a function`),
      );
    }
    return callStep(activation, "call", nameOrStep, fnOrInput as (s: StepContext) => unknown, options);
  }
  const def = nameOrStep;
  const run = (s: StepContext) => {
    const input = def.options.input
      ? validateWith(def.options.input, fnOrInput, `step "${def.name}" input`)
      : fnOrInput;
    return def.fn(s, input);
  };
  let policy: ReturnType<typeof resolveRetryPolicy>;
  try {
    policy = resolveRetryPolicy(options?.retry, def.options.retry, activation.host.workflow.options.retry);
  } catch (error) {
    return Promise.reject(error);
  }
  return callStep(activation, "call", def.name, run, options, policy);
}

function continueAsNew(activation: Activation, input: unknown): Promise<never> {
  try {
    const { runId, workflow } = activation.host;
    const schema = workflow.options.input;
    const value = schema ? validateWith(schema, input, "continueAsNew input") : input;
    return Promise.reject(
      new ContinueAsNewSignal(encode(value, `run ${runId} continueAsNew input`, activation.limit)),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

function silentWhileReplaying(logger: Logger, replaying: () => boolean): Logger {
  const wrap = (target: Logger): Logger => ({
    trace: (o, m) => replaying() || target.trace(o, m),
    debug: (o, m) => replaying() || target.debug(o, m),
    info: (o, m) => replaying() || target.info(o, m),
    warn: (o, m) => replaying() || target.warn(o, m),
    error: (o, m) => replaying() || target.error(o, m),
    child: (bindings) => wrap(target.child(bindings)),
  });
  return wrap(logger);
}
