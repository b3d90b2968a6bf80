// The examples of docs/testing.md, run as tests: keep the two in step.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workflow } from "@durable/core";
import { pgliteStore } from "@durable/postgres";
import {
  assertDeterministic,
  checkJournal,
  createTestEnv,
  formatReplayDiff,
  replayJournal,
  replayProperty,
  type TestEnv,
} from "@durable/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// --- docs: the workflow under test
const api = {
  getUser: async (id: string) => ({ id, email: `${id}@example.com` }),
  lastLogin: async (_id: string) => Date.UTC(2030, 2, 1),
};
const mail = { send: async (to: string, key: string) => `sent to ${to} (${key})` };

const onboarding = workflow({ name: "onboarding" }, async (ctx, { userId }: { userId: string }) => {
  const user = await ctx.call("fetch-user", () => api.getUser(userId));
  await ctx.sleep("90d");
  const active = await ctx.decide(
    "still-active",
    async () => (await api.lastLogin(userId)) > Date.now() - 30 * 86_400_000,
  );
  if (active) await ctx.call("send-survey", (s) => mail.send(user.email, s.idempotencyKey));
  return { active };
});
// --- end

describe("docs/testing.md", () => {
  // --- docs: createTestEnv
  it("sends the survey to a user still active after 90 days", async () => {
    const env = createTestEnv({ workflows: [onboarding] });
    env.mockStep("still-active", () => true);
    env.mockStep("send-survey", (s) => `mocked send (${s.idempotencyKey})`);

    const run = await env.start(onboarding, { userId: "u1" });
    expect(await run.result()).toEqual({ active: true }); // 90 virtual days, a few real milliseconds
    const journal = await env.journal(run.id);
    expect(journal.map((e) => `${e.kind}:${e.name}`)).toEqual([
      "call:fetch-user",
      "sleep:sleep",
      "decide:still-active",
      "call:send-survey",
    ]);
    expect(env.clock.now() - Date.UTC(2030, 0, 1)).toBe(90 * 86_400_000);
    await env.close();
  });

  it("lets the test move the clock itself", async () => {
    const env = createTestEnv({ workflows: [onboarding] });
    env.mockStep("still-active", () => false);
    const run = await env.start(onboarding, { userId: "u2" });
    env.clock.advance("30d");
    await env.idle();
    expect((await run.get())?.status).toBe("suspended"); // still asleep: 60 days to go
    env.clock.advance("60d");
    await env.idle();
    expect((await run.get())?.status).toBe("completed");
    await env.close();
  });
  // --- end

  // --- docs: time inside a step
  it("times out a slow lookup that takes two seconds", async () => {
    let env!: TestEnv;
    const lookup = workflow({ name: "lookup" }, async (ctx, sku: string) => {
      const price = ctx.call("fetch-price", () => {
        env.clock.advance("2s"); // the price service takes two seconds
        return 1_200;
      });
      const timeout = ctx.sleep("1s").then(() => undefined);
      return (await Promise.race([price, timeout])) ?? `no price for ${sku} within 1s`;
    });
    env = createTestEnv({ workflows: [lookup] });
    expect(await env.run(lookup, "mug")).toBe("no price for mug within 1s");
    await env.close();
  });
  // --- end

  // --- docs: pgliteStore on the env's clock
  it("sends the survey on the embedded database too, skipping the 90 days", async () => {
    const env = createTestEnv({ workflows: [onboarding], store: (clock) => pgliteStore({ clock }) });
    env.mockStep("still-active", () => true);
    expect(await env.run(onboarding, { userId: "u1" })).toEqual({ active: true });
    expect(env.clock.now() - Date.UTC(2030, 0, 1)).toBe(90 * 86_400_000);
    await env.close();
  });
  // --- end

  // --- docs: replayProperty
  it("resumes onboarding after a crash at any point", async () => {
    await replayProperty(onboarding, {
      input: fc.record({ userId: fc.string({ minLength: 1, maxLength: 8 }) }),
      steps: { "still-active": fc.boolean() }, // both branches, drawn by fast-check
    });
  });
  // --- end

  // --- docs: replayJournal
  it("exports a journal that replays from its file", async () => {
    const env = createTestEnv({ workflows: [onboarding] });
    const run = await env.start(onboarding, { userId: "u1" }, { id: "onboarding:u1" });
    await run.result();
    const file = join(await mkdtemp(join(tmpdir(), "journals-")), "onboarding-u1.journal.json");
    await writeFile(file, JSON.stringify(await env.client.exportJournal(run.id), null, 2));
    await replayJournal(onboarding, await readFile(file, "utf8"));
    await env.close();
  });

  it("still replays the journals of real runs", async () => {
    const recorded = await readFile(
      new URL("./__fixtures__/onboarding-u1.journal.json", import.meta.url),
      "utf8",
    );
    const report = await replayJournal(onboarding, recorded);
    expect(report.ok).toBe(true);
  });

  it("tells what a renamed step breaks", async () => {
    const renamed = workflow({ name: "onboarding" }, async (ctx, { userId }: { userId: string }) => {
      const user = await ctx.call("load-user", () => api.getUser(userId));
      await ctx.sleep("90d");
      return { active: user.id === userId };
    });
    const recorded = await readFile(
      new URL("./__fixtures__/onboarding-u1.journal.json", import.meta.url),
      "utf8",
    );
    await expect(replayJournal(renamed, recorded)).rejects.toThrow(
      'seq 0 was issued as call("load-user") but the journal has call("fetch-user")',
    );
    const report = await checkJournal(renamed, recorded);
    expect(formatReplayDiff(report)).toContain('✗  0    call("fetch-user")      call("load-user")');
  });

  it("replays the entries of env.journal with the run's input", async () => {
    const env = createTestEnv({ workflows: [onboarding] });
    const input = { userId: "u3" };
    const run = await env.start(onboarding, input);
    await run.result();
    await replayJournal(onboarding, await env.journal(run.id), { input, status: "completed" });
    await env.close();
  });
  // --- end

  // --- docs: assertDeterministic
  it("keeps the onboarding body deterministic", async () => {
    await assertDeterministic(onboarding, { userId: "u1" });
  });
  // --- end
});
