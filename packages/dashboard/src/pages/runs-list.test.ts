import { afterEach, describe, expect, it } from "vitest";
import { createEnv, flaky, journey, sleeper } from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** The run ids a runs page lists, in order. */
function listedIds(page: string): string[] {
  const body = page.slice(page.indexOf('<table class="runs'));
  return [...body.matchAll(/<a class="run-id" href="\/runs\/([^"]+)"/g)].map((m) =>
    decodeURIComponent(m[1] as string),
  );
}

async function page(path: string): Promise<string> {
  const res = await env!.app.request(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** Three runs an hour apart: a failed one, a sleeping one tagged team=b, a waiting one tagged team=a. */
async function threeRuns() {
  const e = env!;
  const failed = await e.client.start(flaky, { note: "1" }, { id: "order:1", tags: { team: "a" } });
  await e.until(failed.id, ["failed"]);
  e.clock.advance("1h");
  const sleeping = await e.client.start(sleeper, {}, { id: "order:2", tags: { team: "b" } });
  await e.until(sleeping.id, ["suspended"]);
  e.clock.advance("1h");
  const waiting = await e.client.start(journey, { userId: "u3" }, { id: "signup:3", tags: { team: "a" } });
  await e.waitingFor(waiting.id, "approved");
  return { failed: failed.id, sleeping: sleeping.id, waiting: waiting.id };
}

describe("the runs page", () => {
  it("lists runs newest first, linked to their pages, with counts per status", async () => {
    env = await createEnv();
    const ids = await threeRuns();
    const html = await page("/");
    expect(listedIds(html)).toEqual([ids.waiting, ids.sleeping, ids.failed]);
    expect(html).toContain('<span class="tab-count" data-status="all">3</span>');
    expect(html).toContain('<span class="tab-count" data-status="failed">1</span>');
    expect(html).toContain('<span class="tab-count" data-status="suspended">2</span>');
    expect(html).toContain('<span class="tab-count" data-status="completed">0</span>');
    expect(html).toContain("card declined");
  });

  it("filters by status, workflow and tag", async () => {
    env = await createEnv();
    const ids = await threeRuns();
    expect(listedIds(await page("/?status=suspended"))).toEqual([ids.waiting, ids.sleeping]);
    expect(listedIds(await page("/?workflow=sleeper"))).toEqual([ids.sleeping]);
    expect(listedIds(await page("/?tag=team%3Da"))).toEqual([ids.waiting, ids.failed]);
    expect(listedIds(await page("/?tag=team%3Da&status=failed"))).toEqual([ids.failed]);
    const tagged = await page("/?tag=team%3Da");
    expect(tagged).toContain('<span class="tab-count" data-status="suspended">1</span>');
  });

  it("filters by the time runs were created, read as UTC", async () => {
    env = await createEnv();
    const ids = await threeRuns();
    expect(listedIds(await page("/?after=2030-01-01T09:30"))).toEqual([ids.waiting, ids.sleeping]);
    expect(listedIds(await page("/?before=2030-01-01T10:30:00Z"))).toEqual([ids.sleeping, ids.failed]);
    expect(listedIds(await page("/?after=2030-01-01T09:30&before=2030-01-01T10:30"))).toEqual([ids.sleeping]);
  });

  it("searches by part of a run id, and finds an exact id", async () => {
    env = await createEnv();
    const ids = await threeRuns();
    expect(listedIds(await page("/?q=order"))).toEqual([ids.sleeping, ids.failed]);
    expect(listedIds(await page("/?q=ORDER%3A2"))).toEqual([ids.sleeping]);
    expect(listedIds(await page("/?q=signup%3A3&status=failed"))).toEqual([]);
    expect(await page("/?q=nothing-like-this")).toContain("No runs match these filters.");
  });

  it("says which filters it could not read and applies the rest", async () => {
    env = await createEnv();
    const ids = await threeRuns();
    const html = await page("/?status=done&after=yesterday&tag=team%3Db");
    expect(html).toContain("&quot;done&quot; is not a run status");
    expect(html).toContain("&quot;yesterday&quot; is not a date and time");
    expect(listedIds(html)).toEqual([ids.sleeping]);
  });

  it("keeps the filters in the form and in the status tabs", async () => {
    env = await createEnv();
    await threeRuns();
    const html = await page("/?workflow=journey&tag=team%3Da");
    expect(html).toContain('name="workflow" value="journey"');
    expect(html).toContain('name="tag" value="team=a"');
    expect(html).toContain('href="/?status=failed&amp;workflow=journey&amp;tag=team%3Da"');
  });

  it("refreshes its counts and table in place", async () => {
    env = await createEnv();
    const html = await page("/");
    expect(html).toMatch(/<div id="runs-live" data-live-region>/);
    expect(html).toContain('<script src="/assets/dashboard.js" defer></script>');
    const script = await env.app.request("/assets/dashboard.js");
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("data-live-region");
  });
});
