import type { Activation } from "../activation.js";
import { encode } from "../serialize.js";

/**
 * `ctx.patched`: true for runs that reach this point under the new code (a marker is journaled), false for
 * runs whose journal already goes past it.
 * @example
 * if (patched(activation, "send-sms")) await ctx.call("sms", send);
 */
export function patched(activation: Activation, changeId: string): boolean {
  const seq = activation.nextSeq;
  const recorded = activation.recorded(seq);
  if (recorded?.kind === "patch" && recorded.name === changeId) {
    activation.issue("patch", changeId).pending.settled = true;
    return true;
  }
  // A run whose journal goes past this point reached it under the old code.
  if (seq <= activation.maxRecordedSeq) return false;
  const { pending } = activation.issue("patch", changeId);
  pending.settled = true;
  activation.complete({
    entry: {
      kind: "patch",
      seq,
      name: changeId,
      outcome: "ok",
      result: encode(true, "patch"),
      attempts: 1,
      startedAt: new Date(activation.lastTime),
    },
  });
  return true;
}
