import { type ExecutionRow, groupBy } from "../support/execution-checks.js";
import type { FaultRecord } from "./faults.js";

/** Why a step ran again: the fault that explains it, or `unexplained`. */
export type ReExecutionCause = FaultRecord["kind"] | "unexplained";

/** One execution of a step beyond its first, with its cause. */
export interface ReExecution {
  runId: string;
  step: string;
  /** The execution before it: its process and start. */
  previousPid: number;
  previousAt: string;
  pid: number;
  at: string;
  cause: ReExecutionCause;
}

const SLACK_MS = 1_000;

/**
 * Explains every re-execution by a fault near it: a kill or poison of the process that ran the previous
 * execution, between that execution's start and the next one's; a stop of either process overlapping that
 * span; or a database fault from shortly before the previous execution to a lease after it.
 * @example
 * const again = reExecutions(await executions(db), faults, 5_000);
 * again.filter((r) => r.cause === "unexplained"); // []
 */
export function reExecutions(
  rows: readonly ExecutionRow[],
  faults: readonly FaultRecord[],
  leaseMs: number,
): ReExecution[] {
  const found: ReExecution[] = [];
  for (const group of groupBy(rows, (e) => `${e.runId}\u0000${e.step}`).values()) {
    const sorted = [...group].sort((a, b) => a.id - b.id);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1] as ExecutionRow;
      const next = sorted[i] as ExecutionRow;
      found.push({
        runId: next.runId,
        step: next.step,
        previousPid: previous.pid,
        previousAt: previous.startedAt.toISOString(),
        pid: next.pid,
        at: next.startedAt.toISOString(),
        cause: causeOf(previous, next, faults, leaseMs),
      });
    }
  }
  return found;
}

function causeOf(
  previous: ExecutionRow,
  next: ExecutionRow,
  faults: readonly FaultRecord[],
  leaseMs: number,
) {
  const from = previous.startedAt.getTime();
  const to = next.startedAt.getTime();
  const previousEnd = previous.endedAt?.getTime() ?? to;
  const explains = (f: FaultRecord): boolean => {
    switch (f.kind) {
      case "kill":
      case "poison":
        return f.pid === previous.pid && f.at >= from - SLACK_MS && f.at <= to;
      case "stop":
        return (f.pid === previous.pid || f.pid === next.pid) && f.at <= to && f.end >= from - SLACK_MS;
      default:
        return f.at - SLACK_MS <= previousEnd && f.end + leaseMs + SLACK_MS >= from;
    }
  };
  const order: ReExecutionCause[] = [
    "poison",
    "kill",
    "stop",
    "restart-immediate",
    "restart-fast",
    "terminate",
  ];
  return order.find((kind) => faults.some((f) => f.kind === kind && explains(f))) ?? "unexplained";
}
