import { formatDuration, type Store, type TestClock } from "@durable/core";

/** How long the test env waits in real time for a store that keeps its own clock. */
const REAL_WAIT_LIMIT_MS = 2_000;

const realSetTimeout = globalThis.setTimeout;

/**
 * The store as `skipTime` should see it. A store on the env's virtual clock is returned as is. A store that
 * keeps its own time (Postgres judges due runs by its `now()`) cannot be fast-forwarded: a wake-up a moment
 * away is waited for in real time, and one further out fails with a message saying why, instead of the
 * driver spinning forever.
 * @example
 * await skipTime({ clock, store: storeClockView(store, clock, true), workers, workflows, until, onStuck });
 */
export function storeClockView(store: Store, clock: TestClock, ownTime: boolean): Store {
  if (!ownTime) return store;
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== "nextWakeAt") return Reflect.get(target, prop, receiver);
      return async (workflows: readonly string[]) => {
        const at = await target.nextWakeAt(workflows);
        if (!at) return undefined;
        const ahead = at.getTime() - (await target.now()).getTime();
        if (ahead > REAL_WAIT_LIMIT_MS) {
          throw new Error(
            `a run is due ${formatDuration(Math.ceil(ahead / 1000) * 1000)} from now by the ${target.kind} store's own clock, and a store that keeps its own time cannot be fast-forwarded; use the default memory store (on env.clock) for tests that sleep`,
          );
        }
        if (ahead > 0) await new Promise((resolve) => realSetTimeout(resolve, Math.min(ahead, 20)));
        return new Date(clock.now());
      };
    },
  });
}
