import type { StepAttemptInterceptor } from "./step-attempt.js";
import { traceStepAttempt } from "./tracing.js";
import type { WorkerObserver } from "./worker-observer.js";

/**
 * The interceptor a worker runs every step attempt through: tracing around the observer's timing around the
 * user's interceptor around the step.
 * @example
 * const intercept = observedStepAttempt(options.interceptStepAttempt, options.observer);
 */
export function observedStepAttempt(
  user: StepAttemptInterceptor | undefined,
  observer: WorkerObserver | undefined,
): StepAttemptInterceptor {
  return (info, next) => {
    const inner = user ? () => user(info, next) : next;
    const observed = observer?.stepAttempt
      ? async () => {
          const started = performance.now();
          let ok = false;
          try {
            const value = await inner();
            ok = true;
            return value;
          } finally {
            observer.stepAttempt?.(info.workflow, info.name, ok, performance.now() - started);
          }
        }
      : inner;
    return traceStepAttempt(info, observed);
  };
}
