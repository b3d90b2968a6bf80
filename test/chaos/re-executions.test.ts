import { describe, expect, it } from "vitest";
import type { ExecutionRow } from "../support/execution-checks.js";
import type { FaultRecord } from "./faults.js";
import { FAULT_KINDS, planFaults } from "./faults.js";
import { seededRandom } from "./random.js";
import { reExecutions } from "./re-executions.js";

const LEASE = 5_000;
const T0 = Date.UTC(2026, 0, 1);

function execution(id: number, pid: number, startMs: number, endMs: number | null): ExecutionRow {
  return {
    id,
    runId: "r",
    step: "step-1",
    pid,
    startedAt: new Date(T0 + startMs),
    endedAt: endMs === null ? null : new Date(T0 + endMs),
    journaled: false,
  };
}

const twice = [execution(1, 100, 0, null), execution(2, 200, 7_000, 7_020)];
const fault = (f: Partial<FaultRecord> & Pick<FaultRecord, "kind">): FaultRecord => ({
  phase: "p",
  at: T0 + 100,
  end: T0 + 100,
  ...f,
});

describe("the cause of a re-execution", () => {
  it("is unexplained when no fault is near it", () => {
    expect(reExecutions(twice, [fault({ kind: "kill", pid: 300 })], LEASE).map((r) => r.cause)).toEqual([
      "unexplained",
    ]);
  });

  it("is the kill of the process that ran the execution before it", () => {
    expect(reExecutions(twice, [fault({ kind: "kill", pid: 100 })], LEASE)[0]?.cause).toBe("kill");
  });

  it("is a stop of either process that overlaps the two executions", () => {
    const stop = fault({ kind: "stop", pid: 200, at: T0 - 500, end: T0 + 6_000 });
    expect(reExecutions(twice, [stop], LEASE)[0]?.cause).toBe("stop");
  });

  it("is a database fault only from shortly before the first execution to a lease after it", () => {
    const near = fault({ kind: "terminate", at: T0 + 3_000, end: T0 + 3_000 });
    const early = fault({ kind: "restart-fast", at: T0 - 8_000, end: T0 - 7_500 });
    expect(reExecutions(twice, [near], LEASE)[0]?.cause).toBe("terminate");
    expect(reExecutions(twice, [early], LEASE)[0]?.cause).toBe("unexplained");
  });

  it("counts nothing for a step executed once", () => {
    expect(reExecutions([execution(1, 100, 0, 10)], [], LEASE)).toEqual([]);
  });
});

describe("the fault plan", () => {
  it("is the same for one seed and holds every kind in each five consecutive faults", () => {
    const plan = planFaults(seededRandom(7), 20, [5_000, 10_000]);
    expect(planFaults(seededRandom(7), 20, [5_000, 10_000])).toEqual(plan);
    for (let i = 0; i < 20; i += 5) {
      expect(new Set(plan.slice(i, i + 5).map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    }
    expect(plan.every((f) => f.delayMs >= 5_000 && f.delayMs <= 10_000)).toBe(true);
  });
});
