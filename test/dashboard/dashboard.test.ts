import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client, memoryStore, type RunHandle, type RunStatus, silentLogger, Worker } from "@durable/core";
import { type DashboardServer, serveDashboard } from "@durable/dashboard";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approval,
  bank,
  dripCampaign,
  exampleWorkflows,
  onboarding,
  orderFulfilment,
} from "./example-workflows.js";
import { launchChromium } from "./launch-chromium.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const TOKEN = "e2e-dashboard-token";

const store = memoryStore();
const client = new Client({ store, workflows: exampleWorkflows });
const worker = new Worker({ store, workflows: exampleWorkflows, logger: silentLogger, pollMs: 50 });
let dashboard: DashboardServer;
let browser: Browser;
let page: Page;
const runs: Record<string, RunHandle<unknown>> = {};

async function waitForStatus(id: string, statuses: RunStatus[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.get(id);
    if (run && statuses.includes(run.status)) return;
    if (Date.now() > deadline) throw new Error(`run ${id} is ${run?.status}, not ${statuses.join("/")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: this test drives Debian's chromium; run "bash test/dashboard/ensure-chromium.sh" first`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  await worker.start();
  dashboard = await serveDashboard({ client, store, port: 0, token: TOKEN });

  runs.pro = await client.start(
    onboarding,
    { userId: "ada", plan: "pro" as const },
    { tags: { team: "growth" } },
  );
  runs.free = await client.start(
    onboarding,
    { userId: "bob", plan: "free" as const },
    { tags: { team: "growth" } },
  );
  runs.approval = await client.start(
    approval,
    { requestId: "exp-1042", amountCents: 125_000 },
    { id: "approval:exp-1042", tags: { requester: "carol" } },
  );
  runs.drip = await client.start(dripCampaign, { email: "dan@example.com" }, { id: "drip:dan" });
  runs.order = await client.start(
    orderFulfilment,
    { orderId: "o-77", card: "4242" },
    { tags: { customer: "c-9" } },
  );
  runs.declined = await client.start(orderFulfilment, { orderId: "o-78", card: "0000" });
  await Promise.all([
    waitForStatus(runs.pro.id, ["completed"]),
    waitForStatus(runs.free.id, ["completed"]),
    waitForStatus(runs.order.id, ["completed"]),
    waitForStatus(runs.declined.id, ["failed"]),
    waitForStatus(runs.approval.id, ["suspended"]),
    waitForStatus(runs.drip.id, ["suspended"]),
  ]);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await worker.stop({ graceMs: 1_000 });
});

describe("the dashboard in a real browser", () => {
  it("logs in once with ?token= and lists the runs with their counts", async () => {
    const refused = await page.goto(dashboard.url);
    expect(refused?.status()).toBe(401);

    await page.goto(dashboard.loginUrl as string);
    expect(new URL(page.url()).search).toBe("");
    await page.locator("table.runs").waitFor();
    expect(await page.locator("table.runs tbody tr").count()).toBe(7);
    expect(await page.locator('.tab-count[data-status="completed"]').textContent()).toBe("4");
    expect(await page.locator('.tab-count[data-status="failed"]').textContent()).toBe("1");
    expect(await page.locator('.tab-count[data-status="suspended"]').textContent()).toBe("2");
    await page.screenshot({ path: `${ARTIFACTS}runs-list.png`, fullPage: true });
  });

  it("refreshes the counts and the table in place when a run starts", async () => {
    const before = await page.locator("table.runs tbody tr").count();
    const marker = await page.evaluateHandle(() => {
      const w = globalThis as unknown as { __sameDocument: boolean };
      w.__sameDocument = true;
      return w;
    });
    const extra = await client.start(
      onboarding,
      { userId: "eve", plan: "free" as const },
      { id: "onboarding:eve" },
    );
    await waitForStatus(extra.id, ["completed"]);
    await page.locator('a.run-id[title="onboarding:eve"]').waitFor({ timeout: 15_000 });
    expect(await page.locator("table.runs tbody tr").count()).toBe(before + 1);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    await marker.dispose();
  });

  it("finds a run by id and shows its timeline and its path as a state machine", async () => {
    await page.fill('input[name="q"]', runs.pro?.id.slice(-8) ?? "");
    await page.click('form.filters button[type="submit"]');
    await page.waitForURL(/q=/);
    expect(await page.locator("table.runs tbody tr").count()).toBe(1);

    await page.click(`a.run-id[href$="${encodeURIComponent(runs.pro?.id ?? "")}"]`);
    await page.locator("svg.state-machine").waitFor();
    expect(await page.locator("h1.run-title").textContent()).toBe(runs.pro?.id);
    expect(await page.locator("table.timeline tr.entry").count()).toBe(5);
    expect(await page.locator("svg.state-machine .node-compute").count()).toBe(3);
    expect(await page.locator("svg.state-machine .node-delay").count()).toBe(1);
    expect(await page.locator("svg.state-machine .node-decision").count()).toBe(1);
    expect(await page.locator("svg.state-machine .edge-label").first().textContent()).toBe("true");
    expect(await page.locator("svg.state-machine .node-end.tone-ok").count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}run-timeline.png`, fullPage: true });
  });

  it("forks a run from a timeline entry and opens the new run", async () => {
    const source = runs.pro?.id as string;
    await page.goto(`${dashboard.url}runs/${encodeURIComponent(source)}`);
    await page.hover('tr.entry[data-seq="3"]');
    const dialog = new Promise<string>((resolve) =>
      page.once("dialog", (d) => {
        resolve(d.message());
        void d.accept();
      }),
    );
    await page.click('tr.entry[data-seq="3"] button[data-action="fork"]');
    expect(await dialog).toContain(`Fork run ${source} from #3?`);
    await page.waitForURL((url) => !url.pathname.endsWith(encodeURIComponent(source)));
    const forkId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1) as string);
    expect((await client.get(forkId))?.tags["durable.forkedFrom"]).toBe(source);
    expect((await client.journal(forkId)).slice(0, 3).map((e) => e.name)).toEqual([
      "fetch-user",
      "send-welcome",
      "sleep",
    ]);
    await page.locator(`.facts a.run-id[title="${source}"]`).waitFor();
  });

  it("cancels a run through its page after the confirm dialog", async () => {
    const drip = runs.drip?.id as string;
    await page.goto(`${dashboard.url}runs/${encodeURIComponent(drip)}`);
    const dialog = new Promise<string>((resolve) =>
      page.once("dialog", (d) => {
        resolve(d.message());
        void d.accept();
      }),
    );
    await page.click('button[data-action="cancel"]');
    expect(await dialog).toContain(`Cancel run ${drip}?`);
    await waitForStatus(drip, ["cancelled"]);
    await page.locator(".run-head .status-cancelled").waitFor();
    expect(await page.locator('button[data-action="cancel"]').count()).toBe(0);
  });

  it("sends an event through the form, refused first with the server's message, and the run completes", async () => {
    const id = runs.approval?.id as string;
    await page.goto(`${dashboard.url}runs/${encodeURIComponent(id)}`);
    expect(await page.locator("svg.state-machine .node-waiting").textContent()).toContain(
      'waiting for event "approved"',
    );
    // This dashboard was not given the workflow definitions: a free form, checked by the client's schemas.
    const form = page.locator("form#any-event");
    expect(await form.locator('input[data-option="name"]').inputValue()).toBe("approved");

    await form.locator("textarea[data-root-json]").fill('{ "by": "ann" }');
    page.once("dialog", (d) => void d.accept());
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator(".form-error").textContent()).toContain("approve");
    expect((await client.get(id))?.status).toBe("suspended");

    await form.locator("textarea[data-root-json]").fill('{ "by": "ann", "approve": true }');
    page.once("dialog", (d) => void d.accept());
    await form.locator('button[type="submit"]').click();
    await waitForStatus(id, ["completed"]);
    expect((await client.get(id))?.output).toEqual({ status: "approved", by: "ann" });
    await page.locator(".run-head .status-completed").waitFor();
  });

  it("retries a failed run once its cause is fixed", async () => {
    const id = runs.declined?.id as string;
    await page.goto(`${dashboard.url}runs/${encodeURIComponent(id)}`);
    expect(await page.locator(".error-box").textContent()).toContain("card ending 0000 was declined");
    bank.declined.clear();
    page.once("dialog", (d) => void d.accept());
    await page.click('button[data-action="retry"]');
    await waitForStatus(id, ["completed"]);
    await page.locator(".run-head .status-completed").waitFor();
  });
});
