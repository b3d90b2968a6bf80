import type { Store, TestClock } from "@durable/core";
import { inChain } from "./run-chain.js";

/** A store wrapper for one simulated process. */
export interface FaultyStore {
  store: Store;
  /** True once the process has died: every later call fails. */
  isDead(): boolean;
  /** Journal appends that went through. */
  appends(): number;
}

const WRITES = new Set(["appendJournal", "finishRun"]);

/**
 * One simulated process that dies after `budget` journal appends: its next write (an append, or recording
 * how an activation ended) and every call after it fail, so its worker can do nothing more, as if killed
 * between two writes. Its leases stay held until they expire.
 * @example
 * const { store, isDead } = crashAfter(shared, 2);
 */
export function crashAfter(inner: Store, budget: number): FaultyStore {
  let appends = 0;
  let dead = false;
  const store = wrap(inner, (method, call) => {
    if (dead) return Promise.reject(new Error("simulated crash: this process is dead"));
    if (WRITES.has(method) && appends >= budget) {
      dead = true;
      return Promise.reject(new Error("simulated crash: the process died before this write"));
    }
    if (method === "appendJournal") appends++;
    return call();
  });
  return { store, isDead: () => dead, appends: () => appends };
}

/**
 * The uninterrupted twin of a crashing process: at the first write after each point in `points` (journal
 * appends so far) it stalls until the moment a crashed process's lease would have expired (the run's last
 * claim plus `leaseMs` on `clock`), then goes on. Time then flows exactly as in the crashed run, so
 * `ctx.now()` and timers compare equal.
 * @example
 * const { store } = stallAt(shared, [2], { clock, leaseMs: 60_000, runId });
 */
export function stallAt(
  inner: Store,
  points: readonly number[],
  options: { clock: TestClock; leaseMs: number; runId: string },
): FaultyStore {
  let appends = 0;
  let next = 0;
  let lastClaim: number | undefined;
  const store = wrap(inner, async (method, call) => {
    while (WRITES.has(method) && next < points.length && appends >= (points[next] as number)) {
      next++;
      if (lastClaim === undefined) continue;
      lastClaim += options.leaseMs;
      options.clock.setTime(lastClaim);
    }
    if (method === "appendJournal") appends++;
    const result = await call();
    if (method === "claimRuns") {
      for (const claimed of result as Awaited<ReturnType<Store["claimRuns"]>>) {
        if (inChain(options.runId, claimed.run.id)) lastClaim = claimed.now.getTime();
      }
    }
    return result;
  });
  return { store, isDead: () => false, appends: () => appends };
}

/**
 * Counts appends only.
 * @example
 * const { store, appends } = countAppends(shared);
 */
export function countAppends(inner: Store): FaultyStore {
  let appends = 0;
  const store = wrap(inner, (method, call) => {
    if (method === "appendJournal") appends++;
    return call();
  });
  return { store, isDead: () => false, appends: () => appends };
}

function wrap(
  inner: Store,
  around: (method: string, call: () => Promise<unknown>) => Promise<unknown>,
): Store {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "subscribe" || typeof prop !== "string") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (...args: unknown[]) => around(prop, () => value.apply(target, args));
    },
  });
}
