import type { Activation } from "../activation.js";
import type { Duration } from "../parse-duration.js";
import { parseDuration } from "../parse-duration.js";
import { encode } from "../serialize.js";

/**
 * `ctx.waitForEvent`: waits for the oldest unconsumed event of `name` (one sent earlier counts), or resolves
 * `undefined` when its timeout is due first.
 * @example
 * const approval = await waitForEvent(activation, "approved", { timeout: "7d" });
 */
export function waitForEvent(
  activation: Activation,
  name: string,
  options: { timeout?: Duration } | undefined,
): Promise<never> {
  let timeoutMs: number | undefined;
  try {
    timeoutMs =
      options?.timeout === undefined ? undefined : parseDuration(options.timeout, "waitForEvent timeout");
  } catch (error) {
    return Promise.reject(error);
  }
  const { promise, pending, replayed } = activation.issue("event", name);
  if (replayed) return promise;
  if (timeoutMs !== undefined) {
    pending.dueAt = activation.lastTime + timeoutMs;
    pending.onDue = () => {
      if (pending.queued) return;
      const entry = {
        kind: "event" as const,
        seq: pending.seq,
        name,
        outcome: "ok" as const,
        result: encode(undefined, "event timeout"),
        attempts: 1,
        startedAt: new Date(activation.lastTime),
      };
      activation.complete({ entry }, pending);
    };
  }
  activation.matchEvents();
  return promise;
}
