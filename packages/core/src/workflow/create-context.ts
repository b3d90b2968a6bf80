import type { CallOptions, ChildOptions, Logger, StepContext, WorkflowContext } from "./context.js";
import { DurableError, ValidationError } from "./errors.js";
import { type FlowFields, flowFields } from "./flow-control.js";
import { type Duration, parseDuration } from "./parse-duration.js";
import { ContinueAsNewSignal, type ReplayEngine } from "./replay-engine.js";
import { resolveRetryPolicy } from "./retry-policy.js";
import { encode } from "./serialize.js";
import { callStep } from "./step-runner.js";
import { validateWith } from "./validate-with.js";
import type { AnyWorkflow, StepDefinition } from "./workflow.js";

const FINISHED = ["completed", "failed", "cancelled"];

/** Builds the `ctx` a workflow body receives, bound to one activation. */
export function createContext(engine: ReplayEngine): WorkflowContext {
  const { host } = engine;
  const runId = host.runId;

  const timer = (until: number): Promise<void> => {
    const { promise, pending, replayed } = engine.issue("sleep", "sleep");
    if (!replayed) {
      pending.dueAt = until;
      pending.onDue = () =>
        engine.complete(
          {
            entry: {
              kind: "sleep",
              seq: pending.seq,
              name: "sleep",
              outcome: "ok",
              result: encode({ until: new Date(until) }, "sleep"),
              attempts: 1,
              startedAt: new Date(engine.lastTime),
            },
          },
          pending,
        );
    }
    return promise;
  };

  const patched = (changeId: string): boolean => {
    const seq = engine.nextSeq;
    const recorded = engine.recorded.get(seq);
    if (recorded?.kind === "patch" && recorded.name === changeId) {
      engine.issue("patch", changeId).pending.settled = true;
      return true;
    }
    // A run whose journal goes past this point reached it under the old code.
    if (seq <= engine.maxRecordedSeq) return false;
    const { pending } = engine.issue("patch", changeId);
    pending.settled = true;
    engine.complete({
      entry: {
        kind: "patch",
        seq,
        name: changeId,
        outcome: "ok",
        result: encode(true, "patch"),
        attempts: 1,
        startedAt: new Date(engine.lastTime),
      },
    });
    return true;
  };

  const startChild = (wf: AnyWorkflow, input: unknown, options: ChildOptions | undefined, wait: boolean) => {
    const childId = options?.id ?? `${runId}:${engine.nextSeq}`;
    let encoded: ReturnType<typeof encode>;
    let flow: FlowFields;
    try {
      const value = wf.options.input
        ? validateWith(wf.options.input, input, `child ${childId} input`)
        : input;
      encoded = encode(value, `input of child run ${childId}`, engine.limit);
      flow = flowFields(wf, value);
    } catch (error) {
      return Promise.reject(error);
    }
    const { promise, pending, replayed } = engine.issue("child", wait ? wf.name : `start:${wf.name}`);
    pending.childId = childId;
    engine.children.set(childId, options?.parentClose ?? "cancel");
    if (replayed) return promise;
    const start = host.startChild;
    if (!start) return Promise.reject(new DurableError("validation", "this runtime cannot start child runs"));
    const base = { kind: "child" as const, seq: pending.seq, name: pending.name, attempts: 1 };
    pending.start = () => {
      engine.inFlight++;
      const startedAt = new Date(engine.lastTime);
      start({ id: childId, workflow: wf, input: encoded, flow })
        .then((child) => {
          if (!wait) {
            engine.complete(
              { entry: { ...base, startedAt, outcome: "ok", result: encode(childId, "child id") } },
              pending,
            );
          } else if (child.status === "completed") {
            const result = child.output ?? encode(undefined, "child output");
            engine.complete({ entry: { ...base, startedAt, outcome: "ok", result } }, pending);
          } else if (FINISHED.includes(child.status)) {
            const error = child.error ?? {
              name: "CancelledError",
              message: `child run ${childId} was cancelled`,
            };
            const data = child.status === "cancelled" ? { ...error, code: "cancelled" } : error;
            engine.complete({ entry: { ...base, startedAt, outcome: "error", error: data } }, pending);
          }
          // Otherwise the child is still going: the parent waits durably and is woken when it finishes.
        })
        .catch((error: unknown) => engine.crash(error))
        .finally(() => {
          engine.inFlight--;
          engine.signal();
        });
    };
    return promise;
  };

  const ctx: WorkflowContext = {
    runId,
    workflowName: host.workflow.name,
    get isReplaying() {
      return engine.isReplaying;
    },
    log: silentWhileReplaying(host.logger, () => engine.isReplaying),
    call(nameOrStep: string | StepDefinition, fnOrInput?: unknown, options?: CallOptions): Promise<never> {
      if (typeof nameOrStep === "string") {
        if (typeof fnOrInput !== "function") {
          return Promise.reject(
            new ValidationError(`ctx.call("${nameOrStep}"): the second argument must be a function`),
          );
        }
        return callStep(engine, "call", nameOrStep, fnOrInput as (s: StepContext) => unknown, options);
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
        policy = resolveRetryPolicy(options?.retry, def.options.retry, host.workflow.options.retry);
      } catch (error) {
        return Promise.reject(error);
      }
      return callStep(engine, "call", def.name, run, options, policy);
    },
    sleep(duration: Duration) {
      try {
        return timer(engine.lastTime + parseDuration(duration, "ctx.sleep duration"));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    sleepUntil(date: Date) {
      if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
        return Promise.reject(new ValidationError("ctx.sleepUntil: expected a valid Date"));
      }
      return timer(date.getTime());
    },
    decide(name, fn) {
      return callStep(engine, "decide", name, () => fn(), undefined);
    },
    async waitUntil(name, condition, options) {
      const everyMs = parseDuration(options.every, "waitUntil every");
      const timeoutMs =
        options.timeout === undefined ? undefined : parseDuration(options.timeout, "waitUntil timeout");
      const deadline = timeoutMs === undefined ? undefined : engine.lastTime + timeoutMs;
      for (;;) {
        if (await ctx.decide(name, condition)) return true;
        const now = engine.lastTime;
        if (deadline !== undefined && now >= deadline) return false;
        await timer(deadline === undefined ? now + everyMs : Math.min(now + everyMs, deadline));
      }
    },
    waitForEvent(name, options) {
      let timeoutMs: number | undefined;
      try {
        timeoutMs =
          options?.timeout === undefined ? undefined : parseDuration(options.timeout, "waitForEvent timeout");
      } catch (error) {
        return Promise.reject(error);
      }
      const { promise, pending, replayed } = engine.issue("event", name);
      if (replayed) return promise;
      if (timeoutMs !== undefined) {
        pending.dueAt = engine.lastTime + timeoutMs;
        pending.onDue = () => {
          if (pending.queued) return;
          const entry = {
            kind: "event" as const,
            seq: pending.seq,
            name,
            outcome: "ok" as const,
            result: encode(undefined, "event timeout"),
            attempts: 1,
            startedAt: new Date(engine.lastTime),
          };
          engine.complete({ entry }, pending);
        };
      }
      engine.matchEvents();
      return promise;
    },
    child: (wf, input, options) => startChild(wf as AnyWorkflow, input, options, true),
    startChild: (wf, input, options) => startChild(wf as AnyWorkflow, input, options, false),
    continueAsNew(input) {
      try {
        const schema = host.workflow.options.input;
        const value = schema ? validateWith(schema, input, "continueAsNew input") : input;
        return Promise.reject(
          new ContinueAsNewSignal(encode(value, `run ${runId} continueAsNew input`, engine.limit)),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    transaction(name, fn) {
      if (!host.transaction) {
        return Promise.reject(
          new ValidationError(
            `ctx.transaction("${name}") needs postgresStore with the app's tables in the same database; this store cannot commit a journal row with your writes`,
          ),
        );
      }
      const { promise, pending, replayed } = engine.issue("transaction", name);
      if (replayed) return promise;
      pending.start = () =>
        engine.complete(
          {
            entry: {
              kind: "transaction",
              seq: pending.seq,
              name,
              outcome: "ok",
              result: encode(undefined, "transaction"),
              attempts: 1,
              startedAt: new Date(engine.lastTime),
            },
            transaction: fn as (trx: unknown) => Promise<unknown>,
          },
          pending,
        );
      return promise;
    },
    patched,
    now: () => new Date(engine.lastTime),
    random: () => engine.prng.next(),
    uuid: () => engine.prng.uuid(),
  };
  return ctx;
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
