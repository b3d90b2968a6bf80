import { afterEach, describe, expect, it } from "vitest";
import {
  bodyOf,
  createEnv,
  errorOf,
  flakiness,
  flaky,
  journey,
  postJson,
  type RunJson,
  runOf,
  sleeper,
} from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe("the actions", () => {
  it("cancels a sleeping run: it ends cancelled with the reason given", async () => {
    env = await createEnv();
    const run = await env.client.start(sleeper, {});
    await env.until(run.id, ["suspended"]);
    const res = await env.app.request(
      ...postJson(`/api/runs/${run.id}/cancel`, { reason: "no longer needed" }),
    );
    expect(res.status).toBe(200);
    expect((await runOf(res)).id).toBe(run.id);
    const done = await env.until(run.id, ["cancelled"]);
    expect(done.error?.message).toContain("no longer needed");
  });

  it("refuses to cancel a finished run with 400 and says why", async () => {
    env = await createEnv();
    flakiness.failing = false;
    const run = await env.client.start(flaky, { note: "ok" });
    await env.until(run.id, ["completed"]);
    const res = await env.app.request(...postJson(`/api/runs/${run.id}/cancel`, {}));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      code: "validation",
      message: expect.stringContaining("is completed"),
    });
  });

  it("retries a failed run, which then completes", async () => {
    env = await createEnv();
    const run = await env.client.start(flaky, { note: "first" });
    const failed = await env.until(run.id, ["failed"]);
    expect(failed.error?.message).toContain("card declined");
    flakiness.failing = false;
    const res = await env.app.request(...postJson(`/api/runs/${run.id}/retry`, {}));
    expect(res.status).toBe(200);
    expect((await runOf(res)).status).not.toBe("failed");
    const done = await env.until(run.id, ["completed"]);
    expect(done.output).toEqual({ charged: "charged" });
  });

  it("answers a retry of a run that is not blocked or failed with 400 and the client's message", async () => {
    env = await createEnv();
    const run = await env.client.start(sleeper, {});
    await env.until(run.id, ["suspended"]);
    const res = await env.app.request(...postJson(`/api/runs/${run.id}/retry`, {}));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain("only a blocked or failed run can be retried");
  });

  it("sends an event that wakes the run, whose output carries its payload", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const res = await env.app.request(
      ...postJson(`/api/runs/${run.id}/events`, { name: "approved", payload: { by: "ann" } }),
    );
    expect(res.status).toBe(200);
    const done = await env.until(run.id, ["completed"]);
    expect(done.output).toEqual({ vip: true, approvedBy: "ann" });
  });

  it("answers an event the workflow does not declare, or a bad payload, with 400 naming the problem", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const unknown = await env.app.request(...postJson(`/api/runs/${run.id}/events`, { name: "rejected" }));
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).message).toContain('declares no event "rejected"');
    const bad = await env.app.request(
      ...postJson(`/api/runs/${run.id}/events`, { name: "approved", payload: { by: 7 } }),
    );
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).issues?.[0]?.path).toContain("by");
    const nameless = await env.app.request(...postJson(`/api/runs/${run.id}/events`, { payload: 1 }));
    expect(nameless.status).toBe(400);
    expect((await env.client.get(run.id))?.status).toBe("suspended");
  });

  it("forks a run from a seq: the new run reuses the entries before it and runs live from there", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const res = await env.app.request(...postJson(`/api/runs/${run.id}/fork`, { fromSeq: 2 }));
    expect(res.status).toBe(201);
    const fork = await runOf(res);
    expect(fork.id).not.toBe(run.id);
    expect(fork.tags["durable.forkedFrom"]).toBe(run.id);
    await env.waitingFor(fork.id, "approved");
    const journal = await env.client.journal(fork.id);
    expect(journal.map((e) => `${e.seq}:${e.kind}:${e.name}`)).toEqual([
      "0:call:fetch-user",
      "1:sleep:sleep",
      "2:decide:is-vip",
    ]);
  });

  it("answers a fork without a whole fromSeq with 400", async () => {
    env = await createEnv();
    const run = await env.client.start(sleeper, {});
    await env.until(run.id, ["suspended"]);
    for (const fromSeq of [-1, 1.5, "x", null]) {
      const res = await env.app.request(...postJson(`/api/runs/${run.id}/fork`, { fromSeq }));
      expect(res.status, String(fromSeq)).toBe(400);
      expect((await errorOf(res)).issues?.[0]?.path).toBe("fromSeq");
    }
  });

  it("answers actions on an unknown run with 404", async () => {
    env = await createEnv();
    for (const action of ["cancel", "retry", "fork", "events"]) {
      const res = await env.app.request(...postJson(`/api/runs/nope/${action}`, { fromSeq: 0, name: "x" }));
      expect(res.status, action).toBe(404);
      expect((await errorOf(res)).code).toBe("run_not_found");
    }
  });

  it("refuses a body that is not JSON, or not sent as JSON", async () => {
    env = await createEnv();
    const run = await env.client.start(sleeper, {});
    await env.until(run.id, ["suspended"]);
    const form = await env.app.request(`/api/runs/${run.id}/cancel`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "http://localhost" },
      body: "{}",
    });
    expect(form.status).toBe(400);
    const broken = await env.app.request(`/api/runs/${run.id}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost" },
      body: "{",
    });
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).message).toContain("not valid JSON");
    expect((await env.client.get(run.id))?.status).toBe("suspended");
  });
});

describe("the JSON API", () => {
  it("returns a run with its journal, results decoded as plain JSON next to the stored form", async () => {
    env = await createEnv();
    const run = await env.client.start(journey, { userId: "u1" }, { tags: { team: "a" } });
    await env.waitingFor(run.id, "approved");
    const res = await env.app.request(`/api/runs/${encodeURIComponent(run.id)}`);
    expect(res.status).toBe(200);
    const body = await bodyOf<{
      run: RunJson;
      waitingFor: string[];
      journal: { kind: string; value: unknown; result: { f: string } }[];
    }>(res);
    expect(body.run).toMatchObject({
      id: run.id,
      status: "suspended",
      input: { userId: "u1" },
      tags: { team: "a" },
    });
    expect(body.run.createdAt).toBe("2030-01-01T09:00:00.000Z");
    expect(body.waitingFor).toEqual(["approved"]);
    expect(body.journal.map((e) => e.kind)).toEqual(["call", "sleep", "decide"]);
    expect(body.journal[0]?.value).toEqual({ id: "u1", plan: "pro" });
    expect(body.journal[0]?.result.f).toBe("sj1");
    expect(body.journal[1]?.value).toEqual({ until: "2030-01-01T10:00:00.000Z" });
    expect(body.journal[2]?.value).toBe(true);
  });

  it("lists runs by status with counts per status", async () => {
    env = await createEnv();
    const a = await env.client.start(sleeper, {});
    const b = await env.client.start(flaky, { note: "x" });
    await env.until(a.id, ["suspended"]);
    await env.until(b.id, ["failed"]);
    const res = await env.app.request("/api/runs?status=failed");
    const body = await bodyOf<{ runs: RunJson[]; counts: Record<string, number> }>(res);
    expect(body.runs.map((r) => r.id)).toEqual([b.id]);
    expect(body.counts).toMatchObject({ failed: 1, suspended: 1, completed: 0 });
    const bad = await env.app.request("/api/runs?status=done");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain('"done" is not a run status');
  });

  it("answers an unknown run with 404", async () => {
    env = await createEnv();
    const res = await env.app.request("/api/runs/missing");
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toContain("run missing does not exist");
  });
});
