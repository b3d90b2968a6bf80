import { afterEach, describe, expect, it } from "vitest";
import { createEnv, errorOf, postJson, sleeper } from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function sleepingRun(e: NonNullable<typeof env>): Promise<string> {
  const run = await e.client.start(sleeper, {});
  await e.until(run.id, ["suspended"]);
  return run.id;
}

describe("the origin check", () => {
  it("refuses a POST from another origin with 403 and leaves the run alone", async () => {
    env = await createEnv();
    const id = await sleepingRun(env);
    const res = await env.app.request(
      ...postJson(`/api/runs/${id}/cancel`, {}, { origin: "https://evil.example" }),
    );
    expect(res.status).toBe(403);
    const error = await errorOf(res);
    expect(error.code).toBe("forbidden_origin");
    expect(error.message).toContain("https://evil.example");
    expect((await env.client.get(id))?.status).toBe("suspended");
  });

  it("refuses Origin: null and a cross-site fetch that hides its origin", async () => {
    env = await createEnv();
    const id = await sleepingRun(env);
    expect(
      (await env.app.request(...postJson(`/api/runs/${id}/cancel`, {}, { origin: "null" }))).status,
    ).toBe(403);
    const hidden = postJson(`/api/runs/${id}/cancel`, {});
    const headers = { "content-type": "application/json", "sec-fetch-site": "cross-site" };
    expect((await env.app.request(hidden[0], { ...hidden[1], headers })).status).toBe(403);
  });

  it("accepts its own origin, an allowed origin, and a program that sends no Origin", async () => {
    env = await createEnv({ allowedOrigins: ["https://ops.example.com"] });
    const [a, b, c] = [await sleepingRun(env), await sleepingRun(env), await sleepingRun(env)];
    expect((await env.app.request(...postJson(`/api/runs/${a}/cancel`, {}))).status).toBe(200);
    const allowed = postJson(`/api/runs/${b}/cancel`, {}, { origin: "https://ops.example.com" });
    expect((await env.app.request(...allowed)).status).toBe(200);
    const program = await env.app.request(`/api/runs/${c}/cancel`, { method: "POST" });
    expect(program.status).toBe(200);
  });

  it("without a token, answers only requests addressed to a loopback name", async () => {
    env = await createEnv();
    expect((await env.app.request("http://127.0.0.1:4800/")).status).toBe(200);
    expect((await env.app.request("http://localhost:4800/api/runs")).status).toBe(200);
    const rebound = await env.app.request("http://evil.example:4800/api/runs");
    expect(rebound.status).toBe(403);
    expect((await errorOf(rebound)).code).toBe("forbidden_host");
  });

  it("with a token, answers any host name that presents it", async () => {
    env = await createEnv({ token: "s3cret" });
    const res = await env.app.request("http://dashboard.internal/api/runs", {
      headers: { authorization: "Bearer s3cret" },
    });
    expect(res.status).toBe(200);
  });
});
