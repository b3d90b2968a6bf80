import { schedule, workflow } from "@durable/core";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  bodyOf,
  createEnv,
  errorOf,
  journey,
  postJson,
  type RunJson,
  sleeper,
  WORKFLOWS,
} from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Runs no worker here executes: the test claims them itself, as a worker elsewhere would. */
const exporter = workflow(
  { name: "exporter", queue: "exports", concurrency: { limit: 1 }, input: z.object({ table: z.string() }) },
  async (ctx, { table }) => ctx.call("export", async () => `${table}.csv`),
);

const daily = schedule({
  name: "daily-journey",
  cron: "0 6 * * *",
  workflow: journey,
  input: { userId: "d" },
});

interface WorkflowJson {
  name: string;
  registered: boolean;
  input?: { properties: Record<string, unknown> };
  events: { name: string; schema?: unknown }[];
  runs: { counts: Record<string, number>; total: number };
}

describe("the workflows API", () => {
  it("describes each workflow given: input and event schemas as JSON Schema, runs per status", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const { workflows } = await bodyOf<{ workflows: WorkflowJson[] }>(
      await env.app.request("/api/workflows"),
    );
    expect(workflows.map((w) => w.name)).toEqual(["echo", "flaky", "journey", "parent", "poller", "sleeper"]);
    const j = workflows.find((w) => w.name === "journey") as WorkflowJson;
    expect(j.input).toMatchObject({ type: "object", properties: { userId: { type: "string" } } });
    expect(j.events).toEqual([
      { name: "approved", schema: expect.objectContaining({ properties: { by: { type: "string" } } }) },
    ]);
    expect(j.runs.counts).toMatchObject({ suspended: 1, completed: 0 });
    expect(j.runs.total).toBe(1);
  });

  it("lists a workflow seen only in runs as not registered", async () => {
    env = await createEnv();
    const run = await env.client.start(sleeper, {});
    await env.until(run.id, ["suspended"]);
    const { workflows } = await bodyOf<{ workflows: WorkflowJson[] }>(
      await env.app.request("/api/workflows"),
    );
    expect(workflows).toEqual([expect.objectContaining({ name: "sleeper", registered: false, events: [] })]);
  });

  it("starts a run with its input, id and tags, answering 201 with the run", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const res = await env.app.request(
      ...postJson("/api/workflows/journey/runs", {
        input: { userId: "u7" },
        id: "journey:u7",
        tags: "team=a\ncustomer=c-9",
      }),
    );
    expect(res.status).toBe(201);
    const body = await bodyOf<{ run: RunJson; created: boolean }>(res);
    expect(body.created).toBe(true);
    expect(body.run).toMatchObject({ id: "journey:u7", workflow: "journey", input: { userId: "u7" } });
    expect(body.run.tags).toMatchObject({ team: "a", customer: "c-9" });
    await env.waitingFor("journey:u7", "approved");
    const again = await env.app.request(
      ...postJson("/api/workflows/journey/runs", { input: { userId: "x" }, id: "journey:u7" }),
    );
    expect((await bodyOf<{ created: boolean }>(again)).created).toBe(false);
  });

  it("validates the input with the workflow's schema, naming each field, and writes nothing", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const res = await env.app.request(...postJson("/api/workflows/journey/runs", { input: { userId: 7 } }));
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("validation");
    expect(error.issues?.map((i) => i.path)).toEqual(["input.userId"]);
    const tags = await env.app.request(
      ...postJson("/api/workflows/journey/runs", { input: { userId: "u" }, tags: "oops" }),
    );
    expect(tags.status).toBe(400);
    expect((await errorOf(tags)).issues?.[0]).toEqual({ path: "tags", message: '"oops" is not key=value' });
    expect(await env.client.list()).toEqual([]);
  });

  it("answers a workflow it was not given with 404, and refuses a start from another site", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const unknown = await env.app.request(...postJson("/api/workflows/nope/runs", { input: {} }));
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).message).toContain('knows no workflow "nope"');
    const cross = await env.app.request(
      ...postJson(
        "/api/workflows/journey/runs",
        { input: { userId: "u" } },
        { origin: "https://evil.example" },
      ),
    );
    expect(cross.status).toBe(403);
    expect(await env.client.list()).toEqual([]);
  });
});

