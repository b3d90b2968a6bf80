/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Page functions run in the browser: they see its globals.
import { JOURNAL_EXPORT_FORMAT, schedule, scheduledRunId } from "@durable/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, startDashboardEnv } from "./dashboard-env.js";
import {
  approval,
  dripCampaign,
  exporter,
  exportGate,
  onboarding,
  pageWorkflows,
} from "./example-workflows.js";

const nightly = schedule({
  name: "nightly-drip",
  cron: "0 3 * * *",
  timezone: "Europe/Paris",
  workflow: dripCampaign,
  input: { email: "night@example.com" },
});
const weekly = schedule({
  name: "weekly-onboarding",
  cron: "0 9 * * MON",
  workflow: onboarding,
  input: { userId: "w", plan: "free" as const },
});

let env: Awaited<ReturnType<typeof startDashboardEnv>>;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  env = await startDashboardEnv({ workflows: pageWorkflows, schedules: [nightly, weekly] });
  context = await env.loggedIn({
    viewport: { width: 1440, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  // Counts the page's EventSource streams, opened and closed.
  await context.addInitScript(() => {
    const counts = { opened: 0, closed: 0 };
    const Native = window.EventSource;
    (window as unknown as { __streams: typeof counts }).__streams = counts;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        counts.opened++;
      }
      override close(): void {
        counts.closed++;
        super.close();
      }
    };
  });
  page = await context.newPage();
  const done = await env.client.start(onboarding, { userId: "ada", plan: "pro" as const });
  const failed = await env.client.start(approval, { requestId: "r-1", amountCents: 10 });
  await env.waitForStatus(done.id, ["completed"]);
  await env.waitForStatus(failed.id, ["completed"]);
});

afterAll(async () => {
  exportGate.open();
  await context?.close();
  await env?.close();
});

