import type { Activation } from "../activation.js";
import type { WaitUntilOptions } from "../context.js";
import { parseDuration } from "../parse-duration.js";
import { encode } from "../serialize.js";

/**
 * Issues a durable timer due at `until` (ms since epoch); its entry records when it was due.
 * @example
 * await sleepUntil(activation, activation.lastTime + 60_000);
 */
export function sleepUntil(activation: Activation, until: number): Promise<void> {
  const { promise, pending, replayed } = activation.issue("sleep", "sleep");
  if (!replayed) {
    pending.dueAt = until;
    pending.onDue = () =>
      activation.complete(
        {
          entry: {
            kind: "sleep",
            seq: pending.seq,
            name: "sleep",
            outcome: "ok",
            result: encode({ until: new Date(until) }, "sleep"),
            attempts: 1,
            startedAt: new Date(activation.lastTime),
          },
        },
        pending,
      );
  }
  return promise;
}

/**
 * `ctx.waitUntil`: checks `condition` as a journaled decision, sleeping `every` between checks, until it
 * holds (true) or the timeout passes (false).
 * @example
 * const ready = await waitUntil(activation, (name, fn) => ctx.decide(name, fn), "ready", check, { every: "1h" });
 */
export async function waitUntil(
  activation: Activation,
  decide: (name: string, fn: () => boolean | Promise<boolean>) => Promise<boolean>,
  name: string,
  condition: () => boolean | Promise<boolean>,
  options: WaitUntilOptions,
): Promise<boolean> {
  const everyMs = parseDuration(options.every, "waitUntil every");
  const timeoutMs =
    options.timeout === undefined ? undefined : parseDuration(options.timeout, "waitUntil timeout");
  const deadline = timeoutMs === undefined ? undefined : activation.lastTime + timeoutMs;
  for (;;) {
    if (await decide(name, condition)) return true;
    const now = activation.lastTime;
    if (deadline !== undefined && now >= deadline) return false;
    await sleepUntil(activation, deadline === undefined ? now + everyMs : Math.min(now + everyMs, deadline));
  }
}
