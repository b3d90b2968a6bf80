import { AsyncLocalStorage } from "node:async_hooks";
import type { CodeScope } from "../workflow/activation-host.js";
import type { Logger } from "../workflow/context.js";

interface Scope {
  kind: "workflow" | "step";
  workflow: string;
  logger: Logger;
}

const storage = new AsyncLocalStorage<Scope>();
const warned = new Set<string>();
let installed = false;

/**
 * A code scope that warns when a workflow body (outside any step or decision) calls `Date.now()`,
 * `new Date()`, `Math.random()` or `setTimeout`, naming the workflow, the place and the `ctx` call to use.
 * Installs its watch on those globals once per process; meant for development and tests.
 * @example
 * new Worker({ store, workflows, determinismGuard: true });
 */
export function determinismGuard(logger: Logger): CodeScope {
  install();
  return {
    workflow: (name, fn) => storage.run({ kind: "workflow", workflow: name, logger }, fn),
    step: (fn) => {
      const current = storage.getStore();
      return current ? storage.run({ ...current, kind: "step" }, fn) : fn();
    },
  };
}

let warning = false;

function check(api: string, instead: string): void {
  const scope = storage.getStore();
  // The logger itself reads the clock while it writes the warning: not the workflow's doing.
  if (scope?.kind !== "workflow" || warning) return;
  const location = callerLocation();
  const key = `${scope.workflow}|${api}|${location}`;
  if (warned.has(key)) return;
  warned.add(key);
  warning = true;
  try {
    scope.logger.warn(
      { workflow: scope.workflow, api, location },
      `workflow "${scope.workflow}" calls ${api} in its body at ${location}: it will differ on replay; use ${instead}, or move it into a step`,
    );
  } finally {
    warning = false;
  }
}

function callerLocation(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  const outside = lines.find((line) => !line.includes("determinism-guard") && !line.includes("node:"));
  return outside?.trim().replace(/^at\s+/, "") ?? "unknown location";
}

function install(): void {
  if (installed) return;
  installed = true;
  const RealDate = Date;
  const realNow = Date.now;
  const realRandom = Math.random;
  const realSetTimeout = globalThis.setTimeout;
  RealDate.now = () => {
    check("Date.now()", "ctx.now()");
    return realNow.call(RealDate);
  };
  Math.random = () => {
    check("Math.random()", "ctx.random()");
    return realRandom();
  };
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      if (args.length === 0) check("new Date()", "ctx.now()");
      return Reflect.construct(target, args, newTarget);
    },
  });
  const guardedSetTimeout = (...args: Parameters<typeof setTimeout>) => {
    check("setTimeout", 'ctx.sleep("…")');
    return realSetTimeout(...args);
  };
  Object.assign(guardedSetTimeout, realSetTimeout);
  globalThis.setTimeout = guardedSetTimeout as typeof setTimeout;
}
