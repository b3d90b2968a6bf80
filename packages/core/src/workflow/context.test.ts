import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHarness } from "../__tests__/harness.js";
import {
  type AnyWorkflow,
  StepFailedError,
  step,
  TimeoutError,
  ValidationError,
  WorkflowFailedError,
  workflow,
} from "../index.js";

const DAY = 86_400_000;
let harness: ReturnType<typeof createHarness> | undefined;
function setup(workflows: AnyWorkflow[], options?: Parameters<typeof createHarness>[1]) {
  harness = createHarness(workflows, options);
  return harness;
}
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("ctx.call", () => {
  it("runs a step once, journals its result and returns it", async () => {
    let runs = 0;
    const wf = workflow({ name: "call-once" }, async (ctx, n: number) => {
      const doubled = await ctx.call("double", () => {
        runs++;
        return n * 2;
      });
      await ctx.sleep("1s");
      return doubled + 1;
    });
    const h = setup([wf]);
    expect(await h.run(wf, 20, { id: "r1" })).toBe(41);
    expect(runs).toBe(1);
    const journal = await h.client.journal("r1");
    expect(journal.map((e) => [e.seq, e.kind, e.name, e.outcome])).toEqual([
      [0, "call", "double", "ok"],
      [1, "sleep", "sleep", "ok"],
    ]);
  });

  it("runs a step declared with step(), validating its input", async () => {
    const charge = step({ name: "charge", input: z.number().positive() }, (s, cents: number) => ({
      cents,
      key: s.idempotencyKey,
      attempt: s.attempt,
    }));
    const wf = workflow({ name: "declared" }, async (ctx, cents: number) => {
      try {
        return await ctx.call(charge, cents);
      } catch (error) {
        return (error as StepFailedError).cause.message;
      }
    });
    const h = setup([wf]);
    expect(await h.run(wf, 120, { id: "ok" })).toEqual({ cents: 120, key: "ok:0", attempt: 1 });
    expect(await h.run(wf, -5, { id: "bad" })).toMatch(
      /step "charge" input is invalid: step "charge" input: /,
    );
  });

  it("gives the step a stable idempotency key, its attempt number and a logger", async () => {
    const seen: { key: string; attempt: number }[] = [];
    const wf = workflow({ name: "keys" }, async (ctx) => {
      return ctx.call(
        "flaky",
        (s) => {
          seen.push({ key: s.idempotencyKey, attempt: s.attempt });
          s.log.info({}, "attempt");
          if (s.attempt < 3) throw new Error("try again");
          return s.stepName;
        },
        { retry: { initialInterval: "1s" } },
      );
    });
    const h = setup([wf]);
    expect(await h.run(wf, undefined, { id: "k" })).toBe("flaky");
    expect(seen).toEqual([
      { key: "k:0", attempt: 1 },
      { key: "k:0", attempt: 2 },
      { key: "k:0", attempt: 3 },
    ]);
  });
});

