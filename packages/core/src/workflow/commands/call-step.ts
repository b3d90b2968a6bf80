import type { Activation } from "../activation.js";
import type { CallOptions, StepContext } from "../context.js";
import { toErrorData, ValidationError } from "../errors.js";
import { parseDuration } from "../parse-duration.js";
import type { StepPending } from "../pending.js";
import { isRetryable, type ResolvedRetryPolicy, resolveRetryPolicy, retryDelayMs } from "../retry-policy.js";
import { encode } from "../serialize.js";

interface AttemptOptions {
  policy: ResolvedRetryPolicy;
  timeoutMs: number | undefined;
  startedAt: Date;
  fn: (step: StepContext) => unknown;
}

/**
 * Issues a step (`call` or `decide`): replayed from the journal when recorded, else run live at the next
 * quiescent point, retried by its policy, and journaled once with its final outcome.
 * @example
 * return callStep(activation, "call", "charge", (s) => charge(s.idempotencyKey), { timeout: "10s" });
 */
export function callStep(
  activation: Activation,
  kind: "call" | "decide",
  name: string,
  fn: (step: StepContext) => unknown,
  options: CallOptions | undefined,
  policy?: ResolvedRetryPolicy,
): Promise<never> {
  if (typeof name !== "string" || name === "") {
    return Promise.reject(new ValidationError(`ctx.${kind}: the step name must be a non-empty string`));
  }
  const { host } = activation;
  let opts: AttemptOptions;
  try {
    opts = {
      policy: policy ?? resolveRetryPolicy(options?.retry, host.workflow.options.retry),
      timeoutMs:
        options?.timeout === undefined ? undefined : parseDuration(options.timeout, `${name}.timeout`),
      startedAt: new Date(host.now()),
      fn,
    };
  } catch (error) {
    return Promise.reject(error);
  }
  const { promise, pending, replayed } = activation.issue(kind, name);
  if (replayed) return promise;
  const waiting = activation.retryOf(pending.seq);
  if (waiting) {
    // The run suspended between attempts: the next attempt is due at its recorded time.
    pending.dueAt = Date.parse(waiting.nextAt);
    pending.onDue = () => {
      pending.start = () => runAttempt(activation, pending, waiting.attempts + 1, opts);
    };
  } else {
    pending.start = () => runAttempt(activation, pending, 1, opts);
  }
  return promise;
}

function runAttempt(
  activation: Activation,
  pending: StepPending,
  attempt: number,
  opts: AttemptOptions,
): void {
  const { seq, name, kind } = pending;
  const { host } = activation;
  const runId = host.runId;
  activation.workStarted();
  const info = {
    runId,
    workflow: host.workflow.name,
    kind,
    name,
    seq,
    attempt,
    idempotencyKey: `${runId}:${seq}`,
  };
  const timeoutAt = opts.timeoutMs === undefined ? undefined : host.now() + opts.timeoutMs;
  const live = activation.port.startAttempt({ info, fn: opts.fn, timeoutAt });
  pending.attempt = live;
  void live.result.then((settled) => {
    activation.workEnded();
    delete pending.attempt;
    const base = { kind, seq, name, attempts: attempt, startedAt: opts.startedAt };
    let error = settled.ok ? undefined : settled.error;
    if (settled.ok) {
      try {
        const what = `run ${runId} step "${name}" (seq ${seq}) result`;
        const result = encode(settled.value, what, activation.limit);
        activation.complete({ entry: { ...base, outcome: "ok", result } });
        return;
      } catch (unstorable) {
        error = unstorable;
      }
    }
    if (
      activation.cancelDelivered ||
      !isRetryable(opts.policy, error) ||
      attempt >= opts.policy.maxAttempts
    ) {
      activation.complete({ entry: { ...base, outcome: "error", error: toErrorData(error) } });
    } else {
      scheduleRetry(activation, pending, error, attempt, opts);
      activation.signal();
    }
  });
}

function scheduleRetry(
  activation: Activation,
  pending: StepPending,
  error: unknown,
  attempt: number,
  opts: AttemptOptions,
): void {
  const delay = retryDelayMs(opts.policy, attempt);
  const nextAt = activation.host.now() + delay;
  pending.dueAt = nextAt;
  pending.onDue = () => {
    pending.start = () => runAttempt(activation, pending, attempt + 1, opts);
  };
  if (delay <= (activation.host.retryHoldMs ?? 5_000)) {
    pending.held = true;
  } else {
    // Long waits suspend the run; the attempt count survives in the run's retry state.
    activation.awaitRetry(pending.seq, {
      attempts: attempt,
      nextAt: new Date(nextAt).toISOString(),
      lastError: toErrorData(error),
    });
  }
}
