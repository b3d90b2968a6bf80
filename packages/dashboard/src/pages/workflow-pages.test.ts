import { workflow } from "@durable/core";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createEnv, journey, WORKFLOWS } from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const EVIL = "<img src=x onerror=alert(1)>";

/** A workflow whose field, event and description text carry markup. */
const hostile = workflow(
  {
    name: `hostile${EVIL}`,
    input: z.object({ [EVIL]: z.string().describe(EVIL) }),
    events: { [EVIL]: z.object({ [EVIL]: z.number() }) },
  },
  async (ctx) => ctx.waitForEvent(EVIL),
);

async function page(path: string, status = 200): Promise<string> {
  const res = await env!.app.request(path);
  expect(res.status, path).toBe(status);
  return res.text();
}

describe("the workflows pages", () => {
  it("build the start form from the input schema: a field per property, typed, with its error slot", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const html = await page("/workflows/journey");
    expect(html).toContain(
      '<form class="action-form schema-form" id="start" data-endpoint="/api/workflows/journey/runs"',
    );
    expect(html).toMatch(
      /<input id="start-f0" data-field="userId" data-type="string" data-required="true" type="text"/,
    );
    expect(html).toContain('<span class="field-error" data-error-for="userId" role="alert"></span>');
    expect(html).toContain('data-option="tags"');
    const flaky = await page("/workflows/flaky");
    expect(flaky).toContain("data-root-json");
    expect(flaky).toContain("the workflow declares no schema");
  });

  it("escape every name, description and event a schema carries", async () => {
    env = await createEnv({ workflows: [...WORKFLOWS, hostile] });
    // No worker runs it: the run stays pending, and its page still offers the declared event.
    await env.client.start(hostile, { [EVIL]: "x" }, { id: "h1" });
    for (const path of ["/workflows", `/workflows/${encodeURIComponent(hostile.name)}`, "/runs/h1"]) {
      const text = await page(path);
      expect(text, path).not.toContain("<img src=x");
    }
    const form = await page(`/workflows/${encodeURIComponent(hostile.name)}`);
    expect(form).toContain('data-field="&lt;img src=x onerror=alert(1)&gt;"');
    expect(form).toContain('<small class="hint">&lt;img src=x onerror=alert(1)&gt;</small>');
    const runPage = await page("/runs/h1");
    expect(runPage).toContain('data-name="&lt;img src=x onerror=alert(1)&gt;">');
    expect(runPage).toContain(
      'data-body-extra="{&quot;name&quot;:&quot;&lt;img src=x onerror=alert(1)&gt;&quot;}"',
    );
  });

  it("answer a workflow they were not given with a 404 page", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    expect(await page("/workflows/nope", 404)).toContain("knows no workflow “nope”");
  });

  it("say on the workflows page when the dashboard was given no definitions", async () => {
    env = await createEnv();
    expect(await page("/workflows")).toContain("The dashboard was given no workflow definitions");
  });
});

describe("a run's page with its workflow's declarations", () => {
  it("offers a form per declared event, the one it waits for open, and no free event form", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const html = await page(`/runs/${run.id}`);
    expect(html).toContain('<details class="message-form" data-kind="event" data-name="approved" open>');
    expect(html).toContain('data-issue-prefix="event &quot;approved&quot; payload"');
    expect(html).toContain('data-field="by" data-type="string" data-required="true"');
    expect(html).not.toContain('id="any-event"');
  });

  it("shows the raw journal as the canonical export, and serves it as a download", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const run = await env.client.start(journey, { userId: "u1" }, { id: "j/1" });
    await env.waitingFor(run.id, "approved");
    await env.client.sendEvent(run.id, "approved", { by: "ann" });
    await env.until(run.id, ["completed"]);
    const html = await page(`/runs/${encodeURIComponent(run.id)}`);
    const shown = /<pre class="json" id="journal-json">([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? "";
    const text = shown
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
    const exported = `${JSON.stringify(await env.client.exportJournal(run.id), null, 2)}\n`;
    expect(text).toBe(exported);
    expect(html).not.toContain("message-forms");
    const download = await env.app.request(`/api/runs/${encodeURIComponent(run.id)}/export`);
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename="j_1.journal.json"; filename*=UTF-8''j%2F1.journal.json`,
    );
    expect(await download.text()).toBe(exported);
  });

  it("embeds the key the live stream compares, and asks to follow the run over server-sent events", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const html = await page(`/runs/${run.id}`);
    expect(html).toContain('data-live-via="sse"');
    expect(html).toMatch(/data-live-key="suspended\|3\|2030-01-04T10:00:00\.000Z\|\d+\|\|approved\|0\|0"/);
    const script = await (await env.app.request("/assets/dashboard.js")).text();
    expect(script).toContain("new EventSource(");
  });
});