describe("retries", () => {
  it("backs off exponentially up to maxInterval, then the workflow sees StepFailedError with the original error", async () => {
    const times: number[] = [];
    const wf = workflow({ name: "backoff" }, async (ctx) => {
      try {
        await ctx.call(
          "always-fails",
          () => {
            times.push(h.clock.now());
            const error = new TypeError("card declined");
            throw error;
          },
          { retry: { maxAttempts: 5, initialInterval: "1s", backoffCoefficient: 3, maxInterval: "5s" } },
        );
        throw new Error("unreachable");
      } catch (error) {
        if (!(error instanceof StepFailedError)) throw error;
        return {
          name: error.cause.name,
          message: error.cause.message,
          attempts: error.attempts,
          stack: error.cause.stack,
        };
      }
    });
    const h = setup([wf]);
    const out = await h.run(wf, undefined);
    expect(out).toMatchObject({ name: "TypeError", message: "card declined", attempts: 5 });
    expect(out.stack).toMatch(/TypeError: card declined\n\s+at /);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(gaps).toEqual([1_000, 3_000, 5_000, 5_000]);
  });

  it("never retries an error named in nonRetryable", async () => {
    let attempts = 0;
    const wf = workflow({ name: "non-retryable" }, async (ctx) => {
      await ctx.call(
        "pay",
        () => {
          attempts++;
          throw Object.assign(new Error("no funds"), { name: "InsufficientFunds" });
        },
        { retry: { maxAttempts: 5, nonRetryable: ["InsufficientFunds"] } },
      );
    });
    const h = setup([wf]);
    await expect(h.run(wf, undefined)).rejects.toThrow(/InsufficientFunds: no funds/);
    expect(attempts).toBe(1);
  });

  it("suspends the run durably during a long wait between attempts instead of holding the worker", async () => {
    let attempts = 0;
    const wf = workflow({ name: "long-retry" }, async (ctx) =>
      ctx.call(
        "remote",
        () => {
          attempts++;
          if (attempts === 1) throw new Error("503");
          return "ok";
        },
        { retry: { initialInterval: "1h" } },
      ),
    );
    const h = setup([wf]);
    await h.newWorker().start();
    const handle = await h.client.start(wf, undefined, { id: "lr" });
    while ((await h.store.getRun("lr"))?.status !== "suspended") await new Promise((r) => setTimeout(r, 1));
    const suspended = await h.store.getRun("lr");
    expect(suspended?.wakeAt?.getTime()).toBe(h.clock.now() + 3_600_000);
    expect(suspended?.retryState.steps?.["0"]).toMatchObject({ attempts: 1, lastError: { message: "503" } });
    await h.settle("lr");
    expect(await handle.result()).toBe("ok");
    expect(attempts).toBe(2);
    const [entry] = await h.client.journal("lr");
    expect(entry?.attempts).toBe(2);
  });

  it("fails an attempt past its timeout, firing the step's AbortSignal", async () => {
    const aborted: string[] = [];
    const wf = workflow({ name: "timeout" }, async (ctx) => {
      try {
        await ctx.call(
          "slow",
          (s) =>
            new Promise((_, reject) => {
              s.signal.addEventListener("abort", () => {
                aborted.push(String(s.signal.reason?.name));
                reject(s.signal.reason);
              });
            }),
          { timeout: "30s", retry: { maxAttempts: 2, initialInterval: "1s" } },
        );
      } catch (error) {
        return (error as StepFailedError).cause;
      }
    });
    const h = setup([wf]);
    await h.newWorker().start();
    const handle = await h.client.start(wf, undefined);
    // Like Temporal's test server, time does not skip while a step runs: move it by hand past each timeout.
    for (const attempt of [1, 2]) {
      while (aborted.length < attempt) {
        await new Promise((r) => setTimeout(r, 1));
        h.clock.advance("1s");
      }
    }
    await h.settle(handle.id);
    const cause = await handle.result();
    expect(cause).toMatchObject({ name: "TimeoutError", code: "timeout" });
    expect(cause?.message).toMatch(/step "slow" \(seq 0\) attempt 2 timed out/);
    expect(aborted).toEqual(["TimeoutError", "TimeoutError"]);
    expect(new TimeoutError("x").code).toBe("timeout");
  });

  it("refuses a result that cannot be stored faithfully, without retrying", async () => {
    let attempts = 0;
    const wf = workflow({ name: "unstorable" }, async (ctx) => {
      try {
        await ctx.call("load", () => {
          attempts++;
          return { when: new Date(Number.NaN) };
        });
      } catch (error) {
        return (error as StepFailedError).cause;
      }
    });
    const h = setup([wf]);
    const cause = await h.run(wf, undefined, { id: "u1" });
    expect(cause).toMatchObject({ name: "SerializationError", code: "unserializable" });
    expect(cause?.message).toMatch(
      /run u1 step "load" \(seq 0\) result cannot be stored: \$\.when is an Invalid Date/,
    );
    expect(attempts).toBe(1);
  });
});

