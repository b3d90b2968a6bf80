/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Page functions run in the browser: they see its globals.
import { existsSync, mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliJson, eventually, makeProject, type Project, type RunJson, spawnCli } from "../cli/helpers.js";
import { launchChromium } from "./launch-chromium.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const EXAMPLES = resolve(fileURLToPath(new URL("../../examples/", import.meta.url)));
const SCHEDULES = fileURLToPath(new URL("./dev-schedules.ts", import.meta.url));

// The dashboard as a user meets it: inside `durable dev`, on the embedded database, running the examples.
describe("the dashboard of a durable dev process running the examples, in a real browser", () => {
  let project: Project;
  let dev: ReturnType<typeof spawnCli>;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run "bash test/dashboard/ensure-chromium.sh" first`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    project = await makeProject();
    const workflows = ["hello", "order-fulfilment", "drip-campaign", "approval"].map((e) =>
      JSON.stringify(join(EXAMPLES, e, "src/workflows.ts")),
    );
    await writeFile(
      join(project.dir, "durable.config.ts"),
      `import { morningHello } from ${JSON.stringify(SCHEDULES)};
export default {
  workflows: [${workflows.join(", ")}],
  schedules: [morningHello],
  dev: { runs: [
    { workflow: "hello", input: { who: "browser" }, id: "hello:browser" },
    { workflow: "approval", input: { requestId: "r-9", requester: "bob", amountCents: 90000 }, id: "approval:r-9" },
    { workflow: "drip-campaign", input: { userId: "u-9", email: "eve@example.com" }, id: "drip:u-9" },
  ] },
};
`,
    );
    dev = spawnCli(project, ["dev", "--port", "0"]);
    url = await eventually("the dashboard's address", async () => {
      const { stdout, code, stderr } = dev.output();
      if (code !== null) throw new Error(`durable dev exited ${code}: ${stderr}`);
      return /^dashboard on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout)?.[1];
    });
    await eventually("the hello run to complete", async () =>
      /hello:browser {2}completed in /.test(dev.output().stdout) ? true : undefined,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    if (dev && dev.output().code === null) {
      dev.child.kill("SIGINT");
      await dev.done;
    }
    await project?.remove();
  });

  it("finds a run in the list, opens its timeline and its path as a picture", async () => {
    await page.goto(url);
    await page.locator("table.runs").waitFor();
    await page.locator('a.run-id[title="hello:browser"]').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}dev-runs-list.png`, fullPage: true });
    await page.click('a.run-id[title="hello:browser"]');
    await page.locator("svg.state-machine").waitFor();
    expect(await page.locator("h1.run-title").textContent()).toBe("hello:browser");
    expect(await page.locator("table.timeline tr.entry").count()).toBe(3);
    expect(await page.locator("svg.state-machine .node-compute").count()).toBe(1);
    expect(await page.locator("svg.state-machine .node-delay").count()).toBe(1);
    expect(await page.locator("svg.state-machine .node-decision").count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}dev-run-timeline.png`, fullPage: true });
  });

  it("lists the config's workflows with their schemas and starts one from its form", async () => {
    await page.goto(`${url}workflows`);
    const names = await page
      .locator("section.workflow-card")
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.workflow));
    expect(names).toEqual(expect.arrayContaining(["approval", "drip-campaign", "hello", "order-fulfilment"]));
    const hello = page.locator('section.workflow-card[data-workflow="hello"]');
    expect(await hello.locator(".schema .prop-name").allTextContents()).toEqual(["who"]);
    await hello.locator("a.button-link", { hasText: "Start a run" }).click();
    const form = page.locator("form#start");
    await form.locator('[data-field="who"]').fill("form");
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/\/runs\//);
    await page.locator(".run-head .status-completed").waitFor({ timeout: 20_000 });
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1) as string);
    const shown = await cliJson<{ run: RunJson }>(project, "show", id, "--json");
    expect(shown.run).toMatchObject({ status: "completed", input: { who: "form" } });
  });

  it("lists the config's schedules", async () => {
    await page.goto(`${url}schedules`);
    const row = page.locator('tr[data-schedule="morning-hello"]');
    expect(await row.locator("code.spec").textContent()).toBe("0 7 * * *");
    expect(await row.locator("a", { hasText: "hello" }).count()).toBe(1);
  });

  it("cancels the waiting approval run after the confirm dialog, and the cancellation reaches the worker", async () => {
    await eventually("the approval run to wait for its event", async () => {
      const shown = await cliJson<{ run: RunJson }>(project, "show", "approval:r-9", "--json");
      return shown.run.status === "suspended" ? true : undefined;
    });
    await page.goto(`${url}runs/${encodeURIComponent("approval:r-9")}`);
    const dialog = new Promise<string>((resolveDialog) =>
      page.once("dialog", (d) => {
        resolveDialog(d.message());
        void d.accept();
      }),
    );
    await page.click('button[data-action="cancel"]');
    expect(await dialog).toContain("Cancel run approval:r-9?");
    await page.locator(".run-head .status-cancelled").waitFor({ timeout: 20_000 });
    const shown = await cliJson<{ run: RunJson }>(project, "show", "approval:r-9", "--json");
    expect(shown.run.status).toBe("cancelled");
    await eventually("dev to print the cancellation", async () =>
      /approval:r-9 {2}cancelled/.test(dev.output().stdout) ? true : undefined,
    );
  });
});
