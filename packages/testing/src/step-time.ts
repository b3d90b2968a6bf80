import type { StepAttemptInterceptor, Store, TestClock } from "@durable/core";

const realSetImmediate = globalThis.setImmediate;
const tick = () => new Promise<void>((resolve) => realSetImmediate(resolve));

// Turns of the event loop with no store call in flight after which the worker has acted on a timer: it
// wakes, fires the timer (one turn), writes its entry (the next); a few more for margin.
const CALM_TURNS = 5;

/** A store whose calls are counted, so a test env can tell when the worker has stopped writing. */
export interface WatchedStore {
  store: Store;
  /** Resolves once no store call has been in flight for a few turns of the event loop. */
  calm(): Promise<void>;
}

/**
 * Wraps a store to count its calls in flight.
 * @example
 * const watched = watchStore(store); new Worker({ store: watched.store, ... }); await watched.calm();
 */
export function watchStore(store: Store): WatchedStore {
  let inFlight = 0;
  let calls = 0;
  const watched = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        calls++;
        inFlight++;
        return result.finally(() => inFlight--);
      };
    },
  });
  return {
    store: watched,
    async calm() {
      for (let quiet = 0; quiet < CALM_TURNS; ) {
        const before = calls;
        await tick();
        quiet = inFlight === 0 && calls === before ? quiet + 1 : 0;
      }
    },
  };
}

/**
 * Wraps step attempts so that time a step moves (`env.clock.advance` inside it) passes while it runs: the
 * timers that fired meanwhile (a `ctx.sleep` it races against, a timeout) are journaled and delivered
 * before the step's own result, as they would be had the step really taken that long.
 * @example
 * new Worker({ ..., interceptStepAttempt: lettingTimePass(clock, watched, options.worker?.interceptStepAttempt) });
 */
export function lettingTimePass(
  clock: TestClock,
  watched: WatchedStore,
  inner: StepAttemptInterceptor | undefined,
): StepAttemptInterceptor {
  return async (info, next) => {
    const before = clock.now();
    try {
      return await (inner ? inner(info, next) : next());
    } finally {
      if (clock.now() !== before) await watched.calm();
    }
  };
}
