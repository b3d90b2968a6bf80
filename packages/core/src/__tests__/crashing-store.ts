import type { Store } from "../index.js";

/**
 * Wraps a store for one simulated process: after `appendsBeforeCrash` journal appends, the process "dies"
 * — that append and every later call fail, so the worker holding it can do nothing more, exactly as if
 * it had been killed between two writes. Its leases stay held until they expire.
 */
export function crashingStore(inner: Store, appendsBeforeCrash = Number.POSITIVE_INFINITY) {
  let appends = 0;
  let dead = false;
  const die = () => {
    dead = true;
    return Promise.reject(new Error("simulated crash: this process is dead"));
  };
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "subscribe") return value.bind(target);
      return (...args: unknown[]) => {
        if (dead) return die();
        if (prop === "appendJournal") {
          if (appends >= appendsBeforeCrash) return die();
          appends++;
        }
        return value.apply(target, args);
      };
    },
  });
  return { store: store as Store, isDead: () => dead, appends: () => appends };
}
