import { decode, encode, NonDeterminismError, ValidationError, workflow } from "@durable/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkJournal, createTestEnv, formatReplayDiff, parseJournalExport, replayJournal } from "./index.js";

const onboardingBody = (surveyStep: string) =>
  workflow({ name: "onboarding", version: "2" }, async (ctx, { userId }: { userId: string }) => {
    const user = await ctx.call("fetch-user", () => ({
      id: userId,
      email: `${userId}@example.com`,
      since: new Date(0),
    }));
    await ctx.sleep("90d");
    const active = await ctx.decide("still-active", () => user.id !== "gone");
    if (active) await ctx.call(surveyStep, (s) => `mail to ${user.email} (${s.idempotencyKey})`);
    return { active, since: user.since };
  });

const onboarding = onboardingBody("send-survey");
const renamed = onboardingBody("send-questionnaire");

async function exportRun(input: { userId: string }) {
  const env = createTestEnv({ workflows: [onboarding] });
  const run = await env.start(onboarding, input, { id: `onboarding:${input.userId}` });
  await run.result();
  const exported = await env.client.exportJournal(run.id);
  await env.close();
  return exported;
}

describe("replayJournal", () => {
  it("passes on an unchanged journal, also after a JSON round trip", async () => {
    const exported = await exportRun({ userId: "u1" });
    const report = await replayJournal(onboarding, exported);
    expect(report.ok).toBe(true);
    expect(report.rows.map((r) => r.status)).toEqual(["match", "match", "match", "match"]);
    const fromFile = await replayJournal(onboarding, JSON.stringify(exported, null, 2));
    expect(fromFile).toMatchObject({ ok: true, ended: "completed", notes: [] });
  });

  it("throws NonDeterminismError with a readable diff when a journaled step was renamed", async () => {
    const exported = await exportRun({ userId: "u1" });
    const error = await replayJournal(renamed, JSON.stringify(exported)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonDeterminismError);
    const mismatch = error as NonDeterminismError;
    expect(mismatch.recorded).toEqual({ seq: 3, kind: "call", name: "send-survey" });
    expect(mismatch.issued).toEqual({ seq: 3, kind: "call", name: "send-questionnaire" });
    const lines = mismatch.message.split("\n");
    expect(lines).toContain(`✗  3    call("send-survey")     call("send-questionnaire")`);
    expect(lines).toContain(`   0    call("fetch-user")      call("fetch-user")`);
    expect(lines.filter((l) => l.includes("no longer replays"))).toHaveLength(1);
    expect(mismatch.message).toMatch(
      /^run onboarding:u1 no longer replays: seq 3 was issued as call\("send-questionnaire"\)/,
    );
  });

  it("reports a removed step as the first recorded entry the code no longer issues", async () => {
    const shorter = workflow({ name: "onboarding" }, async (ctx, { userId }: { userId: string }) => {
      await ctx.call("fetch-user", () => ({ id: userId }));
      await ctx.sleep("90d");
      return { active: true };
    });
    const report = await checkJournal(shorter, await exportRun({ userId: "u2" }));
    expect(report.ok).toBe(false);
    expect(report.mismatch?.seq).toBe(2);
    expect(report.rows.map((r) => r.status)).toEqual(["match", "match", "mismatch", "not-reached"]);
    expect(formatReplayDiff(report)).toContain(`✗  2    decide("still-active")  (not issued)`);
  });

  it("fails a finished run whose code now issues a command after its last entry", async () => {
    const longer = workflow({ name: "onboarding" }, async (ctx, input: { userId: string }) => {
      const out = await onboarding.fn(ctx, input);
      await ctx.call("thank-you", () => "sent");
      return out;
    });
    const report = await checkJournal(longer, await exportRun({ userId: "u3" }));
    expect(report.ok).toBe(false);
    expect(report.mismatch).toMatchObject({ seq: 4, issued: { seq: 4, kind: "call", name: "thank-you" } });
    expect(report.mismatch?.message).toContain(
      `completed after its last journal entry, but today's code issues seq 4 call("thank-you")`,
    );
  });

  it("accepts a journal of a run still sleeping and says what the run waits on next", async () => {
    const env = createTestEnv({ workflows: [onboarding] });
    const run = await env.start(onboarding, { userId: "u4" });
    await env.idle();
    const report = await replayJournal(onboarding, await env.client.exportJournal(run.id));
    expect(report).toMatchObject({ ok: true, status: "suspended", ended: "waiting" });
    expect(report.next).toEqual([{ seq: 1, kind: "sleep", name: "sleep" }]);
    expect(formatReplayDiff(report)).toContain(`the run then waits on seq 1 sleep("sleep")`);
    await env.close();
  });

  it("notes a different output of a finished run without failing the replay", async () => {
    const exported = await exportRun({ userId: "u5" });
    const report = await replayJournal(onboarding, {
      ...exported,
      output: encode({ active: false }, "output"),
    });
    expect(report.ok).toBe(true);
    expect(report.notes[0]).toMatch(/^the recorded output was \{"active":false\}/);
  });

  it("replays a parent's journal with its child's result, and reports a child past the journal without starting it", async () => {
    const invoice = workflow({ name: "invoice" }, async (ctx, cents: number) =>
      ctx.call("bill", () => `billed ${cents}`),
    );
    const checkout = workflow({ name: "checkout" }, async (ctx, cents: number) => {
      const bill = await ctx.child(invoice, cents);
      await ctx.sleep("1d");
      return bill;
    });
    const env = createTestEnv({ workflows: [checkout, invoice] });
    const run = await env.start(checkout, 300);
    const whileSleeping = await env.client.exportJournal(run.id);
    expect(await run.result()).toBe("billed 300");
    expect((await replayJournal(checkout, await env.client.exportJournal(run.id))).ok).toBe(true);
    const report = await checkJournal(checkout, { ...whileSleeping, entries: [] });
    expect(report).toMatchObject({
      ok: true,
      ended: "waiting",
      next: [{ seq: 0, kind: "child", name: "invoice" }],
    });
    await env.close();
  });

  it("replays received events from the journal, and says which event a waiting run waits for", async () => {
    const approval = workflow(
      { name: "approval", events: { approved: z.object({ by: z.string() }) } },
      async (ctx, order: string) => {
        const first = await ctx.waitForEvent("approved");
        const second = await ctx.waitForEvent("approved");
        return `${order}: ${first?.by} and ${second?.by}`;
      },
    );
    const env = createTestEnv({ workflows: [approval] });
    const run = await env.start(approval, "po-1");
    await env.sendEvent(run.id, "approved", { by: "ann" });
    await env.idle();
    const report = await replayJournal(approval, JSON.stringify(await env.client.exportJournal(run.id)));
    expect(report).toMatchObject({
      ok: true,
      ended: "waiting",
      next: [{ seq: 1, kind: "event", name: "approved" }],
    });
    await env.close();
  });

  it("refuses the journal of another workflow", async () => {
    const other = workflow({ name: "offboarding" }, async () => null);
    await expect(replayJournal(other, await exportRun({ userId: "u6" }))).rejects.toThrow(ValidationError);
  });
});

