import type { ErrorData } from "./errors.js";

// Messages that more than one place writes (the engine, the memory store, the SQL of packages/postgres):
// each is written here once, so a run reads the same whichever store or path ended it.

/**
 * What a cancelled run's awaits and its stored error say.
 * @example
 * cancelledMessage("order:42", "customer left"); // "run order:42 was cancelled: customer left"
 */
export function cancelledMessage(runId: string, reason: string): string {
  return `run ${runId} was cancelled: ${reason}`;
}

/**
 * The reason a parent's cancellation hands on to each of its children.
 * @example
 * parentCancelledReason("order:42", "customer left"); // "parent run order:42 was cancelled: customer left"
 */
export function parentCancelledReason(parentId: string, reason: string): string {
  return `parent run ${parentId} was cancelled: ${reason}`;
}

/**
 * What a parent sees when the child it waits for was cancelled (with the child's own message, if any).
 * @example
 * childCancelledMessage("order:42:3"); // "child run order:42:3 was cancelled"
 */
export function childCancelledMessage(childId: string, message?: string): string {
  return message === undefined
    ? `child run ${childId} was cancelled`
    : `child run ${childId} was cancelled: ${message}`;
}

/**
 * The message of a run parked as `blocked` (code `crash_loop`) after it crashed its worker too often.
 * @example
 * crashLoopMessage("order:42", 6); // "run order:42 crashed its worker 6 times in a row with no new journal entry; fix the cause and retry it (durable retry order:42)"
 */
export function crashLoopMessage(runId: string, crashes: number | string): string {
  return `run ${runId} crashed its worker ${crashes} times in a row with no new journal entry; fix the cause and retry it (durable retry ${runId})`;
}

/**
 * `crashLoopMessage` as a Postgres `format()` string: `%1$s` is the run id, `%2$s` the crash count.
 * @example
 * sql`format(${CRASH_LOOP_FORMAT}::text, r.id, r.recoveries + 1)`
 */
export const CRASH_LOOP_FORMAT = crashLoopMessage("%1$s", "%2$s");

/**
 * The error a run cancelled before it started (or while `blocked`) is stored with.
 * @example
 * run.error = cancelledError(run.id, "customer left");
 */
export function cancelledError(runId: string, reason: string): ErrorData {
  return { name: "CancelledError", code: "cancelled", message: cancelledMessage(runId, reason) };
}

/**
 * The error a run parked as `blocked` after `crashes` crashes of its worker is stored with.
 * @example
 * run.error = crashLoopError(run.id, run.recoveries);
 */
export function crashLoopError(runId: string, crashes: number): ErrorData {
  return { name: "CrashLoopError", code: "crash_loop", message: crashLoopMessage(runId, crashes) };
}
