import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode, type JournalExport, NonDeterminismError, workflow } from "@durable/core";
import { afterAll, describe, expect, it } from "vitest";
import { checkJournal, createTestEnv, parseJournalExport, replayJournal } from "./index.js";

const dir = await mkdtemp(join(tmpdir(), "journal-round-trip-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes the export to a JSON file and reads the text back, as `durable export` and a fixture do. */
async function throughFile(exported: JournalExport, name: string): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, `${JSON.stringify(exported, null, 2)}\n`);
  return readFile(file, "utf8");
}

const heartbeat = workflow({ name: "heartbeat" }, async (ctx) => {
  await ctx.sleep("1h");
  return ctx.call("beat", () => "beat");
});

interface Invoice {
  issuedAt: Date;
  cents: bigint;
  lines: Map<string, bigint>;
  tags: Set<string>;
  note?: string | undefined;
}

// The body relies on the input's types: with a Date turned into a string or a BigInt into a number it
// throws or takes another branch, so only a faithful round trip replays.
const billing = workflow({ name: "billing" }, async (ctx, invoice: Invoice) => {
  const due = new Date(invoice.issuedAt.getTime() + 30 * 86_400_000);
  const total = [...invoice.lines.values()].reduce((a, b) => a + b, 0n);
  const step = total === invoice.cents ? "charge" : "flag-mismatch";
  const receipt = await ctx.call(step, () => ({ at: due, cents: total + 1n, seen: new Set(invoice.tags) }));
  await ctx.sleepUntil(due);
  const reminder = await ctx.decide("remind", () =>
    invoice.note === undefined ? new Map([["r", 1n]]) : null,
  );
  return { receipt, reminder, tagged: invoice.tags.has("vip") };
});

const invoice: Invoice = {
  issuedAt: new Date(Date.UTC(2030, 0, 1)),
  cents: 1_500n,
  lines: new Map([
    ["mug", 1_000n],
    ["tea", 500n],
  ]),
  tags: new Set(["vip"]),
  note: undefined,
};

async function exportOf<I>(wf: typeof heartbeat | typeof billing, input: I) {
  const env = createTestEnv({ workflows: [wf] });
  const run = await env.start(wf as never, input as never);
  await run.result();
  const exported = await env.client.exportJournal(run.id);
  const entries = await env.journal(run.id);
  await env.close();
  return { exported, entries };
}

describe("a journal export through a JSON file", () => {
  it("replays a workflow that takes no input", async () => {
    const { exported } = await exportOf(heartbeat, undefined);
    expect(exported.format).toBe("durable.journal/2");
    const text = await throughFile(exported, "heartbeat");
    await expect(replayJournal(heartbeat, text)).resolves.toMatchObject({ ok: true, ended: "completed" });
  });

  it("replays Dates, BigInts, Maps, Sets and undefined in the input and the results", async () => {
    const { exported } = await exportOf(billing, invoice);
    const text = await throughFile(exported, "billing");
    const report = await replayJournal(billing, text);
    expect(report).toMatchObject({ ok: true, ended: "completed", notes: [] });
    const parsed = parseJournalExport(text);
    expect(decode(parsed.input)).toEqual(invoice);
    expect(decode(parsed.output as NonNullable<typeof parsed.output>)).toEqual({
      receipt: { at: new Date(Date.UTC(2030, 0, 31)), cents: 1_501n, seen: new Set(["vip"]) },
      reminder: new Map([["r", 1n]]),
      tagged: true,
    });
  });

  it("gives ctx.now() the run's start before the first entry, as the worker did", async () => {
    const stamped = workflow({ name: "stamped" }, async (ctx) => {
      const at = ctx.now().getTime();
      return ctx.call(`report-${at}`, () => at);
    });
    const env = createTestEnv({ workflows: [stamped] });
    const run = await env.start(stamped, undefined);
    await run.result();
    const exported = await env.client.exportJournal(run.id);
    await env.close();
    // On a real clock the first step starts a few milliseconds after the claim that started the run.
    const later = (d: Date) => new Date(d.getTime() + 3);
    const entries = exported.entries.map((e) => ({
      ...e,
      startedAt: later(e.startedAt),
      completedAt: later(e.completedAt),
    }));
    const text = await throughFile({ ...exported, entries }, "stamped");
    await expect(replayJournal(stamped, text)).resolves.toMatchObject({ ok: true });
    const { startedAt: _, ...withoutStart } = { ...exported, entries };
    const report = await checkJournal(stamped, JSON.stringify(withoutStart));
    expect(report.ok).toBe(false);
  });

  it("still reads durable.journal/1, whose JSON dropped an undefined input", async () => {
    const { exported } = await exportOf(heartbeat, undefined);
    const { input: _, startedAt: __, createdAt: ___, ...rest } = exported;
    const older = { ...rest, format: "durable.journal/1", output: decode(exported.output as never) };
    const text = JSON.stringify(older);
    expect(JSON.parse(text)).not.toHaveProperty("input");
    await expect(replayJournal(heartbeat, text)).resolves.toMatchObject({ ok: true, ended: "completed" });
  });
});

describe("replayJournal over the entries of env.journal", () => {
  it("replays them with the run's input, and finds a renamed step in them", async () => {
    const { entries } = await exportOf(billing, invoice);
    await expect(replayJournal(billing, entries, { input: invoice })).resolves.toMatchObject({ ok: true });
    const renamed = workflow({ name: "billing" }, async (ctx, input: Invoice) => {
      await ctx.call("charge-card", () => input.cents);
    });
    const error = await replayJournal(renamed, entries, { input: invoice }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonDeterminismError);
    expect((error as Error).message).toContain(
      'seq 0 was issued as call("charge-card") but the journal has call("charge")',
    );
  });

  it("lets code go past the last entry unless told the run finished", async () => {
    const { entries } = await exportOf(heartbeat, undefined);
    const longer = workflow({ name: "heartbeat" }, async (ctx) => {
      await heartbeat.fn(ctx, undefined);
      return ctx.call("another-beat", () => "beat");
    });
    await expect(replayJournal(longer, entries)).resolves.toMatchObject({ ok: true, ended: "running-live" });
    await expect(replayJournal(longer, entries, { status: "completed" })).rejects.toThrow(
      `completed after its last journal entry, but today's code issues seq 2 call("another-beat")`,
    );
  });
});