describe("parseJournalExport", () => {
  it("revives dates and keeps encoded payloads from JSON text", async () => {
    const exported = await exportRun({ userId: "u7" });
    const parsed = parseJournalExport(JSON.stringify(exported));
    expect(parsed.entries[0]?.completedAt).toBeInstanceOf(Date);
    expect(parsed.entries).toEqual(exported.entries);
    expect(parsed.startedAt).toEqual(exported.startedAt);
    // Payloads stay encoded as the store keeps them, so a Date in the output is still a Date.
    expect(decode(parsed.output as NonNullable<typeof parsed.output>)).toEqual({
      active: true,
      since: new Date(0),
    });
  });

  it("names the field that is wrong", () => {
    const broken = {
      format: "durable.journal/1",
      runId: "r",
      workflow: "w",
      version: "1",
      input: null,
      status: "completed",
    };
    expect(() => parseJournalExport({ ...broken, entries: [{ kind: "call" }] })).toThrow(
      /journal export\.entries\.0/,
    );
    expect(() => parseJournalExport("{ nope")).toThrow(/journal export is not valid JSON/);
    expect(() => parseJournalExport({ ...broken, format: "durable.journal/9", entries: [] })).toThrow(
      'unsupported format "durable.journal/9"; this version of @durable/testing reads "durable.journal/1" and "durable.journal/2"',
    );
  });
});
