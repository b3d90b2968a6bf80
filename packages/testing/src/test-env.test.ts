import { StepFailedError, schedule, ValidationError, WorkflowFailedError, workflow } from "@durable/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestEnv } from "./index.js";

const quarterly = workflow({ name: "quarterly" }, async (ctx, customer: string) => {
  const reports: string[] = [];
  for (let quarter = 1; quarter <= 3; quarter++) {
    await ctx.sleep("90d");
    reports.push(await ctx.call(`report-q${quarter}`, () => `${customer}:q${quarter}`));
  }
  return { reports, at: ctx.now().toISOString() };
});

const approval = workflow(
  { name: "approval", events: { approved: z.object({ by: z.string() }) } },
  async (ctx, order: string) => {
    await ctx.call("request", () => `asked for ${order}`);
    const decision = await ctx.waitForEvent("approved");
    return `${order} approved by ${decision?.by}`;
  },
);

const charge = workflow({ name: "charge" }, async (ctx, cents: number) => {
  const receipt = await ctx.call("charge-card", () => ({ ok: cents < 10_000, cents }));
  if (!receipt.ok) throw new Error(`card declined for ${cents} cents`);
  return receipt;
});

describe("createTestEnv on its own", () => {
  it("finishes a run that sleeps 90d three times in under a second of real time", async () => {
    const env = createTestEnv({ workflows: [quarterly] });
    const began = performance.now();
    const out = await env.run(quarterly, "acme");
    expect(performance.now() - began).toBeLessThan(1_000);
    expect(out.reports).toEqual(["acme:q1", "acme:q2", "acme:q3"]);
    expect(out.at).toBe(new Date(Date.UTC(2030, 0, 1) + 270 * 86_400_000).toISOString());
    await env.close();
  });
});

