import type { ActivationHost, ActivationOutcome } from "./activation-host.js";
import { ContinueAsNewSignal } from "./continue-as-new.js";
import {
  CancelledError,
  type ErrorData,
  StepFailedError,
  toErrorData,
  WorkflowFailedError,
} from "./errors.js";
import type { JournalEntry } from "./journal.js";
import type { Pending } from "./pending.js";
import { childCancelledMessage } from "./run-messages.js";
import { decode, type Encoded, encode } from "./serialize.js";
import { validateWith } from "./validate-with.js";

/** How the workflow function ended. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A recorded or just-written result, as much of it as delivery needs. */
export type Deliverable = Pick<JournalEntry, "kind" | "name" | "seq" | "attempts"> &
  ({ outcome: "ok"; result: Encoded } | { outcome: "error"; error: ErrorData });

/**
 * Settles a command with its result: the value, or the error the workflow sees (a step's
 * `StepFailedError`, a child's failure or cancellation).
 * @example
 * deliver(pending, entry);
 */
export function deliver(pending: Pending, entry: Deliverable): void {
  pending.settled = true;
  if (entry.outcome === "ok") {
    pending.resolve(entry.kind === "sleep" ? undefined : decode(entry.result));
  } else if (entry.kind === "child") {
    const childId = (pending.kind === "child" ? pending.childId : undefined) ?? entry.name;
    pending.reject(
      entry.error.code === "cancelled"
        ? new CancelledError(childCancelledMessage(childId, entry.error.message))
        : new WorkflowFailedError(childId, "failed", entry.error),
    );
  } else {
    pending.reject(new StepFailedError(entry.name, entry.seq, entry.attempts, entry.error));
  }
}

/**
 * The outcome of an activation whose workflow function returned or threw, once no work is left.
 * @example
 * return settledOutcome({ ok: true, value: 42 }, false, host, limit); // { type: "completed", output }
 */
export function settledOutcome(
  done: Settled,
  cancelDelivered: boolean,
  host: ActivationHost,
  limit: number,
): ActivationOutcome {
  const runId = host.runId;
  if (!done.ok) {
    if (done.error instanceof ContinueAsNewSignal) return { type: "continued", input: done.error.input };
    const error = toErrorData(done.error);
    return cancelDelivered ? { type: "cancelled", error } : { type: "failed", error };
  }
  let output: Encoded;
  try {
    const schema = host.workflow.options.output;
    const value = schema ? validateWith(schema, done.value, `run ${runId} output`) : done.value;
    output = encode(value, `run ${runId} output`, limit);
  } catch (error) {
    return { type: cancelDelivered ? "cancelled" : "failed", error: toErrorData(error) };
  }
  return cancelDelivered ? { type: "cancelled", output } : { type: "completed", output };
}
