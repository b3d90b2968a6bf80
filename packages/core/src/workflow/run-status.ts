/**
 * Every run status, in the order a run moves through them (`blocked` last: it is parked, not finished).
 * @example
 * for (const status of RUN_STATUSES) console.log(status, counts[status] ?? 0);
 */
export const RUN_STATUSES = [
  "pending",
  "running",
  "suspended",
  "completed",
  "failed",
  "cancelled",
  "blocked",
] as const;

/** The states of a run; `runs.status` holds the same strings. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * The statuses a run never leaves.
 * @example
 * if (TERMINAL_STATUSES.includes(run.status)) console.log("finished");
 */
export const TERMINAL_STATUSES: readonly RunStatus[] = ["completed", "failed", "cancelled"];

/**
 * The statuses of a run that is still going on its own: waiting to start, running, or suspended. A run in
 * any other status is terminal or `blocked` (parked until `retry`).
 * @example
 * const live = await client.list({ status: [...ACTIVE_STATUSES] });
 */
export const ACTIVE_STATUSES: readonly RunStatus[] = ["pending", "running", "suspended"];

/**
 * Whether `status` is one a run never leaves (`completed`, `failed`, `cancelled`).
 * @example
 * isTerminalStatus("failed"); // true
 */
export function isTerminalStatus(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/**
 * Whether a run in `status` still goes on by itself (`pending`, `running`, `suspended`); false for a
 * terminal or `blocked` run, which nothing moves on without a `retry`.
 * @example
 * while (isActiveStatus((await client.get(id))!.status)) await sleep(100);
 */
export function isActiveStatus(status: string): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}
