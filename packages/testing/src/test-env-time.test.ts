import { type StepAttemptInfo, workflow } from "@durable/core";
import { describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "./index.js";

describe.concurrent("env.clock.advance inside a running step", () => {
  it("fires a ctx.sleep the step races against, and delivers it before the step's result", async () => {
    let env!: TestEnv;
    const racing = workflow({ name: "racing" }, async (ctx) => {
      const slow = ctx.call("slow", () => {
        env.clock.advance("2s"); // the step takes two seconds
        return "slow";
      });
      return Promise.race([slow, ctx.sleep("1s").then(() => "timer")]);
    });
    env = createTestEnv({ workflows: [racing] });
    const run = await env.start(racing, undefined);
    await expect(run.result()).resolves.toBe("timer");
    const journal = await env.journal(run.id);
    expect(journal.map((e) => [e.seq, e.kind, e.order])).toEqual([
      [0, "call", 1],
      [1, "sleep", 0],
    ]);
    await env.close();
  });

  it("lets the step win a race against a sleep it does not outlast", async () => {
    let env!: TestEnv;
    const racing = workflow({ name: "racing" }, async (ctx) => {
      const quick = ctx.call("quick", () => {
        env.clock.advance("500ms");
        return "quick";
      });
      return Promise.race([quick, ctx.sleep("1s").then(() => "timer")]);
    });
    env = createTestEnv({ workflows: [racing] });
    await expect(env.run(racing, undefined)).resolves.toBe("quick");
    await env.close();
  });

  it("resolves what the step awaits on a timer it moves past, and journals the timers that fired meanwhile", async () => {
    let env!: TestEnv;
    const poller = workflow({ name: "poller" }, async (ctx) => {
      const reminder = ctx.sleep("1m").then(() => "reminded");
      const status = ctx.call("poll", async () => {
        // A service that answers five minutes later, on the env's clock.
        const answer = new Promise<string>((resolve) =>
          env.clock.setTimer(env.clock.now() + 300_000, () => resolve("ready")),
        );
        env.clock.advance("5m");
        return answer;
      });
      return Promise.all([reminder, status, Promise.race([status, reminder])]);
    });
    env = createTestEnv({ workflows: [poller] });
    const run = await env.start(poller, undefined);
    await expect(run.result()).resolves.toEqual(["reminded", "ready", "reminded"]);
    const sleep = (await env.journal(run.id)).find((e) => e.kind === "sleep");
    expect(sleep?.order).toBe(0);
    await env.close();
  });

  it("keeps the worker's own step interceptor", async () => {
    const seen: StepAttemptInfo[] = [];
    const once = workflow({ name: "once" }, async (ctx) => ctx.call("only", () => 1));
    const env = createTestEnv({
      workflows: [once],
      worker: {
        interceptStepAttempt: (info, next) => {
          seen.push(info);
          return next();
        },
      },
    });
    await expect(env.run(once, undefined)).resolves.toBe(1);
    expect(seen.map((s) => s.name)).toEqual(["only"]);
    await env.close();
  });
});
