import type { CallOptions, StepContext } from "./context.js";
import { TimeoutError, toErrorData, ValidationError } from "./errors.js";
import { parseDuration } from "./parse-duration.js";
import type { Pending, ReplayEngine } from "./replay-engine.js";
import { isRetryable, type ResolvedRetryPolicy, resolveRetryPolicy, retryDelayMs } from "./retry-policy.js";
import { encode } from "./serialize.js";

interface AttemptOptions {
  policy: ResolvedRetryPolicy;
  timeoutMs: number | undefined;
  startedAt: Date;
  fn: (step: StepContext) => unknown;
}

/**
 * Issues a step (`call` or `decide`): replayed from the journal when recorded, else run live at the next
 * quiescent point, retried by its policy, and journaled once with its final outcome.
 */
export function callStep(
  engine: ReplayEngine,
  kind: "call" | "decide",
  name: string,
  fn: (step: StepContext) => unknown,
  options: CallOptions | undefined,
  policy?: ResolvedRetryPolicy,
): Promise<never> {
  if (typeof name !== "string" || name === "") {
    return Promise.reject(new ValidationError(`ctx.${kind}: the step name must be a non-empty string`));
  }
  let opts: AttemptOptions;
  try {
    opts = {
      policy: policy ?? resolveRetryPolicy(options?.retry, engine.host.workflow.options.retry),
      timeoutMs:
        options?.timeout === undefined ? undefined : parseDuration(options.timeout, `${name}.timeout`),
      startedAt: new Date(engine.host.now()),
      fn,
    };
  } catch (error) {
    return Promise.reject(error);
  }
  const { promise, pending, replayed } = engine.issue(kind, name);
  if (replayed) return promise;
  const waiting = engine.retries[String(pending.seq)];
  if (waiting) {
    // The run suspended between attempts: the next attempt is due at its recorded time.
    pending.dueAt = Date.parse(waiting.nextAt);
    pending.onDue = () => {
      pending.start = () => runAttempt(engine, pending, waiting.attempts + 1, opts);
    };
  } else {
    pending.start = () => runAttempt(engine, pending, 1, opts);
  }
  return promise;
}

function runAttempt(engine: ReplayEngine, pending: Pending, attempt: number, opts: AttemptOptions): void {
  const { seq, name } = pending;
  const kind = pending.kind as "call" | "decide";
  const { host } = engine;
  const runId = host.runId;
  const abort = new AbortController();
  pending.abort = abort;
  engine.inFlight++;
  const stepContext: StepContext = {
    runId,
    stepName: name,
    seq,
    attempt,
    idempotencyKey: `${runId}:${seq}`,
    signal: abort.signal,
    log: host.logger.child({ step: name, seq, attempt }),
  };
  const cancelTimeout =
    opts.timeoutMs === undefined
      ? undefined
      : host.setTimer(host.now() + opts.timeoutMs, () =>
          abort.abort(new TimeoutError(`step "${name}" (seq ${seq}) attempt ${attempt} timed out`)),
        );
  // A step that ignores its signal cannot be stopped, but its attempt ends when the signal fires.
  const aborted = new Promise<never>((_, reject) => {
    abort.signal.addEventListener("abort", () => reject(abort.signal.reason), { once: true });
  });
  aborted.catch(() => {});
  const body = host.stepMocks?.get(name) ?? opts.fn;
  const execute = () => Promise.resolve(engine.scope.step(() => body(stepContext)));
  const intercept = host.interceptStepAttempt;
  const info = {
    runId,
    workflow: host.workflow.name,
    kind,
    name,
    seq,
    attempt,
    idempotencyKey: stepContext.idempotencyKey,
  };
  const work = Promise.resolve().then(() => (intercept ? intercept(info, execute) : execute()));
  void Promise.race([work, aborted])
    .then((value) => ({
      ok: true as const,
      result: encode(value, `run ${runId} step "${name}" (seq ${seq}) result`, engine.limit),
    }))
    .catch((error: unknown) => ({ ok: false as const, error }))
    .then((settled) => {
      cancelTimeout?.();
      engine.inFlight--;
      delete pending.abort;
      const base = { kind, seq, name, attempts: attempt, startedAt: opts.startedAt };
      if (settled.ok) {
        engine.complete({ entry: { ...base, outcome: "ok", result: settled.result } });
      } else if (
        engine.cancelDelivered ||
        !isRetryable(opts.policy, settled.error) ||
        attempt >= opts.policy.maxAttempts
      ) {
        engine.complete({ entry: { ...base, outcome: "error", error: toErrorData(settled.error) } });
      } else {
        scheduleRetry(engine, pending, settled.error, attempt, opts);
        engine.signal();
      }
    });
}

function scheduleRetry(
  engine: ReplayEngine,
  pending: Pending,
  error: unknown,
  attempt: number,
  opts: AttemptOptions,
): void {
  const delay = retryDelayMs(opts.policy, attempt);
  const nextAt = engine.host.now() + delay;
  pending.dueAt = nextAt;
  pending.onDue = () => {
    pending.start = () => runAttempt(engine, pending, attempt + 1, opts);
  };
  if (delay <= (engine.host.retryHoldMs ?? 5_000)) {
    pending.held = true;
  } else {
    // Long waits suspend the run; the attempt count survives in the run's retry state.
    engine.retries[String(pending.seq)] = {
      attempts: attempt,
      nextAt: new Date(nextAt).toISOString(),
      lastError: toErrorData(error),
    };
  }
}
