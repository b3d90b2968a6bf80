import { afterEach, describe, expect, it } from "vitest";
import { bodyOf, createEnv, errorOf, journey, postJson, type RunJson } from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe("the token", () => {
  it("answers 401 to a request without the token, as JSON for the API and as a page for a browser", async () => {
    env = await createEnv({ token: "s3cret" });
    const api = await env.app.request("/api/runs");
    expect(api.status).toBe(401);
    expect(api.headers.get("www-authenticate")).toContain("Bearer");
    expect((await errorOf(api)).message).toMatch(/requires a token.*\?token=<token>/);
    const page = await env.app.request("/");
    expect(page.status).toBe(401);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("this dashboard requires a token");
  });

  it("answers 401 to a wrong token in the header, in the cookie and in the query string", async () => {
    env = await createEnv({ token: "s3cret" });
    const header = await env.app.request("/", { headers: { authorization: "Bearer s3cre7" } });
    expect(header.status).toBe(401);
    expect(await header.text()).toContain("the token given is wrong");
    const cookie = await env.app.request("/", { headers: { cookie: "durable_dashboard_token=nope" } });
    expect(cookie.status).toBe(401);
    const query = await env.app.request("/?token=nope");
    expect(query.status).toBe(401);
    expect(query.headers.get("set-cookie")).toBeNull();
  });

  it("guards the assets and the run pages too", async () => {
    env = await createEnv({ token: "s3cret" });
    for (const path of ["/assets/dashboard.js", "/assets/dashboard.css", "/runs/anything", "/api/runs/x"]) {
      expect((await env.app.request(path)).status, path).toBe(401);
    }
  });

  it("lets a request with the right bearer token through", async () => {
    env = await createEnv({ token: "s3cret" });
    const res = await env.app.request("/api/runs", { headers: { authorization: "Bearer s3cret" } });
    expect(res.status).toBe(200);
    expect((await bodyOf<{ runs: RunJson[] }>(res)).runs).toEqual([]);
  });

  it("sets an HttpOnly SameSite=Strict cookie from ?token= and redirects to the page without it", async () => {
    env = await createEnv({ token: "s3cret" });
    const res = await env.app.request("/?status=failed&token=s3cret");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/?status=failed");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^durable_dashboard_token=s3cret;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/");

    const page = await env.app.request("/?status=failed", {
      headers: { cookie: "durable_dashboard_token=s3cret" },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<h1>Runs</h1>");
  });

  it("takes the cookie for actions too, and still checks their origin", async () => {
    env = await createEnv({ token: "s3cret" });
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const cookie = { cookie: "durable_dashboard_token=s3cret" };
    const crossSite = await env.app.request(
      ...postJson(`/api/runs/${run.id}/cancel`, {}, { ...cookie, origin: "https://evil.example" }),
    );
    expect(crossSite.status).toBe(403);
    const sameSite = await env.app.request(...postJson(`/api/runs/${run.id}/cancel`, {}, cookie));
    expect(sameSite.status).toBe(200);
  });
});
