import { isActiveStatus } from "@durable/core";
import { formatTime } from "../html/format-time.js";
import type { RunView } from "./load-run-view.js";

/** One thing a run that has not finished is waiting on, in words. */
export interface WaitDescription {
  kind: "event" | "retry" | "child" | "sleep" | "due" | "held" | "running" | "unknown";
  title: string;
  subtitle: string;
  /** When the wait ends by itself (a timer, a timeout, a retry), if it does. */
  until?: Date;
}

/**
 * What an unfinished run waits for: events (from the store's `waitingFor`; the run's `wakeAt` is then
 * their timeout), step retries, unfinished children, a timer, or a flow-control limit. Empty for a
 * finished or blocked run.
 * @example
 * describeWaits(view); // [{ kind: "event", title: 'waiting for event "approved"', subtitle: "times out 2030-01-04 00:00:00", ... }]
 */
export function describeWaits(view: RunView): WaitDescription[] {
  const { run, waiting, children } = view;
  if (!isActiveStatus(run.status)) return [];
  const wake = run.wakeAt;
  const at = (prefix: string) => (wake ? `${prefix} ${formatTime(wake)}` : "");
  const timed = (d: Omit<WaitDescription, "until">): WaitDescription => (wake ? { ...d, until: wake } : d);
  if (run.status === "running") return [{ kind: "running", title: "running", subtitle: "a worker holds it" }];
  if (run.status === "pending") {
    if (run.heldBy) return [timed({ kind: "held", title: "held back", subtitle: `by ${run.heldBy}` })];
    return [
      timed({ kind: "due", title: run.attempts === 0 ? "not started" : "due again", subtitle: at("due") }),
    ];
  }
  const waits: WaitDescription[] = [];
  for (const name of waiting?.events ?? []) {
    waits.push(timed({ kind: "event", title: `waiting for event "${name}"`, subtitle: at("times out") }));
  }
  for (const { seq, retry } of waiting?.retries ?? []) {
    waits.push({
      kind: "retry",
      title: `retrying step #${seq}`,
      subtitle: `attempt ${retry.attempts + 1} at ${formatTime(new Date(retry.nextAt))} (${retry.lastError.message})`,
      until: new Date(retry.nextAt),
    });
  }
  for (const child of children.filter((c) => isActiveStatus(c.status))) {
    waits.push({ kind: "child", title: `child "${child.workflow}" ${child.status}`, subtitle: child.id });
  }
  if (waits.length === 0 && wake)
    waits.push(timed({ kind: "sleep", title: "sleeping", subtitle: at("until") }));
  if (waits.length === 0) waits.push({ kind: "unknown", title: run.status, subtitle: "" });
  return waits;
}
