import { encode, JOURNAL_EXPORT_FORMAT, type JournalEntry, type RunInfo } from "@durable/core";
import { describe, expect, it } from "vitest";
import type { RunView } from "../views/load-run-view.js";
import { renderStateMachine } from "./render-state-machine.js";
import { buildPath } from "./state-machine.js";

const T0 = Date.UTC(2030, 0, 1);

function entry(
  seq: number,
  kind: JournalEntry["kind"],
  name: string,
  value: unknown,
  order = seq,
): JournalEntry {
  const at = new Date(T0 + seq * 60_000);
  return {
    kind,
    runId: "r",
    seq,
    name,
    order,
    attempts: 1,
    startedAt: at,
    completedAt: at,
    outcome: "ok",
    result: encode(value, "test"),
  } as JournalEntry;
}

function view(journal: JournalEntry[], run: Partial<RunInfo> = {}): RunView {
  return {
    run: {
      id: "r",
      workflow: "wf",
      version: "1",
      status: "completed",
      input: {},
      tags: {},
      attempts: 1,
      createdAt: new Date(T0),
      finishedAt: new Date(T0 + 3_600_000),
      ...run,
    },
    journal,
    children: [],
    now: new Date(T0 + 3_600_000),
    exported: {
      format: JOURNAL_EXPORT_FORMAT,
      runId: "r",
      workflow: "wf",
      version: "1",
      input: encode({}, "test"),
      status: "completed",
      createdAt: new Date(T0),
      entries: journal,
    },
  };
}

const shapes = (v: RunView) =>
  buildPath(v).nodes.map((n) => (n.seq === undefined ? n.shape : `${n.shape}#${n.seq}`));

describe("buildPath", () => {
  it("orders nodes by delivery, not by the order the code issued the commands", () => {
    const v = view([entry(0, "call", "slow", 1, 1), entry(1, "call", "fast", 2, 0)]);
    expect(shapes(v)).toEqual(["start", "compute#1", "compute#0", "end"]);
  });

  it("folds a block repeated back to back, keeping decisions with other values apart", () => {
    const journal = [
      entry(0, "decide", "ready", false),
      entry(1, "sleep", "sleep", { until: new Date(T0) }),
      entry(2, "decide", "ready", false),
      entry(3, "sleep", "sleep", { until: new Date(T0) }),
      entry(4, "decide", "ready", false),
      entry(5, "sleep", "sleep", { until: new Date(T0) }),
      entry(6, "decide", "ready", true),
    ];
    const model = buildPath(view(journal));
    expect(model.nodes.map((n) => n.seq)).toEqual([undefined, 0, 1, 6, undefined]);
    expect(model.loops).toEqual([{ first: 1, last: 2, times: 3 }]);
    expect(model.edges.map((e) => e.label ?? "")).toEqual(["", "false", "", "true"]);
  });

  it("does not fold decisions whose values differ", () => {
    const journal = [entry(0, "decide", "n", 1), entry(1, "decide", "n", 2), entry(2, "decide", "n", 3)];
    expect(buildPath(view(journal)).loops).toEqual([]);
  });

  it("labels the edge out of a failed step with error and colours the end by status", () => {
    const failed: JournalEntry = {
      ...(entry(0, "call", "charge", null) as JournalEntry & { outcome: "ok" }),
      outcome: "error",
      error: { name: "Error", message: "declined" },
    } as unknown as JournalEntry;
    const model = buildPath(
      view([failed], { status: "failed", error: { name: "StepFailedError", message: "step failed" } }),
    );
    expect(model.edges[1]).toMatchObject({ label: "error", tone: "error" });
    expect(model.nodes.at(-1)).toMatchObject({ shape: "end", tone: "error", subtitle: "StepFailedError" });
  });

  it("stops at maxNodes and says how many entries it left out", () => {
    const journal = Array.from({ length: 10 }, (_, i) => entry(i, "call", `step-${i}`, i));
    const model = buildPath(view(journal), 4);
    expect(model.omitted).toBe(6);
    expect(renderStateMachine(model, "path").value).toContain("… and 6 more entries");
  });
});

describe("renderStateMachine", () => {
  it("draws each kind with its own shape and escapes every text", () => {
    const journal = [
      entry(0, "call", "a<b>", 1),
      entry(1, "sleep", "sleep", { until: new Date(T0 + 3_600_000) }),
      entry(2, "decide", "d", "x<y"),
      entry(3, "event", "e&f", { ok: true }),
      entry(4, "child", "kid", 1),
    ];
    const svg = renderStateMachine(buildPath(view(journal)), 'path of "r"').value;
    expect(svg).toContain('aria-label="path of &quot;r&quot;"');
    expect(svg).toContain(">a&lt;b&gt;</text>");
    expect(svg).toContain("&quot;x&lt;y&quot;");
    expect(svg).toContain(">event &quot;e&amp;f&quot;</text>");
    expect(svg).not.toMatch(/<b>|x<y|e&f/);
    for (const shape of ["compute", "delay", "decision", "event", "child", "start", "end"]) {
      expect(svg).toContain(`node-${shape}`);
    }
    expect(svg).toContain('<rect class="shape-inner"');
    expect(svg).toContain('<g class="glyph">');
  });
});
