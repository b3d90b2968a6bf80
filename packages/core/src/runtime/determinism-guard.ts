import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "../workflow/context.js";
import type { CodeScope } from "./create-activation.js";
import { hookGlobals, type WatchedGlobal } from "./global-hooks.js";

interface Scope {
  kind: "workflow" | "step";
  workflow: string;
  logger: Logger;
}

const storage = new AsyncLocalStorage<Scope>();
const warned = new Set<string>();
let hooked = false;

const INSTEAD: Record<WatchedGlobal, string> = {
  "Date.now()": "ctx.now()",
  "new Date()": "ctx.now()",
  "Math.random()": "ctx.random()",
  setTimeout: 'ctx.sleep("…")',
};

/**
 * A code scope that warns when a workflow body (outside any step or decision) calls `Date.now()`,
 * `new Date()`, `Math.random()` or `setTimeout`, naming the workflow, the place and the `ctx` call to use.
 * Hooks those globals once per process (through `hookGlobals`); meant for development and tests.
 * @example
 * new Worker({ store, workflows, determinismGuard: true });
 */
export function determinismGuard(logger: Logger): CodeScope {
  if (!hooked) {
    hooked = true;
    hookGlobals({ called: (api) => check(api, INSTEAD[api]) });
  }
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
  const outside = lines.find(
    (line) =>
      !line.includes("determinism-guard") && !line.includes("global-hooks") && !line.includes("node:"),
  );
  return outside?.trim().replace(/^at\s+/, "") ?? "unknown location";
}
