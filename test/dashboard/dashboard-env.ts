import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type AnySchedule,
  type AnyWorkflow,
  Client,
  memoryStore,
  type RunStatus,
  silentLogger,
  Worker,
} from "@durable/core";
import { type DashboardServer, serveDashboard } from "@durable/dashboard";
import type { Browser, BrowserContext } from "playwright-core";
import { launchChromium } from "./launch-chromium.js";

export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/** A memory store, a worker and a client over the workflows, the dashboard served with a token, and Chromium. */
export async function startDashboardEnv(options: {
  workflows: readonly AnyWorkflow[];
  schedules?: readonly AnySchedule[];
}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync("/usr/bin/chromium")) {
    throw new Error('/usr/bin/chromium is missing: run "bash test/dashboard/ensure-chromium.sh" first');
  }
  const store = memoryStore();
  const client = new Client({ store, workflows: options.workflows });
  const worker = new Worker({ store, workflows: options.workflows, logger: silentLogger, pollMs: 50 });
  await worker.start();
  const dashboard: DashboardServer = await serveDashboard({
    client,
    store,
    workflows: options.workflows,
    ...(options.schedules ? { schedules: options.schedules } : {}),
    port: 0,
    token: "e2e-dashboard-token",
    livePollMs: 200,
  });
  const browser: Browser = await launchChromium();

  /** A browser context logged in to the dashboard (the token cookie set). */
  async function loggedIn(
    contextOptions: Parameters<Browser["newContext"]>[0] = {},
  ): Promise<BrowserContext> {
    const context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await page.goto(dashboard.loginUrl as string);
    await page.close();
    return context;
  }

  async function waitForStatus(id: string, statuses: RunStatus[], timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await client.get(id);
      if (run && statuses.includes(run.status)) return;
      if (Date.now() > deadline) throw new Error(`run ${id} is ${run?.status}, not ${statuses.join("/")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    store,
    client,
    worker,
    dashboard,
    browser,
    loggedIn,
    waitForStatus,
    close: async () => {
      await browser.close();
      await dashboard.close();
      await worker.stop({ graceMs: 1_000 });
    },
  };
}

/** The width and height of a PNG, from its header. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