describe("the schedules API", () => {
  it("lists each schedule with its spec, workflow, next tick by the store's clock and last run", async () => {
    env = await createEnv({ workflows: WORKFLOWS, schedules: [daily] });
    const tick = new Date("2029-12-31T06:00:00.000Z");
    const last = await env.client.start(
      journey,
      { userId: "d" },
      {
        id: `daily-journey@${tick.toISOString()}`,
        tags: { "durable.schedule": "daily-journey", "durable.tick": tick.toISOString() },
      },
    );
    const { schedules } = await bodyOf<{ schedules: Record<string, unknown>[] }>(
      await env.app.request("/api/schedules"),
    );
    expect(schedules).toEqual([
      {
        name: "daily-journey",
        spec: "0 6 * * *",
        workflow: "journey",
        paused: false,
        catchUp: "once",
        nextAt: "2030-01-02T06:00:00.000Z",
        lastRunId: last.id,
        lastRun: expect.objectContaining({ id: last.id, workflow: "journey" }),
      },
    ]);
  });

  it("takes a function that lists schedules, for schedules kept elsewhere", async () => {
    env = await createEnv({
      schedules: async (now) => [
        {
          name: "from-db",
          spec: "every 10m",
          workflow: "sleeper",
          paused: true,
          nextAt: new Date(now.getTime() + 600_000),
        },
      ],
    });
    const html = await (await env.app.request("/schedules")).text();
    expect(html).toContain('<tr data-schedule="from-db">');
    expect(html).toContain("every 10m");
    expect(html).toContain(">paused</span>");
  });
});

describe("the workers API", () => {
  it("shows a worker through its leases, a lease past its expiry, the queues and a held run", async () => {
    env = await createEnv({ workflows: [...WORKFLOWS, exporter] });
    const a = await env.client.start(exporter, { table: "a" }, { id: "export:a" });
    const b = await env.client.start(exporter, { table: "b" }, { id: "export:b" });
    const limits = [{ queue: "exports", concurrency: { limit: 1, perKey: false } }];
    const claimed = await env.store.claimRuns({
      owner: "w-far",
      limit: 5,
      leaseMs: 30_000,
      workflows: ["exporter"],
      limits,
    });
    expect(claimed.map((c) => c.run.id)).toEqual([a.id]);
    type Workers = {
      workers: {
        owner: string;
        live: boolean;
        leases: { runId: string; epoch: number; expired: boolean; expiresAt: string }[];
      }[];
      queues: { queue: string; running: number; held: number; limits: string[] }[];
      held: { id: string; heldBy: string }[];
    };
    const live = await bodyOf<Workers>(await env.app.request("/api/workers"));
    expect(live.workers).toEqual([
      {
        owner: "w-far",
        live: true,
        lastExpiry: "2030-01-01T09:00:30.000Z",
        leases: [
          expect.objectContaining({
            runId: a.id,
            epoch: 1,
            expired: false,
            expiresAt: "2030-01-01T09:00:30.000Z",
          }),
        ],
      },
    ]);
    expect(live.queues.find((q) => q.queue === "exports")).toMatchObject({
      running: 1,
      held: 1,
      limits: ["concurrency 1"],
    });
    expect(live.held).toEqual([expect.objectContaining({ id: b.id, heldBy: "concurrency:exports" })]);

    env.clock.advance("31s");
    const lost = await bodyOf<Workers>(await env.app.request("/api/workers"));
    expect(lost.workers[0]).toMatchObject({ owner: "w-far", live: false });
    const page = await (await env.app.request("/workers")).text();
    expect(page).toContain("lease expired");
    expect(page).toContain("expired 1s ago");
  });

  it("answers 404 without the store, and the page says what to pass", async () => {
    env = await createEnv();
    const { createDashboard } = await import("../create-dashboard.js");
    const app = createDashboard({ client: env.client });
    expect((await app.request("/api/workers")).status).toBe(404);
    expect(await (await app.request("/workers")).text()).toContain("Give the dashboard the store");
  });
});
