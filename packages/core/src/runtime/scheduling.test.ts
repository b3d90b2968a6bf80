import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { closeHarnesses, setup, until } from "../__tests__/harness.js";
import { memoryStore, schedule, TestClock, ValidationError, workflow } from "../index.js";

afterEach(closeHarnesses);

const report = workflow({ name: "report", input: z.object({ team: z.string() }) }, async (ctx, { team }) =>
  ctx.call("build", () => `report for ${team}`),
);

describe("schedules", () => {
  it("refuses a bad cron expression or catchUp with a ValidationError", () => {
    expect(() => schedule({ name: "s", cron: "not cron", workflow: report, input: { team: "a" } })).toThrow(
      /schedule "s": cron "not cron" is invalid/,
    );
    expect(() =>
      schedule({
        name: "s",
        cron: "* * * * *",
        workflow: report,
        input: { team: "a" },
        catchUp: "sometimes" as never,
      }),
    ).toThrow(ValidationError);
  });

  it("starts one run per tick across several workers, with ids derived from the tick", async () => {
    const hourly = schedule({ name: "hourly", cron: "0 * * * *", workflow: report, input: { team: "ops" } });
    const clock = new TestClock(new Date("2030-01-01T00:30:00Z"));
    const h = setup([report], { clock, worker: { schedules: [hourly] } });
    await Promise.all([h.newWorker().start(), h.newWorker().start(), h.newWorker().start()]);
    for (const hour of ["01", "02", "03"]) {
      h.clock.setTime(new Date(`2030-01-01T${hour}:00:00Z`));
      const id = `hourly@2030-01-01T${hour}:00:00.000Z`;
      await until(async () => (await h.client.get(id))?.status === "completed");
    }
    const runs = await h.client.list({ workflow: "report" });
    expect(runs.map((r) => r.id).sort()).toEqual([
      "hourly@2030-01-01T01:00:00.000Z",
      "hourly@2030-01-01T02:00:00.000Z",
      "hourly@2030-01-01T03:00:00.000Z",
    ]);
    expect(runs[0]?.output).toBe("report for ops");
    expect(runs[0]?.tags).toMatchObject({ "durable.schedule": "hourly" });
  });

  it.each([
    ["once", ["04:00"]],
    ["skip", []],
    ["all", ["02:00", "03:00", "04:00"]],
  ] as const)(
    "with catchUp %s, starts %j for ticks missed while no worker ran",
    async (catchUp, expected) => {
      const hourly = schedule({
        name: `catch-${catchUp}`,
        cron: "0 * * * *",
        workflow: report,
        input: { team: "x" },
        catchUp,
      });
      const clock = new TestClock(new Date("2030-01-01T00:30:00Z"));
      const store = memoryStore({ clock });
      const first = setup([report], { clock, store, worker: { schedules: [hourly] } });
      await first.newWorker().start();
      clock.setTime(new Date("2030-01-01T01:00:00Z"));
      await until(async () => (await first.client.list()).length === 1);
      await first.close();
      clock.setTime(new Date("2030-01-01T04:30:00Z"));
      const second = setup([report], { clock, store, worker: { schedules: [hourly] } });
      await second.newWorker().start();
      await until(async () => (await second.client.list()).length === 1 + expected.length);
      await new Promise((r) => setTimeout(r, 20));
      const ticks = (await second.client.list()).map((r) => r.tags["durable.tick"]?.slice(11, 16)).sort();
      expect(ticks).toEqual(["01:00", ...expected]);
    },
  );
});

describe("flow control", () => {
  it("caps running runs per key and says which limit holds a pending run", async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((r) => (release = r));
    const emails = workflow(
      {
        name: "emails",
        input: z.object({ user: z.string() }),
        concurrency: { limit: 1, key: (i) => i.user },
      },
      async (ctx, { user }) =>
        ctx.call("send", async () => {
          await gate;
          return user;
        }),
    );
    const h = setup([emails]);
    await h.newWorker().start();
    await h.client.start(emails, { user: "u1" }, { id: "a" });
    await h.client.start(emails, { user: "u1" }, { id: "b" });
    await h.client.start(emails, { user: "u2" }, { id: "c" });
    await until(async () => (await h.client.get("b"))?.heldBy === "concurrency:emails/key=u1");
    expect((await h.client.get("b"))?.status).toBe("pending");
    expect((await h.client.get("c"))?.status).toBe("running");
    release?.();
    for (const id of ["a", "b", "c"]) expect((await h.settle(id)).status).toBe("completed");
    expect((await h.client.get("b"))?.heldBy).toBeUndefined();
  });

  it("limits starts per period and runs the held run when the window frees", async () => {
    const calls = workflow({ name: "calls", rateLimit: { limit: 2, period: "1m" } }, async (ctx) =>
      ctx.now(),
    );
    const h = setup([calls]);
    await h.newWorker().start();
    const start = h.clock.now();
    for (const id of ["r1", "r2", "r3"]) await h.client.start(calls, undefined, { id });
    await until(async () => (await h.client.get("r3"))?.heldBy === "rateLimit:calls");
    const r3 = await h.settle("r3");
    expect(r3.startedAt?.getTime()).toBeGreaterThanOrEqual(start + 60_000);
    expect((await h.settle("r1")).startedAt?.getTime()).toBe(start);
  });

  it("runs higher priority runs first", async () => {
    const order: string[] = [];
    const jobs = workflow(
      {
        name: "jobs",
        input: z.object({ id: z.string(), urgent: z.boolean() }),
        priority: (i) => (i.urgent ? 10 : 0),
      },
      async (ctx, { id }) => ctx.call("work", () => order.push(id)),
    );
    const h = setup([jobs], { worker: { concurrency: 1 } });
    for (const [id, urgent] of [
      ["low1", false],
      ["high", true],
      ["low2", false],
    ] as const) {
      await h.client.start(jobs, { id, urgent }, { id });
    }
    await h.newWorker().start();
    for (const id of ["low1", "high", "low2"]) await h.settle(id);
    expect(order[0]).toBe("high");
  });

  it("debounces starts: the last start in the window wins", async () => {
    const sync = workflow(
      {
        name: "sync",
        input: z.object({ doc: z.string(), rev: z.number() }),
        debounce: { period: "10s", key: (i) => i.doc },
      },
      async (_ctx, { rev }) => rev,
    );
    const h = setup([sync]);
    const first = await h.client.start(sync, { doc: "d1", rev: 1 });
    h.clock.advance("5s");
    const second = await h.client.start(sync, { doc: "d1", rev: 2 });
    const other = await h.client.start(sync, { doc: "d2", rev: 7 });
    expect(second.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect((await h.client.get(first.id))?.wakeAt?.getTime()).toBe(h.clock.now() + 10_000);
    await h.newWorker().start();
    expect((await h.settle(first.id)).output).toBe(2);
    expect((await h.settle(other.id)).output).toBe(7);
    expect(await h.client.list({ workflow: "sync" })).toHaveLength(2);
  });

  it("refuses a key function that throws, before writing", async () => {
    const bad = workflow(
      {
        name: "bad-key",
        concurrency: {
          limit: 1,
          key: () => {
            throw new Error("no tenant");
          },
        },
      },
      async () => 1,
    );
    const h = setup([bad]);
    await expect(h.client.start(bad, undefined)).rejects.toThrow(
      'workflow "bad-key": concurrency.key(input) threw: no tenant',
    );
    expect(await h.client.list()).toEqual([]);
  });
});
