import { describe, expect, it } from "vitest";
import { type FlowCandidate, FlowLimits } from "./flow-limits.js";

const NOW = 1_700_000_000_000_000;
const run = (id: string, overrides: Partial<FlowCandidate> = {}): FlowCandidate => ({
  id,
  status: "pending",
  queue: "q",
  concurrencyKey: null,
  rateKey: null,
  attempts: 0,
  recoveries: 0,
  suspect: false,
  isolated: false,
  ...overrides,
});

describe("FlowLimits", () => {
  it("adds the runs a batch takes to the database's count of running runs", () => {
    const flow = new FlowLimits([{ queue: "q", concurrency: { limit: 3, perKey: false } }], NOW);
    flow.addCounts([{ kind: "concurrency", queue: "q", key: null, running: 1 }]);
    const verdicts = ["a", "b", "c"].map((id) => flow.judge(run(id)));
    expect(verdicts.map((v) => v.action)).toEqual(["claim", "claim", "hold"]);
    expect(verdicts[2]).toMatchObject({ heldBy: "concurrency:q" });
    expect(flow.saturated()).toEqual(["concurrency:q"]);
  });

  it("keeps a batch's picks when a later page brings the database's count of the same group", () => {
    const flow = new FlowLimits([{ queue: "q", concurrency: { limit: 1, perKey: true } }], NOW);
    expect(flow.judge(run("a", { concurrencyKey: "u1" })).action).toBe("claim");
    flow.addCounts([{ kind: "concurrency", queue: "q", key: "u1", running: 0 }]);
    expect(flow.judge(run("b", { concurrencyKey: "u1" }))).toMatchObject({
      action: "hold",
      heldBy: "concurrency:q/key=u1",
    });
  });

  it("counts a run without a key against its whole queue under a per-key limit", () => {
    const flow = new FlowLimits([{ queue: "q", concurrency: { limit: 1, perKey: true } }], NOW);
    flow.addCounts([{ kind: "concurrency", queue: "q", key: null, running: 1 }]);
    expect(flow.judge(run("a"))).toMatchObject({ action: "hold", heldBy: "concurrency:q" });
  });

  it("makes a rate-limited run due when the oldest counted start leaves the window, this batch's starts newest", () => {
    const periodMs = 1_000;
    const flow = new FlowLimits([{ queue: "q", rateLimit: { limit: 3, periodMs, perKey: false } }], NOW);
    const earlier = [NOW - 100, NOW - 500];
    flow.addCounts([{ kind: "rateLimit", queue: "q", key: null, starts: earlier }]);
    expect(flow.judge(run("a")).action).toBe("claim");
    expect(flow.judge(run("b"))).toMatchObject({ wakeAtUs: NOW - 500 + periodMs * 1_000 });
    const only = new FlowLimits([{ queue: "q", rateLimit: { limit: 1, periodMs, perKey: false } }], NOW);
    only.addCounts([{ kind: "rateLimit", queue: "q", key: null, starts: [] }]);
    expect(only.judge(run("a")).action).toBe("claim");
    expect(only.judge(run("b"))).toMatchObject({ wakeAtUs: NOW + periodMs * 1_000 });
  });

  it("never holds a run whose lease expired", () => {
    const flow = new FlowLimits([{ queue: "q", concurrency: { limit: 1, perKey: false } }], NOW);
    flow.addCounts([{ kind: "concurrency", queue: "q", key: null, running: 5 }]);
    expect(flow.judge(run("a", { status: "running", attempts: 1 })).action).toBe("claim");
    expect(
      flow.judge(run("b", { status: "running", attempts: 4, recoveries: 3, suspect: true })).action,
    ).toBe("claim");
  });

  it("leaves runs of queues without limits alone", () => {
    const flow = new FlowLimits([{ queue: "q", concurrency: { limit: 1, perKey: false } }], NOW);
    expect(["a", "b"].map((id) => flow.judge(run(id, { queue: "other" })).action)).toEqual([
      "claim",
      "claim",
    ]);
  });
});