describe("the workflows, schedules and workers pages in a real browser", () => {
  it("lists every workflow with its input and event schemas and its runs per status", async () => {
    await page.goto(`${env.dashboard.url}workflows`);
    const cards = page.locator("section.workflow-card");
    expect(await cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.workflow))).toEqual([
      "approval",
      "drip-campaign",
      "exporter",
      "onboarding",
      "order-fulfilment",
      "shipping",
    ]);
    const card = page.locator('section.workflow-card[data-workflow="approval"]');
    expect(await card.locator('.counts b[data-status="completed"]').textContent()).toBe("1");
    expect(await card.locator(".schema .prop-name").allTextContents()).toEqual([
      "requestId",
      "amountCents",
      "by",
      "approve",
    ]);
    await card.locator("details.schema", { hasText: "event approved" }).locator("summary").click();
    const eventSchema = JSON.parse((await card.locator("details.schema[open] pre").textContent()) ?? "");
    expect(eventSchema).toMatchObject({ type: "object", required: ["by", "approve"] });
    expect(
      await page.locator('section.workflow-card[data-workflow="exporter"] .meta').textContent(),
    ).toContain("concurrency 1");
    await page.screenshot({ path: `${ARTIFACTS}workflows.png`, fullPage: true });
  });

  it("starts a run from the form built from the input schema, showing the server's error next to the field", async () => {
    await page.goto(`${env.dashboard.url}workflows/approval`);
    const form = page.locator("form#start");
    expect(
      await form
        .locator("[data-field]")
        .evaluateAll((els) =>
          els.map((e) => `${(e as HTMLElement).dataset.field}:${(e as HTMLElement).dataset.type}`),
        ),
    ).toEqual(["requestId:string", "amountCents:integer"]);
    await form.locator('[data-field="requestId"]').fill("exp-7");
    await form.locator('[data-field="amountCents"]').fill("-5");
    await form.locator('button[type="submit"]').click();
    const slot = form.locator('[data-error-for="amountCents"]');
    await expect.poll(() => slot.textContent()).toMatch(/too small|>0|positive/i);
    expect(await form.locator('[data-error-for="requestId"]').textContent()).toBe("");
    expect(await env.client.list({ workflow: "approval" })).toHaveLength(1);
    await page.screenshot({ path: `${ARTIFACTS}start-form-error.png`, fullPage: true });

    await form.locator('[data-field="amountCents"]').fill("90000");
    await form.locator("details.more-options summary").click();
    await form.locator('[data-option="id"]').fill("approval:exp-7");
    await form.locator('[data-option="tags"]').fill("requester=ann");
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/\/runs\/approval%3Aexp-7$/);
    expect(await page.locator("h1.run-title").textContent()).toBe("approval:exp-7");
    const run = await env.client.get("approval:exp-7");
    expect(run?.input).toEqual({ requestId: "exp-7", amountCents: 90_000 });
    expect(run?.tags.requester).toBe("ann");
  });

  it("sends a declared event from a form built from its schema, and the page follows the run to its end", async () => {
    const id = "approval:exp-7";
    await env.waitForStatus(id, ["suspended"]);
    await page.goto(`${env.dashboard.url}runs/${encodeURIComponent(id)}`);
    await page.locator('details.message-form[data-name="approved"][open]').waitFor();
    expect(await page.locator("details.message-form .waiting-tag").textContent()).toBe("waiting");
    const form = page.locator('details.message-form[data-name="approved"] form');
    page.once("dialog", (d) => void d.accept());
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[data-error-for="by"]').textContent()).not.toBe("");
    expect(await form.locator('[data-error-for="approve"]').textContent()).not.toBe("");
    await page.screenshot({ path: `${ARTIFACTS}run-event-form.png`, fullPage: true });
    expect((await env.client.get(id))?.status).toBe("suspended");

    await form.locator('[data-field="by"]').fill("ann");
    await form.locator('[data-field="approve"]').selectOption("true");
    page.once("dialog", (d) => void d.accept());
    await form.locator('button[type="submit"]').click();
    await env.waitForStatus(id, ["completed"]);
    await page.locator(".run-head .status-completed").waitFor();
    expect((await env.client.get(id))?.output).toEqual({ status: "approved", by: "ann" });
  });

  it("updates a running run's page from its server-sent events, without reloading it, letting go of the stream while hidden", async () => {
    const first = await env.client.start(exporter, { table: "orders" }, { id: "export:orders" });
    const second = await env.client.start(exporter, { table: "users" }, { id: "export:users" });
    await env.waitForStatus(first.id, ["running"]);
    const accepts: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/live")) accepts.push(r.headers().accept ?? "");
    });
    await page.goto(`${env.dashboard.url}runs/${encodeURIComponent(first.id)}`);
    await page.locator(".run-head .status-running").waitFor();
    await expect.poll(() => accepts.length).toBeGreaterThan(0);
    expect(accepts[0]).toContain("text/event-stream");

    await page.goto(`${env.dashboard.url}workers`);
    const worker = page.locator("section.worker-card").first();
    expect(await worker.locator(".status").textContent()).toBe("heartbeating");
    const lease = worker.locator(`tr[data-run="${first.id}"]`);
    expect(await lease.locator("td.num").first().textContent()).toBe("1");
    expect(await lease.textContent()).toMatch(/in \d+(\.\d+)?s/);
    expect(await worker.locator(".worker-id").textContent()).toBe(env.worker.id);
    const held = page.locator(`table.held tr[data-run="${second.id}"]`);
    await held.waitFor();
    expect(await held.locator("code.held-by").textContent()).toBe("concurrency:exports");
    const queue = page.locator('table.queues tr[data-queue="exports"]');
    expect(await queue.locator("td.num").allTextContents()).toEqual(["1", "0", "1", "0", "0"]);
    await page.screenshot({ path: `${ARTIFACTS}workers.png`, fullPage: true });

    await page.goto(`${env.dashboard.url}runs/${encodeURIComponent(first.id)}`);
    await page.locator(".run-head .status-running").waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    // A hidden tab lets go of its stream and takes a new one when shown again.
    const streams = () => page.evaluate(() => (window as unknown as { __streams: object }).__streams);
    expect(await streams()).toEqual({ opened: 1, closed: 0 });
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    await setHidden(true);
    expect(await streams()).toEqual({ opened: 1, closed: 1 });
    await setHidden(false);
    expect(await streams()).toEqual({ opened: 2, closed: 1 });

    exportGate.open();
    await page.locator(".run-head .status-completed").waitFor({ timeout: 15_000 });
    expect(
      await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    expect(await page.locator("table.timeline tr.entry").count()).toBe(1);
    expect(await page.locator("#refresh-state").textContent()).toBe("(finished)");
    await env.waitForStatus(second.id, ["completed"]);
  });

  it("shows the raw journal as the canonical export, copied with one click", async () => {
    const id = "approval:exp-7";
    await page.goto(`${env.dashboard.url}runs/${encodeURIComponent(id)}`);
    await page.locator("#journal-json-details summary").click();
    const shown = JSON.parse((await page.locator("#journal-json").textContent()) ?? "");
    expect(shown).toEqual(JSON.parse(JSON.stringify(await env.client.exportJournal(id))));
    expect(shown.format).toBe(JOURNAL_EXPORT_FORMAT);
    await page.click('button[data-copy="journal-json"]');
    await expect.poll(() => page.locator("#toast").textContent()).toContain("Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied)).toEqual(shown);
    const download = await page.request.get(`${env.dashboard.url}api/runs/${encodeURIComponent(id)}/export`);
    expect(download.headers()["content-disposition"]).toContain("attachment");
    expect(await download.json()).toEqual(shown);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${ARTIFACTS}run-journal-json.png`, fullPage: true });
  });

  it("lists the schedules with their cron, workflow, next tick and last run", async () => {
    const tick = new Date(Date.UTC(2026, 0, 2, 2, 0, 0));
    const last = await env.client.start(
      dripCampaign,
      { email: "night@example.com" },
      {
        id: scheduledRunId(nightly.name, tick),
        tags: { "durable.schedule": nightly.name, "durable.tick": tick.toISOString() },
      },
    );
    const before = new Date();
    await page.goto(`${env.dashboard.url}schedules`);
    const after = new Date();
    const rows = page.locator("table.schedules tbody tr");
    expect(
      await rows
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.schedule))
        .then((n) => [...n].sort()),
    ).toEqual(["nightly-drip", "weekly-onboarding"]);
    const row = page.locator('tr[data-schedule="nightly-drip"]');
    expect(await row.locator("code.spec").textContent()).toBe("0 3 * * *");
    expect(await row.textContent()).toContain("Europe/Paris");
    expect(await row.locator("a", { hasText: "drip-campaign" }).count()).toBe(1);
    // The page reads the clock once between before and after: a tick may fall in between.
    const next = [nightly.nextTick(before), nightly.nextTick(after)].map((d) => d?.toISOString());
    expect(next).toContain(await row.locator(".next-tick .time").getAttribute("title"));
    expect(await row.locator(".last-run a.run-id").textContent()).toBe(last.id);
    expect(await page.locator('tr[data-schedule="weekly-onboarding"] .last-run').textContent()).toBe(
      "none yet",
    );
    await page.screenshot({ path: `${ARTIFACTS}schedules.png`, fullPage: true });
  });
});
