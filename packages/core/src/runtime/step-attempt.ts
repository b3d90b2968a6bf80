import type { StepAttemptInfo } from "../workflow/activation-host.js";
import type { AttemptResult, LiveAttempt, StepAttemptRequest } from "../workflow/activation-port.js";
import type { Logger, StepContext } from "../workflow/context.js";
import { TimeoutError } from "../workflow/errors.js";

/** Wraps every live step attempt: for tracing, counting executions, or injecting failures in tests. */
export type StepAttemptInterceptor = (
  info: StepAttemptInfo,
  next: () => Promise<unknown>,
) => Promise<unknown>;

/** What running step code needs from the runtime. */
export interface StepAttemptSetup {
  /** The run's logger: each attempt logs through a child of it. */
  logger: Logger;
  /** Calls `fn` at `at` (ms since epoch, the store's clock); returns a function that cancels the timer. */
  setTimer(at: number, fn: () => void): () => void;
  /** Calls step code in the runtime's code scope. */
  runStep<T>(fn: () => T): T;
  /** Test doubles: a step (or decision) whose name is here runs this function instead of its own. */
  stepMocks?: ReadonlyMap<string, (step: StepContext) => unknown> | undefined;
  interceptStepAttempt?: StepAttemptInterceptor | undefined;
}

/**
 * Runs one attempt of a step: its `StepContext` (with an `AbortSignal` that fires on timeout or
 * cancellation), its mock if it has one, the interceptor around it. The attempt ends when the step settles
 * or its signal fires, whichever is first: a step that ignores its signal cannot be stopped, but the
 * engine stops waiting for it.
 * @example
 * const live = startStepAttempt(setup, { info, fn, timeoutAt: undefined });
 * const result = await live.result; // { ok: true, value } | { ok: false, error }
 */
export function startStepAttempt(setup: StepAttemptSetup, request: StepAttemptRequest): LiveAttempt {
  const { info, timeoutAt } = request;
  const { name, seq, attempt } = info;
  const abort = new AbortController();
  const stepContext: StepContext = {
    runId: info.runId,
    stepName: name,
    seq,
    attempt,
    idempotencyKey: info.idempotencyKey,
    signal: abort.signal,
    log: setup.logger.child({ step: name, seq, attempt }),
  };
  const cancelTimeout =
    timeoutAt === undefined
      ? undefined
      : setup.setTimer(timeoutAt, () =>
          abort.abort(new TimeoutError(`step "${name}" (seq ${seq}) attempt ${attempt} timed out`)),
        );
  const aborted = new Promise<never>((_, reject) => {
    abort.signal.addEventListener("abort", () => reject(abort.signal.reason), { once: true });
  });
  aborted.catch(() => {});
  const body = setup.stepMocks?.get(name) ?? request.fn;
  const execute = () => Promise.resolve(setup.runStep(() => body(stepContext)));
  const intercept = setup.interceptStepAttempt;
  const work = Promise.resolve().then(() => (intercept ? intercept(info, execute) : execute()));
  const result = Promise.race([work, aborted])
    .then((value): AttemptResult => {
      cancelTimeout?.();
      return { ok: true, value };
    })
    .catch((error: unknown): AttemptResult => {
      cancelTimeout?.();
      return { ok: false, error };
    });
  return { result, abort: (reason) => abort.abort(reason) };
}
