import { encode, type JournalEntry, type RunInfo } from "@durable/core";
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { renderRuns } from "./runs-table.js";
import { renderTimeline } from "./timeline.js";

const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 9, 0, s));
const plain = pc.createColors(false);

const run: RunInfo = {
  id: "order:42",
  workflow: "order",
  version: "1",
  status: "failed",
  input: { orderId: "42" },
  error: { name: "StepFailedError", message: 'step "ship" failed', code: "step_failed" },
  tags: { customer: "c-9" },
  attempts: 2,
  createdAt: t(0),
  startedAt: t(1),
  finishedAt: t(9),
};

const entry = (
  seq: number,
  kind: JournalEntry["kind"],
  name: string,
  value: unknown,
  took = 1,
): JournalEntry =>
  ({
    kind,
    runId: run.id,
    seq,
    name,
    order: seq,
    attempts: 1,
    startedAt: t(seq),
    completedAt: new Date(t(seq).getTime() + took),
    outcome: "ok",
    result: encode(value, "test"),
  }) as JournalEntry;

const journal: JournalEntry[] = [
  entry(0, "call", "reserve", "res-1", 12),
  entry(1, "sleep", "sleep", { until: t(3) }, 2000),
  entry(2, "decide", "in-stock", true),
  {
    kind: "call",
    runId: run.id,
    seq: 3,
    name: "ship",
    order: 3,
    attempts: 3,
    startedAt: t(4),
    completedAt: t(8),
    outcome: "error",
    error: { name: "CarrierError", message: "no trucks" },
  },
];

describe("show's timeline", () => {
  it("lists the run's facts, then one line per entry with what it recorded", () => {
    const text = renderTimeline(run, journal, plain);
    expect(text).toContain("run       order:42\n");
    expect(text).toContain('error     StepFailedError [step_failed]: step "ship" failed\n');
    expect(text).toContain("finished  2030-01-01 09:00:09.000Z (8s after start)\n");
    expect(text).toContain("tags      customer=c-9\n");
    const lines = text.split("\n");
    expect(lines).toContain('0    call    reserve   ok       12ms      1         result "res-1"');
    expect(lines).toContain(
      "1    sleep   sleep     ok       2s                  due 2030-01-01 09:00:03.000Z, woke 2030-01-01 09:00:03.000Z",
    );
    expect(lines).toContain("2    decide  in-stock  ok       1ms                 value true");
    expect(lines).toContain("3    call    ship      error    4s        3         CarrierError: no trucks");
  });

  it("colours statuses and outcomes on a terminal and nowhere else", () => {
    expect(renderTimeline(run, journal, pc.createColors(true))).toContain("\u001b[31mfailed");
    expect(renderTimeline(run, journal, plain)).not.toContain("\u001b[");
  });

  it("says so when a run has no journal yet", () => {
    expect(renderTimeline({ ...run, status: "pending" }, [], plain)).toContain("no journal entries yet");
  });
});

describe("the runs table", () => {
  it("shows one aligned row per run with its error and tags", () => {
    const text = renderRuns([run], plain);
    expect(text.split("\n")[0]).toMatch(/^ID\s+WORKFLOW\s+STATUS\s+CREATED\s+WHEN\s+NOTE\s+TAGS$/);
    expect(text).toContain(
      "order:42  order     failed  2030-01-01 09:00:00.000Z  finished 2030-01-01 09:00:09.000Z",
    );
    expect(text).toContain("customer=c-9");
    expect(renderRuns([], plain)).toBe("no runs\n");
  });
});
