import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

// Frames of durable's own code (ctx.log reaching pino, the engine) are not the user's doing.
const coreDir = dirname(createRequire(import.meta.url).resolve("@durable/core"));

/**
 * The user's source line that made the current call, skipping `ownFile` (the wrapper asking), core's
 * determinism guard, Node's internals and libraries; `undefined` when the call came from durable's own code.
 * @example
 * const where = callerLocation(fileURLToPath(import.meta.url)); // "file:///app/src/order.ts:14:22"
 */
export function callerLocation(ownFile: string): string | undefined {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  for (const raw of frames) {
    const frame = raw.trim();
    if (frame.includes(ownFile) || frame.includes(fileURLToPath(import.meta.url))) continue;
    if (
      frame.includes("node:") ||
      frame.includes("/node_modules/") ||
      frame.includes("determinism-guard") ||
      frame.includes("global-hooks")
    )
      continue;
    if (frame.includes(coreDir)) return undefined;
    return frame.replace(/^at\s+/, "");
  }
  return undefined;
}

/**
 * The `path:line:column` inside a stack frame, so two reports of one place compare equal.
 * @example
 * sourcePosition("fn (file:///app/order.ts:14:22)"); // "/app/order.ts:14:22"
 */
export function sourcePosition(location: string): string {
  const match = /(?:file:\/\/)?([^\s()]+:\d+:\d+)\)?$/.exec(location);
  return match?.[1] ?? location;
}