// Each env has its own clock: these tests run side by side.
describe.concurrent("createTestEnv", () => {
  it("returns the output of env.run and throws the run's error", async () => {
    const env = createTestEnv({ workflows: [charge] });
    await expect(env.run(charge, 500)).resolves.toEqual({ ok: true, cents: 500 });
    const failure = await env.run(charge, 50_000).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as Error).message).toContain("card declined for 50000 cents");
    await env.close();
  });

  it("returns a handle from env.start once the run waits, and lets the test move the clock itself", async () => {
    const env = createTestEnv({ workflows: [quarterly] });
    const run = await env.start(quarterly, "acme");
    expect((await run.get())?.status).toBe("suspended");
    env.clock.advance("90d");
    await env.idle();
    expect((await env.journal(run.id)).map((e) => `${e.kind}:${e.name}`)).toEqual([
      "sleep:sleep",
      "call:report-q1",
    ]);
    expect((await run.get())?.status).toBe("suspended");
    expect((await run.result()).reports).toHaveLength(3);
    await env.close();
  });

  it("replaces a step with env.mockStep in every run of the env", async () => {
    const env = createTestEnv({ workflows: [charge] });
    env.mockStep("charge-card", (s) => ({ ok: false, cents: s.attempt }));
    await expect(env.run(charge, 1)).rejects.toThrow("card declined for 1 cents");
    await env.close();
  });

  it("returns a run's journal entries by seq", async () => {
    const env = createTestEnv({ workflows: [quarterly] });
    const run = await env.start(quarterly, "acme");
    await run.result();
    const journal = await env.journal(run.id);
    expect(journal.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(journal[1]).toMatchObject({ kind: "call", name: "report-q1", outcome: "ok" });
    await env.close();
  });

  it("keeps a virtual clock per env, so envs in one test file run side by side", async () => {
    const short = workflow({ name: "short" }, async (ctx) => {
      await ctx.sleep("1h");
      return ctx.now().toISOString();
    });
    const a = createTestEnv({ workflows: [short, quarterly] });
    const b = createTestEnv({ workflows: [short, quarterly] });
    const [long, brief] = await Promise.all([a.run(quarterly, "x"), b.run(short, undefined)]);
    expect(brief).toBe("2030-01-01T01:00:00.000Z");
    expect(long.at).toBe("2030-09-28T00:00:00.000Z");
    expect(b.clock.now()).toBeLessThan(a.clock.now());
    await Promise.all([a.close(), b.close()]);
  });

  it("rethrows a failed step as StepFailedError inside the workflow", async () => {
    const compensating = workflow({ name: "compensating" }, async (ctx) => {
      try {
        await ctx.call(
          "flaky",
          () => {
            throw new Error("down");
          },
          { retry: { maxAttempts: 2, initialInterval: "1h" } },
        );
        return "charged";
      } catch (error) {
        return error instanceof StepFailedError ? `refunded after ${error.attempts} attempts` : "other";
      }
    });
    const env = createTestEnv({ workflows: [compensating] });
    await expect(env.run(compensating, undefined)).resolves.toBe("refunded after 2 attempts");
    await env.close();
  });

  it("fails a run that no worker of the env can run, saying why, instead of hanging", async () => {
    const env = createTestEnv({ workflows: [charge] });
    const elsewhere = await env.client.start(quarterly, "acme");
    await expect(env.handle(elsewhere.id).result()).rejects.toThrow(
      `run ${elsewhere.id} (workflow "quarterly") can never finish: it is pending, but no worker in this test env runs workflow "quarterly"`,
    );
    await env.close();
  });

  it("ends a run whose body awaits something outside ctx as blocked, with core's explanation", async () => {
    const foreign = workflow({ name: "foreign" }, async (ctx) => {
      await ctx.call("first", () => 1);
      await new Promise(() => {});
    });
    const env = createTestEnv({ workflows: [foreign] });
    const run = await env.start(foreign, undefined);
    await expect(run.result()).rejects.toThrow(/awaits something that is not a ctx call/);
    expect((await run.get())?.status).toBe("blocked");
    await env.close();
  });

  it("follows a continue-as-new chain to the last run's output", async () => {
    const countdown = workflow({ name: "countdown" }, async (ctx, n: number): Promise<string> => {
      await ctx.sleep("30d");
      if (n > 0) return ctx.continueAsNew(n - 1);
      return `lift-off at ${ctx.now().toISOString()}`;
    });
    const env = createTestEnv({ workflows: [countdown] });
    const run = await env.start(countdown, 2);
    await expect(run.result()).resolves.toBe("lift-off at 2030-04-01T00:00:00.000Z");
    expect((await run.settle()).id).toBe(`${run.id}~2`);
    await env.close();
  });

  it("refuses a workflow the env was not given", async () => {
    const env = createTestEnv({ workflows: [charge] });
    await expect(env.run(quarterly, "x")).rejects.toThrow(/workflow "quarterly" is not in this test env/);
    await env.close();
  });

  it("delivers an event sent with env.sendEvent to the run waiting for it", async () => {
    const env = createTestEnv({ workflows: [approval] });
    const run = await env.start(approval, "po-7");
    expect((await run.get())?.status).toBe("suspended");
    await env.sendEvent(run.id, "approved", { by: "ann" });
    await expect(run.result()).resolves.toBe("po-7 approved by ann");
    await env.close();
  });

  it("checks an event's payload against the workflow's events schema", async () => {
    const env = createTestEnv({ workflows: [approval] });
    const run = await env.start(approval, "po-8");
    await expect(env.sendEvent(run.id, "approved", { by: 7 })).rejects.toThrow(ValidationError);
    await expect(env.sendEvent("nope", "approved", { by: "ann" })).rejects.toThrow(/nope/);
    await env.close();
  });

  it("fails a run that waits for an event nobody sends, naming the wait, instead of hanging", async () => {
    const env = createTestEnv({ workflows: [approval] });
    const run = await env.start(approval, "po-9");
    await expect(run.result()).rejects.toThrow(
      `run ${run.id} (workflow "approval") can never finish: it is suspended and waits for seq 1 event("approved"), with no timer to wake it; send what it waits for (env.sendEvent("${run.id}", "approved", payload)) before awaiting its result`,
    );
    await env.close();
  });

  it("starts the runs of a schedule as the clock moves", async () => {
    const daily = schedule({ name: "daily-charge", cron: "0 9 * * *", workflow: charge, input: 100 });
    const env = createTestEnv({ workflows: [charge], schedules: [daily] });
    env.clock.advance("3d");
    await env.idle();
    const runs = await env.client.list({ workflow: "charge" });
    expect(runs.map((r) => r.id).sort()).toEqual([
      "daily-charge@2030-01-01T09:00:00.000Z",
      "daily-charge@2030-01-02T09:00:00.000Z",
      "daily-charge@2030-01-03T09:00:00.000Z",
    ]);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    await env.close();
  });

  it("captures the determinism guard's warnings in env.logs", async () => {
    const sloppy = workflow({ name: "sloppy" }, async (ctx) => {
      const coin = Math.random() < 2;
      return ctx.call("flip", () => coin);
    });
    const env = createTestEnv({ workflows: [sloppy] });
    await env.run(sloppy, undefined);
    const warning = env.logs.find((r) => r.level === "warn" && r.fields.api === "Math.random()");
    expect(warning?.fields.location).toEqual(expect.stringContaining("test-env.test.ts"));
    await env.close();
  });
});
