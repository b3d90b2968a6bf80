import { afterEach, describe, expect, it } from "vitest";
import { createEnv, echo, journey, parent, poller, postJson } from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function page(path: string): Promise<string> {
  const res = await env!.app.request(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The inline SVG of a run page. */
function svgOf(html: string): string {
  const start = html.indexOf('<svg class="state-machine"');
  return html.slice(start, html.indexOf("</svg>", start) + 6);
}

/** The journal's rows in a run page's timeline. */
function timelineRows(html: string): string[] {
  return [...html.matchAll(/<tr class="entry kind-(\w+)" data-seq="(\d+)">([\s\S]*?)<\/tr>/g)].map(
    (m) => `${m[2]} ${m[1]} ${(/<td class="name">([^<]*)</.exec(m[3] as string) ?? [])[1]}`,
  );
}

describe("a run's page", () => {
  it("escapes a run's input, output, id, tags and step names instead of running them", async () => {
    env = await createEnv();
    const evil = "<script>alert(1)</script>";
    const run = await env.client.start(echo, { text: evil }, { id: `x"${evil}`, tags: { [evil]: evil } });
    await env.until(run.id, ["completed"]);
    for (const path of [`/runs/${encodeURIComponent(run.id)}`, "/"]) {
      const html = await page(path);
      expect(html, path).not.toContain("<script>alert(1)</script>");
      expect(html, path).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
    const detail = await page(`/runs/${encodeURIComponent(run.id)}`);
    expect(detail).toContain("&quot;text&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    expect(detail).toContain("&quot;said&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    expect(detail).toContain('<h1 class="run-title">x&quot;&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(svgOf(detail)).toContain("step &lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("sends a Content-Security-Policy that forbids inline scripts", async () => {
    env = await createEnv();
    const res = await env.app.request("/");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("shows a call, a sleep, a decision and an event on the timeline with durations and values", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    env.clock.advance("2h");
    await env.client.sendEvent(run.id, "approved", { by: "ann" });
    await env.until(run.id, ["completed"]);
    const html = await page(`/runs/${run.id}`);
    expect(timelineRows(html)).toEqual([
      "0 call fetch-user",
      "1 sleep sleep",
      "2 decide is-vip",
      "3 event approved",
      "4 call ship",
    ]);
    expect(html).toContain('<td class="num">1h</td>');
    expect(html).toContain("until 2030-01-01 10:00:00");
    expect(html).toContain('<span class="muted">= </span><code class="one-line" title="true">true</code>');
    expect(html).toContain('<td class="num">2h</td>');
    expect(html).toContain(
      '<span class="muted">payload </span><code class="one-line" title="{&quot;by&quot;:&quot;ann&quot;}">{&quot;by&quot;:&quot;ann&quot;}</code>',
    );
    expect(html).toContain("&quot;approvedBy&quot;: &quot;ann&quot;");
    expect(html).toMatch(/class="bar kind-sleep tone-ok" style="left:0\.000%;width:33\.333%"/);
  });

  it("draws the path as an SVG state machine: nodes in delivery order, the decision's value on its edge", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    await env.client.sendEvent(run.id, "approved", { by: "ann" });
    await env.until(run.id, ["completed"]);
    const svg = svgOf(await page(`/runs/${run.id}`));
    const nodes = [...svg.matchAll(/<g class="node node-(\w+) tone-(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(nodes).toEqual([
      "start:neutral",
      "compute:ok",
      "delay:ok",
      "decision:ok",
      "event:ok",
      "compute:ok",
      "end:ok",
    ]);
    expect(svg).toContain("<polygon");
    expect(svg).toContain(">sleep 1h</text>");
    expect(svg).toContain(">event &quot;approved&quot;</text>");
    expect([...svg.matchAll(/class="edge-label"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(["true"]);
    expect(svg.match(/<line /g)).toHaveLength(6);
  });

  it("ends the path at what a waiting run waits for, and lists that wait on the timeline", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const html = await page(`/runs/${run.id}`);
    expect(svgOf(html)).toContain('<g class="node node-waiting tone-waiting">');
    expect(svgOf(html)).toContain("waiting for event &quot;approved&quot;");
    expect(html).toContain('<tr class="entry pending-row">');
    expect(html).toContain("times out 2030-01-04 10:00:00");
    expect(html).toContain('<option value="approved"></option>');
  });

  it("folds a polling loop into one block with an arrow back and how often it went round", async () => {
    env = await createEnv();
    const run = await env.client.start(poller, {});
    await env.until(run.id, ["completed"]);
    const svg = svgOf(await page(`/runs/${run.id}`));
    const nodes = [...svg.matchAll(/<g class="node node-(\w+)[^"]*"(?: data-seq="(\d+)")?/g)].map((m) =>
      m[2] === undefined ? m[1] : `${m[1]}#${m[2]}`,
    );
    expect(nodes).toEqual(["start", "decision#0", "delay#1", "decision#4", "compute#5", "end"]);
    expect(svg).toContain('<text class="loop-label"');
    expect(svg).toContain(">×2</text>");
    expect([...svg.matchAll(/class="edge-label"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual([
      "false",
      "true",
    ]);
  });

  it("links a parent to its children and a child to its parent", async () => {
    env = await createEnv();
    const run = await env.client.start(parent, {}, { id: "p/1" });
    const childId = "p/1:0";
    await env.until(run.id, ["suspended"]);
    const html = await page(`/runs/${encodeURIComponent(run.id)}`);
    expect(html).toContain(
      `<a class="run-id" href="/runs/${encodeURIComponent(childId)}" title="${childId}">${childId}</a>`,
    );
    expect(html).toContain('Children <span class="muted">1</span>');
    const child = await page(`/runs/${encodeURIComponent(childId)}`);
    expect(child).toMatch(/<dt>parent<\/dt><dd><a class="run-id" href="\/runs\/p%2F1"/);
  });

  it("links a fork to the run it came from, and offers each entry to fork from", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const html = await page(`/runs/${run.id}`);
    expect(html).toContain('data-action="fork" data-from-seq="2"');
    const res = await env.app.request(...postJson(`/api/runs/${run.id}/fork`, { fromSeq: 1 }));
    const fork = ((await res.json()) as { run: { id: string } }).run;
    const forked = await page(`/runs/${fork.id}`);
    expect(forked).toContain(`<dt>forked from</dt><dd><a class="run-id" href="/runs/${run.id}"`);
  });

  it("offers cancel for a running run, retry for a failed one, and neither for a completed one", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    let html = await page(`/runs/${run.id}`);
    expect(html).toContain('data-action="cancel"');
    expect(html).not.toContain('data-action="retry"');
    await env.client.sendEvent(run.id, "approved", { by: "ann" });
    await env.until(run.id, ["completed"]);
    html = await page(`/runs/${run.id}`);
    expect(html).not.toContain('data-action="cancel"');
    expect(html).not.toContain('data-action="events"');
    expect(html).toContain('data-live="off"');
  });

  it("answers an unknown run with a 404 page", async () => {
    env = await createEnv();
    const res = await env.app.request("/runs/nope");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("No run has the id “nope”");
  });
});
