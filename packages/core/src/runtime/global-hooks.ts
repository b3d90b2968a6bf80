// The one place that patches the globals workflow bodies must not use directly (Date.now, new Date(),
// Math.random, setTimeout). Core's determinism guard and @durable/testing's simulated processes each add a
// hook here instead of wrapping the globals themselves, so neither depends on which loaded first.

/** A global a workflow body should not call: it differs on replay. */
export type WatchedGlobal = "Date.now()" | "new Date()" | "Math.random()" | "setTimeout";

/** One listener on the watched globals. */
export interface GlobalHook {
  /** Hears each call of a watched global, before the value is returned. */
  called?(api: WatchedGlobal): void;
  /** Milliseconds to add to the wall clock that `Date.now()` and `new Date()` report now (0 for none). */
  clockOffset?(): number;
  /** A replacement for this `Math.random()` draw, or `undefined` to keep the real one. */
  random?(): number | undefined;
}

/** The globals as they were before any hook: the runtime's own timing is not workflow code. */
export const originalGlobals = {
  Date: globalThis.Date,
  now: Date.now.bind(Date),
  random: Math.random,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setImmediate: globalThis.setImmediate,
} as const;

const hooks: GlobalHook[] = [];
let installed = false;

/**
 * Adds a hook on the watched globals (patching them, once per process, on first use); returns a function
 * that removes it. Hooks run in the order they were added.
 * @example
 * const remove = hookGlobals({ called: (api) => console.warn(`${api} in a workflow body`) });
 */
export function hookGlobals(hook: GlobalHook): () => void {
  install();
  hooks.push(hook);
  return () => {
    const at = hooks.indexOf(hook);
    if (at >= 0) hooks.splice(at, 1);
  };
}

function notify(api: WatchedGlobal): void {
  for (const hook of hooks) hook.called?.(api);
}

function clockOffset(): number {
  let offset = 0;
  for (const hook of hooks) offset += hook.clockOffset?.() ?? 0;
  return offset;
}

function install(): void {
  if (installed) return;
  installed = true;
  const RealDate = originalGlobals.Date;
  const realNow = Date.now;
  const realRandom = originalGlobals.random;
  const realSetTimeout = originalGlobals.setTimeout;
  RealDate.now = () => {
    notify("Date.now()");
    return realNow.call(RealDate) + clockOffset();
  };
  Math.random = () => {
    const value = realRandom();
    notify("Math.random()");
    for (const hook of hooks) {
      const replaced = hook.random?.();
      if (replaced !== undefined) return replaced;
    }
    return value;
  };
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      if (args.length > 0) return Reflect.construct(target, args, newTarget);
      notify("new Date()");
      const date = Reflect.construct(target, args, newTarget) as Date;
      const offset = clockOffset();
      if (offset !== 0) date.setTime(date.getTime() + offset);
      return date;
    },
  });
  const watchedSetTimeout = function (this: unknown, ...args: Parameters<typeof setTimeout>) {
    notify("setTimeout");
    return realSetTimeout.apply(this, args);
  };
  Object.assign(watchedSetTimeout, realSetTimeout);
  globalThis.setTimeout = watchedSetTimeout as typeof setTimeout;
}
