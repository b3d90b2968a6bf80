import type { OfferedEvent } from "../activation-host.js";
import type { Completion, EventPending } from "../pending.js";
import { encode } from "../serialize.js";

/**
 * The completion that delivers an event to the wait it was matched to, consuming the event with it.
 * @example
 * complete(eventReceived(pending, event, lastTime), pending);
 */
export function eventReceived(pending: EventPending, event: OfferedEvent, lastTime: number): Completion {
  return {
    entry: {
      kind: "event",
      seq: pending.seq,
      name: pending.name,
      outcome: "ok",
      result: event.payload,
      attempts: 1,
      startedAt: new Date(lastTime),
    },
    consumeEvent: event.id,
  };
}

/**
 * The completion that journals where a cancellation reached the workflow (at `seq`, the code's next).
 * @example
 * await write(cancelDelivery(nextSeq++, "customer left", host.now()));
 */
export function cancelDelivery(seq: number, reason: string, now: number): Completion {
  return {
    entry: {
      kind: "cancel",
      seq,
      name: "cancel",
      outcome: "ok",
      result: encode({ reason }, "cancel reason"),
      attempts: 1,
      startedAt: new Date(now),
    },
  };
}