describe("ctx.sleep and time", () => {
  it("finishes a run that sleeps 90d in well under a second of real time", async () => {
    const wf = workflow({ name: "ninety" }, async (ctx) => {
      const before = ctx.now();
      await ctx.sleep("90d");
      return ctx.now().getTime() - before.getTime();
    });
    const h = setup([wf]);
    const started = performance.now();
    const slept = await h.run(wf, undefined);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(slept).toBeGreaterThanOrEqual(90 * DAY);
  });

  it("suspends at a sleep with no worker memory, and wakes at its time", async () => {
    const wf = workflow({ name: "suspends" }, async (ctx) => {
      await ctx.sleep("1h30m");
      return "awake";
    });
    const h = setup([wf]);
    await h.newWorker().start();
    const start = h.clock.now();
    await h.client.start(wf, undefined, { id: "s" });
    while ((await h.store.getRun("s"))?.status !== "suspended") await new Promise((r) => setTimeout(r, 1));
    expect((await h.store.getRun("s"))?.wakeAt?.getTime()).toBe(start + 5_400_000);
    expect(h.workers[0]?.activeRuns).toBe(0);
    await h.settle("s");
    expect((await h.client.get("s"))?.output).toBe("awake");
  });

  it("sleeps until a date with sleepUntil", async () => {
    const wf = workflow({ name: "until" }, async (ctx, at: Date) => {
      await ctx.sleepUntil(at);
      return ctx.now();
    });
    const h = setup([wf]);
    const at = new Date(h.clock.now() + 7 * DAY);
    const woke = await h.run(wf, at);
    expect(woke.getTime()).toBeGreaterThanOrEqual(at.getTime());
  });

  it("throws a ValidationError inside the workflow for a bad duration", async () => {
    const wf = workflow({ name: "bad-sleep" }, async (ctx) => {
      try {
        await ctx.sleep("90 days");
      } catch (error) {
        return error instanceof ValidationError ? error.message : "other";
      }
    });
    const h = setup([wf]);
    expect(await h.run(wf, undefined)).toMatch(/ctx\.sleep duration: "90 days" is not a duration/);
  });

  it("gives now(), random() and uuid() the same values on every replay", async () => {
    const wf = workflow({ name: "deterministic" }, async (ctx) => {
      const first = { now: ctx.now().getTime(), random: ctx.random(), uuid: ctx.uuid() };
      const recorded = await ctx.call("record", () => first);
      await ctx.sleep("1d");
      const afterSleep = ctx.now().getTime();
      return { same: JSON.stringify(recorded) === JSON.stringify(first), afterSleep, first };
    });
    const h = setup([wf]);
    const out = await h.run(wf, undefined, { id: "d1" });
    expect(out.same).toBe(true);
    expect(out.afterSleep - out.first.now).toBeGreaterThanOrEqual(DAY);
    expect(out.first.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("keeps ctx.log silent while replaying and reports isReplaying", async () => {
    const flags: boolean[] = [];
    const wf = workflow({ name: "logs" }, async (ctx) => {
      ctx.log.info({}, "before sleep");
      flags.push(ctx.isReplaying);
      await ctx.sleep("1m");
      ctx.log.info({}, "after sleep");
      flags.push(ctx.isReplaying);
    });
    const h = setup([wf]);
    await h.run(wf, undefined);
    expect(h.logs.filter((l) => l.msg === "before sleep")).toHaveLength(1);
    expect(h.logs.filter((l) => l.msg === "after sleep")).toHaveLength(1);
    expect(flags).toEqual([false, true, false]);
  });
});

describe("ctx.decide and ctx.waitUntil", () => {
  it("takes both branches of a decision and replays the recorded one", async () => {
    let reads = 0;
    const wf = workflow({ name: "decides" }, async (ctx, amount: number) => {
      const big = await ctx.decide("is-big", () => {
        reads++;
        return amount > 100;
      });
      await ctx.sleep("1d");
      return big ? ctx.call("escalate", () => "escalated") : ctx.call("approve", () => "approved");
    });
    const h = setup([wf]);
    expect(await h.run(wf, 500)).toBe("escalated");
    expect(await h.run(wf, 5)).toBe("approved");
    expect(reads).toBe(2);
  });

  it("waits until a condition holds, checking every interval: true on the third check", async () => {
    let checks = 0;
    const wf = workflow({ name: "wait-until" }, async (ctx) => {
      const start = ctx.now().getTime();
      const ok = await ctx.waitUntil("ready", () => ++checks === 3, { every: "1d" });
      return { ok, waited: ctx.now().getTime() - start };
    });
    const h = setup([wf]);
    const out = await h.run(wf, undefined, { id: "w" });
    expect(out.ok).toBe(true);
    expect(checks).toBe(3);
    expect(out.waited).toBeGreaterThanOrEqual(2 * DAY);
    const kinds = (await h.client.journal("w")).map((e) => e.kind);
    expect(kinds).toEqual(["decide", "sleep", "decide", "sleep", "decide"]);
  });

  it("returns false from waitUntil on timeout", async () => {
    const wf = workflow({ name: "wait-timeout" }, async (ctx) =>
      ctx.waitUntil("never", () => false, { every: "1d", timeout: "3d" }),
    );
    const h = setup([wf]);
    expect(await h.run(wf, undefined)).toBe(false);
  });
});

describe("concurrency inside a workflow", () => {
  it("runs the steps of a Promise.all concurrently and returns their results in order", async () => {
    let running = 0;
    let most = 0;
    const work = (v: string) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return v;
    };
    const wf = workflow({ name: "all" }, async (ctx) => {
      const results = await Promise.all([
        ctx.call("a", work("a")),
        ctx.call("b", work("b")),
        ctx.call("c", work("c")),
      ]);
      await ctx.sleep("1h");
      return results;
    });
    const h = setup([wf]);
    expect(await h.run(wf, undefined)).toEqual(["a", "b", "c"]);
    expect(most).toBe(3);
  });

  it("races a sleep against a step, replays the same winner, and journals the loser when it ends", async () => {
    let release: (() => void) | undefined;
    const wf = workflow({ name: "race" }, async (ctx, slow: boolean) => {
      const winner = await Promise.race([
        ctx.sleep("1m").then(() => "timer"),
        ctx.call("fetch", async () => {
          if (slow) await new Promise<void>((r) => (release = r));
          return "step";
        }),
      ]);
      await ctx.sleep("1d");
      return winner;
    });
    const h = setup([wf]);
    expect(await h.run(wf, false, { id: "fast" })).toBe("step");
    await h.newWorker().start();
    const handle = await h.client.start(wf, true, { id: "slow" });
    while (!release) await new Promise((r) => setTimeout(r, 1));
    h.clock.advance("2m");
    while ((await h.client.journal("slow")).length < 1) await new Promise((r) => setTimeout(r, 1));
    release();
    await h.settle("slow");
    expect(await handle.result()).toBe("timer");
    const journal = await h.client.journal("slow");
    expect(journal.map((e) => `${e.kind}:${e.name}`)).toEqual(["sleep:sleep", "call:fetch", "sleep:sleep"]);
    expect(journal.find((e) => e.name === "fetch")?.order).toBe(1);
  });

  it("lets the workflow catch StepFailedError and run a compensating step", async () => {
    const wf = workflow({ name: "compensate" }, async (ctx) => {
      await ctx.call("reserve", () => "reserved");
      try {
        await ctx.call(
          "charge",
          () => {
            throw new Error("card declined");
          },
          { retry: { maxAttempts: 2, initialInterval: "1s" } },
        );
        return "charged";
      } catch (error) {
        if (!(error instanceof StepFailedError)) throw error;
        await ctx.call("release", () => "released");
        return `compensated after ${error.stepName} (seq ${error.seq}) failed ${error.attempts} times`;
      }
    });
    const h = setup([wf]);
    expect(await h.run(wf, undefined, { id: "c" })).toBe("compensated after charge (seq 1) failed 2 times");
    expect((await h.client.journal("c")).map((e) => `${e.name}:${e.outcome}`)).toEqual([
      "reserve:ok",
      "charge:error",
      "release:ok",
    ]);
  });
});

describe("workflow outcomes", () => {
  it("fails the run with the workflow's own error, kept by name, message and stack", async () => {
    const wf = workflow({ name: "throws" }, async () => {
      throw new RangeError("out of stock");
    });
    const h = setup([wf]);
    const error = await h.run(wf, undefined, { id: "t" }).catch((e) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(error.data).toMatchObject({ name: "RangeError", message: "out of stock" });
    expect((await h.client.get("t"))?.status).toBe("failed");
  });

  it("validates the output with the workflow's output schema", async () => {
    const wf = workflow(
      { name: "bad-output", output: z.object({ id: z.string() }) },
      async () => ({ id: 7 }) as never,
    );
    const h = setup([wf]);
    await expect(h.run(wf, undefined)).rejects.toThrow(/run .* output is invalid: run .* output\.id: /);
  });
});
