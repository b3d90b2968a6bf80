import { type Client, type RunInfo, type Store, TERMINAL_STATUSES } from "@durable/core";
import { formatTime } from "./format.js";

/** What a run that is not running waits for. */
export interface RunWaits {
  /** A durable timer: a sleep's end, a wait's timeout, or a delayed start. */
  until?: Date;
  /** Events it waits for (`waitForEvent`). */
  events: string[];
  /** Children it has started that have not finished. */
  children: string[];
  /** The flow-control limit that holds it back (`concurrency:emails`). */
  heldBy?: string;
}

/**
 * What a pending or suspended run waits for; `undefined` for a run that is running or has finished.
 * @example
 * const waits = await runWaits(client, store, run); // { until, events: ["approved"], children: [] }
 */
export async function runWaits(client: Client, store: Store, run: RunInfo): Promise<RunWaits | undefined> {
  if (run.status !== "pending" && run.status !== "suspended") return undefined;
  const record = await store.getRun(run.id);
  const children = await client.list({ parentId: run.id, limit: 1000 });
  const waits: RunWaits = {
    events: record?.waitingFor ?? [],
    children: children.filter((c) => !TERMINAL_STATUSES.includes(c.status)).map((c) => c.id),
  };
  if (run.wakeAt) waits.until = run.wakeAt;
  if (run.heldBy) waits.heldBy = run.heldBy;
  return waits;
}

/**
 * A run's waits in words: `sleep until 2030-01-01 09:00:00.000Z`, `event approved (or until ...)`,
 * `child order:42:ship`, `held by concurrency:emails`.
 * @example
 * describeWaits({ events: ["approved"], children: [], until: new Date(0) }); // "event approved (or until 1970-...)"
 */
export function describeWaits(waits: RunWaits, status: RunInfo["status"], now = Date.now()): string {
  const parts: string[] = [];
  if (waits.heldBy) parts.push(`held by ${waits.heldBy}`);
  if (waits.events.length > 0)
    parts.push(`event${waits.events.length > 1 ? "s" : ""} ${waits.events.join(", ")}`);
  if (waits.children.length > 0)
    parts.push(`child${waits.children.length > 1 ? "ren" : ""} ${waits.children.join(", ")}`);
  const waiting = parts.length > 0;
  if (waits.until) {
    const at = formatTime(waits.until);
    const due = waits.until.getTime() <= now;
    if (waiting) parts[parts.length - 1] += `, or until ${at}`;
    else if (due) parts.push(`due since ${at}: a worker to ${status === "pending" ? "claim" : "resume"} it`);
    else parts.push(status === "pending" ? `start at ${at}` : `sleep until ${at}`);
  }
  if (parts.length === 0) return status === "pending" ? "a worker to claim it" : "a worker to resume it";
  return parts.join("; ");
}
