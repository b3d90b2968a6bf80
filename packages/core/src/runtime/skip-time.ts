import type { Store } from "../store/store.js";
import type { TestClock } from "./clock.js";
import type { Worker } from "./worker.js";

/** What `skipTime` drives. */
export interface SkipTimeOptions {
  clock: TestClock;
  store: Store;
  workers: readonly Worker[];
  workflows: readonly string[];
  /** Stop when this resolves true. */
  until: () => Promise<boolean>;
  /** Called when nothing can ever happen again (no timer, nothing running): explain why. */
  onStuck: () => Promise<Error>;
  /** Never move time past this instant: when the next timer lies beyond it, move to it and return. */
  horizon?: number;
}

const realSetImmediate = globalThis.setImmediate;
const tick = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * Drives a virtual clock: whenever every worker is idle or only waiting on a timer and no run is due, it
 * moves time to the next timer (a run's `wake_at` or a worker's in-process timer). Months pass in
 * milliseconds.
 * @example
 * await skipTime({ clock, store, workers: [worker], workflows: ["onboarding"], until: isDone, onStuck });
 */
export async function skipTime(options: SkipTimeOptions): Promise<void> {
  const { clock, store, workers, workflows } = options;
  let idleChecks = 0;
  for (;;) {
    if (await options.until()) return;
    await tick();
    if (!workers.every((w) => w.isQuiescent())) {
      idleChecks = 0;
      continue;
    }
    const storeNext = (await store.nextWakeAt(workflows))?.getTime();
    const now = clock.now();
    if (storeNext !== undefined && storeNext <= now) {
      // Due work that no worker has picked up yet: give the notification a few turns to arrive.
      if (++idleChecks > 50) for (const w of workers) w.poke();
      continue;
    }
    const candidates = [clock.nextTimerAt(), storeNext].filter((t): t is number => t !== undefined);
    const next = candidates.length === 0 ? undefined : Math.min(...candidates);
    if (options.horizon !== undefined && (next === undefined || next > options.horizon)) {
      if (!workers.every((w) => w.activeRuns === 0 || w.isQuiescent())) continue;
      clock.setTime(Math.max(now, options.horizon));
      return;
    }
    if (candidates.length === 0) {
      if (!workers.every((w) => w.activeRuns === 0)) continue;
      if (await options.until()) return;
      throw await options.onStuck();
    }
    idleChecks = 0;
    // Checked again right before moving time: the awaits above may have let the last run finish.
    if (await options.until()) return;
    if (!workers.every((w) => w.isQuiescent())) continue;
    clock.setTime(Math.min(...candidates));
  }
}
