import { afterEach, describe, expect, it } from "vitest";
import { closeHarnesses, setup, until } from "../__tests__/harness.js";
import {
  LeaseLostError,
  memoryStore,
  silentLogger,
  TestClock,
  ValidationError,
  Worker,
  workflow,
} from "../index.js";

afterEach(closeHarnesses);

describe("Worker", () => {
  it("refuses two workflows with one name", () => {
    const a = workflow({ name: "same" }, async () => 1);
    const b = workflow({ name: "same" }, async () => 2);
    expect(() => new Worker({ store: memoryStore(), workflows: [a, b], logger: silentLogger })).toThrow(
      'two workflows are named "same"; workflow names must be unique per worker',
    );
  });

  it("refuses a bad foreignAwait or retryHold when it is built, before it claims anything", async () => {
    const store = memoryStore();
    const wf = workflow({ name: "w" }, async () => 1);
    await store.createRun({ id: "r", workflow: "w", version: "1", input: { f: "sj1", json: null } });
    for (const [option, value] of [
      ["foreignAwait", "5 seconds"],
      ["retryHold", "-1s"],
    ] as const) {
      const build = () => new Worker({ store, workflows: [wf], logger: silentLogger, [option]: value });
      expect(build).toThrow(ValidationError);
      expect(build).toThrow(option);
    }
    expect((await store.getRun("r"))?.status).toBe("pending");
  });

  it("never runs more runs at once than its concurrency", async () => {
    let running = 0;
    let most = 0;
    const wf = workflow({ name: "busy" }, async (ctx) =>
      ctx.call("work", async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 3));
        running--;
        return "done";
      }),
    );
    const h = setup([wf], { worker: { concurrency: 3 } });
    await h.newWorker().start();
    const handles = await Promise.all(Array.from({ length: 12 }, () => h.client.start(wf, undefined)));
    for (const handle of handles) await h.settle(handle.id);
    expect(most).toBe(3);
    expect(await Promise.all(handles.map((x) => x.result()))).toEqual(Array(12).fill("done"));
  });

  it("fences a worker that lost its lease: its journal writes are refused and it drops the run", async () => {
    const clock = new TestClock();
    const store = memoryStore({ clock });
    const wf = workflow({ name: "fenced" }, async (ctx) => ctx.call("a", () => "a"));
    await store.createRun({ id: "r", workflow: "fenced", version: "1", input: { f: "sj1", json: null } });
    const [first] = await store.claimRuns({ owner: "w1", limit: 1, leaseMs: 1_000, workflows: ["fenced"] });
    clock.advance("2s");
    const [second] = await store.claimRuns({ owner: "w2", limit: 1, leaseMs: 1_000, workflows: ["fenced"] });
    expect(second?.lease.epoch).toBe((first?.lease.epoch ?? 0) + 1);
    expect(second?.run).toMatchObject({ recoveries: 0, suspect: true });
    const entry = {
      kind: "call" as const,
      seq: 0,
      name: "a",
      order: 0,
      outcome: "ok" as const,
      result: { f: "sj1", json: "a" },
      attempts: 1,
      startedAt: new Date(clock.now()),
    };
    await expect(store.appendJournal(first!.lease, entry)).rejects.toThrow(LeaseLostError);
    await expect(
      store.finishRun(first!.lease, { status: "completed", output: entry.result }),
    ).rejects.toThrow(LeaseLostError);
    await store.appendJournal(second!.lease, entry);
    expect(await store.readJournal("r")).toHaveLength(1);
    expect(wf.name).toBe("fenced");
  });

  it("renews its leases on a heartbeat so a long step keeps its run", async () => {
    let release: (() => void) | undefined;
    const wf = workflow({ name: "long" }, async (ctx) =>
      ctx.call("slow", () => new Promise<string>((r) => (release = () => r("ok")))),
    );
    const h = setup([wf], { worker: { leaseMs: 60_000, heartbeatMs: 5 } });
    await h.newWorker().start();
    await h.client.start(wf, undefined, { id: "l" });
    await until(() => release !== undefined);
    const first = (await h.store.getRun("l"))?.leaseExpiresAt?.getTime() ?? 0;
    h.clock.advance("30s");
    await until(async () => ((await h.store.getRun("l"))?.leaseExpiresAt?.getTime() ?? 0) > first);
    h.clock.advance("45s");
    release?.();
    expect((await h.settle("l")).output).toBe("ok");
    expect((await h.store.getRun("l"))?.leaseEpoch).toBe(1);
  });

  it("stops gracefully: in-flight steps finish and are journaled, then every lease is released at once", async () => {
    let release: (() => void) | undefined;
    let started = 0;
    const wf = workflow({ name: "graceful" }, async (ctx) => {
      await ctx.call("first", () => {
        started++;
        return new Promise<string>((r) => (release = () => r("first")));
      });
      return ctx.call("second", () => "second");
    });
    const h = setup([wf]);
    const worker = h.newWorker();
    await worker.start();
    await h.client.start(wf, undefined, { id: "g" });
    await until(() => release !== undefined);
    const stopping = worker.stop({ graceMs: 10_000 });
    await new Promise((r) => setTimeout(r, 5));
    release?.();
    await stopping;
    const run = await h.store.getRun("g");
    expect(run?.status).toBe("pending");
    expect(run?.leaseOwner).toBeUndefined();
    expect((await h.client.journal("g")).map((e) => e.name)).toEqual(["first"]);
    const next = h.newWorker();
    await next.start();
    expect((await h.settle("g")).output).toBe("second");
    expect(started).toBe(1);
  });

  it("parks a run that keeps crashing its worker as blocked with code crash_loop", async () => {
    const clock = new TestClock();
    const store = memoryStore({ clock });
    await store.createRun({ id: "boom", workflow: "boom", version: "1", input: { f: "sj1", json: null } });
    // The first crash makes it a suspect, the second isolates it; the next three are charged to it.
    for (let i = 0; i < 6; i++) {
      const claimed = await store.claimRuns({
        owner: `w${i}`,
        limit: 1,
        leaseMs: 1_000,
        workflows: ["boom"],
        maxRecoveries: 2,
      });
      expect(claimed).toHaveLength(i < 5 ? 1 : 0);
      clock.advance("2s");
    }
    const run = await store.getRun("boom");
    expect(run?.status).toBe("blocked");
    expect(run?.error?.code).toBe("crash_loop");
    expect(run?.error?.message).toMatch(
      /crashed its worker 3 times in a row with no new journal entry; fix the cause and retry it \(durable retry boom\)/,
    );
  });

  it("runs the isolated runs of twice-crashed workers one at a time, charging none of them", async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let most = 0;
    let inStep = 0;
    const wf = workflow({ name: "orphan" }, async (ctx) =>
      ctx.call("work", async () => {
        inStep++;
        most = Math.max(most, inStep);
        await gate;
        inStep--;
        return "done";
      }),
    );
    let claims = 0;
    const observer = { claimed: () => void claims++ };
    const h = setup([wf], { worker: { concurrency: 10, recoveryBackoff: 0, observer } });
    const ids = ["a", "b", "c"];
    for (const id of ids) await h.client.start(wf, undefined, { id });
    // Two workers died holding the three: taken over once they are suspects, twice isolated.
    for (const owner of ["dead", "dead-too"]) {
      await h.store.claimRuns({ owner, limit: 3, leaseMs: 1_000, workflows: ["orphan"], suspects: 0 });
      h.clock.advance("2s");
    }
    const worker = h.newWorker();
    await worker.start();
    await until(() => inStep === 1);
    // Claims keep coming (polls, wakes); none takes a second isolated run while the first one runs.
    for (let i = 0; i < 3; i++) {
      const before = claims;
      worker.poke();
      await until(() => claims > before);
    }
    expect(worker.activeRuns).toBe(1);
    release?.();
    for (const id of ids) expect((await h.settle(id)).output).toBe("done");
    expect(most).toBe(1);
    const runs = await Promise.all(ids.map((id) => h.store.getRun(id)));
    expect(runs.map((r) => [r?.recoveries, r?.suspect, r?.isolated])).toEqual(
      ids.map(() => [0, undefined, undefined]),
    );
  });

  it("warns when a workflow body calls Date.now(), new Date(), Math.random() or setTimeout", async () => {
    const wf = workflow({ name: "sloppy" }, async (ctx) => {
      const t = Date.now();
      const d = new Date();
      const r = Math.random();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await ctx.call("fine", () => [Date.now(), new Date(), Math.random()]);
      return [t, d, r].length;
    });
    const h = setup([wf]);
    await h.run(wf, undefined);
    const warnings = h.logs.filter((l) => l.level === 40 && l.workflow === "sloppy");
    expect(warnings.map((w) => w.api)).toEqual(["Date.now()", "new Date()", "Math.random()", "setTimeout"]);
    expect(warnings[0]?.msg).toMatch(
      /workflow "sloppy" calls Date\.now\(\) in its body at .*worker\.test\.ts:\d+:\d+.*: it will differ on replay; use ctx\.now\(\)/,
    );
    expect(warnings[2]?.msg).toMatch(/use ctx\.random\(\)/);
  });

  it("parks a run whose workflow awaits something outside ctx, saying what to do", async () => {
    const wf = workflow({ name: "foreign" }, async (ctx) => {
      await ctx.call("first", () => 1);
      await new Promise(() => {});
    });
    const h = setup([wf], { worker: { foreignAwait: "20ms" } });
    await expect(h.run(wf, undefined, { id: "f" })).rejects.toThrow(
      "run f no longer replays: the workflow awaits something that is not a ctx call (a fetch, a timer or another promise in the workflow body) after seq 0; move it into ctx.call",
    );
    expect((await h.client.get("f"))?.status).toBe("blocked");
  });
});
