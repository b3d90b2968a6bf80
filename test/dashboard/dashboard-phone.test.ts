/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Page functions run in the browser: they see its globals.
import { schedule } from "@durable/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, pngSize, startDashboardEnv } from "./dashboard-env.js";
import {
  approval,
  dripCampaign,
  exporter,
  exportGate,
  onboarding,
  orderFulfilment,
  pageWorkflows,
} from "./example-workflows.js";

const PHONE = { width: 390, height: 844 };
const LONG_ID = "order-fulfilment:customer-c-9:order-o-77:attempt-2026-12-04T09:30:00.000Z";

let env: Awaited<ReturnType<typeof startDashboardEnv>>;
let context: BrowserContext;
let page: Page;

interface Layout {
  viewport: number;
  documentWidth: number;
  /** Elements reaching past the viewport that no scrolling container holds. */
  overflowing: string[];
  /** Run ids shown that take more than one line. */
  wrappedIds: string[];
  ids: number;
}

// Measures what a phone user sees: nothing wider than the screen unless it sits in a box that scrolls
// sideways (a table), and every run id on one line (cut with an ellipsis when it does not fit).
function measure(): Layout {
  const viewport = document.documentElement.clientWidth;
  const held = (el: Element) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  const name = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].join(".")}`;
  const overflowing: string[] = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > viewport + 0.5 || r.left < -0.5) && !held(el))
      overflowing.push(`${name(el)} ${Math.round(r.width)}px`);
  }
  const ids = [...document.querySelectorAll("a.run-id")].filter((a) => a.getBoundingClientRect().height > 0);
  const wrappedIds = ids
    .filter((a) => {
      const line = Number.parseFloat(getComputedStyle(a).lineHeight) || 20;
      return a.getClientRects().length > 1 || a.getBoundingClientRect().height > line * 1.5;
    })
    .map((a) => a.textContent ?? "");
  return {
    viewport,
    documentWidth: document.documentElement.scrollWidth,
    overflowing,
    wrappedIds,
    ids: ids.length,
  };
}

async function checkPhoneLayout(path: string, shot: string, minIds = 0): Promise<void> {
  await page.goto(`${env.dashboard.url}${path}`);
  await page.locator("main").waitFor();
  const layout = await page.evaluate(measure);
  expect(layout.viewport, path).toBe(PHONE.width);
  expect(layout.overflowing, path).toEqual([]);
  expect(layout.documentWidth, path).toBeLessThanOrEqual(PHONE.width);
  expect(layout.wrappedIds, path).toEqual([]);
  expect(layout.ids, path).toBeGreaterThanOrEqual(minIds);
  const png = await page.screenshot({ path: `${ARTIFACTS}${shot}`, fullPage: true });
  expect(pngSize(png).width, path).toBe(PHONE.width);
}

beforeAll(async () => {
  const nightly = schedule({
    name: "nightly-drip-campaign-for-every-new-customer",
    cron: "0 3 * * *",
    timezone: "Europe/Paris",
    workflow: dripCampaign,
    input: { email: "night@example.com" },
  });
  env = await startDashboardEnv({ workflows: pageWorkflows, schedules: [nightly] });
  context = await env.loggedIn({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  page = await context.newPage();
  const runs = [
    await env.client.start(
      orderFulfilment,
      { orderId: "o-77", card: "4242" },
      { id: LONG_ID, tags: { customer: "c-9" } },
    ),
    await env.client.start(onboarding, { userId: "ada", plan: "pro" as const }, { tags: { team: "growth" } }),
    await env.client.start(
      approval,
      { requestId: "exp-1042", amountCents: 125_000 },
      { id: "approval:exp-1042" },
    ),
    await env.client.start(orderFulfilment, { orderId: "o-78", card: "0000" }),
    await env.client.start(exporter, { table: "orders" }, { id: `export:${LONG_ID}` }),
    await env.client.start(exporter, { table: "users" }),
  ];
  await Promise.all([
    env.waitForStatus(runs[0]!.id, ["completed"]),
    env.waitForStatus(runs[1]!.id, ["completed"]),
    env.waitForStatus(runs[2]!.id, ["suspended"]),
    env.waitForStatus(runs[3]!.id, ["failed"]),
    env.waitForStatus(runs[4]!.id, ["running"]),
  ]);
});

afterAll(async () => {
  exportGate.open();
  await context?.close();
  await env?.close();
});

describe("the dashboard on a phone (390×844)", () => {
  it("lists runs without sideways scrolling, each id on one line", async () => {
    await checkPhoneLayout("", "phone-runs.png", 5);
    const id = page.locator(`a.run-id[title="${LONG_ID}"]`).first();
    expect(await id.evaluate((a) => a.scrollWidth > a.clientWidth)).toBe(true);
  });

  it("shows a run with a long id: the title wraps at the screen's width, the timeline scrolls in its box", async () => {
    await checkPhoneLayout(`runs/${encodeURIComponent(LONG_ID)}`, "phone-run.png", 1);
    const title = await page.locator("h1.run-title").evaluate((h) => ({
      lines: Math.round(h.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(h).lineHeight)),
      chars: h.textContent?.length ?? 0,
    }));
    expect(title.lines).toBeLessThanOrEqual(Math.ceil(title.chars / 20));
  });

  it("shows a waiting run's event form within the screen", async () => {
    await checkPhoneLayout(`runs/${encodeURIComponent("approval:exp-1042")}`, "phone-run-waiting.png");
    await page.locator('details.message-form[data-name="approved"] [data-field="by"]').waitFor();
  });

  it("fits the workflows, start form, schedules and workers pages", async () => {
    await checkPhoneLayout("workflows", "phone-workflows.png");
    await checkPhoneLayout("workflows/approval", "phone-start.png", 1);
    await checkPhoneLayout("schedules", "phone-schedules.png");
    await checkPhoneLayout("workers", "phone-workers.png", 2);
  });
});
