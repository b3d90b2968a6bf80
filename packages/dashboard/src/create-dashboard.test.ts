import { Client, memoryStore } from "@durable/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createDashboard } from "./create-dashboard.js";

const client = new Client({ store: memoryStore() });

describe("createDashboard", () => {
  it("mounts under a base path: pages, links, assets, API and the cookie all live under it", async () => {
    const host = new Hono();
    host.get("/", (c) => c.text("the host's own page"));
    host.route("/", createDashboard({ client, basePath: "/dashboard/", token: "t" }));
    const auth = { authorization: "Bearer t" };
    expect(await (await host.request("/")).text()).toBe("the host's own page");
    const page = await (await host.request("/dashboard", { headers: auth })).text();
    expect(page).toContain('href="/dashboard/assets/dashboard.css"');
    expect(page).toContain('data-base="/dashboard"');
    expect(page).toContain('<form class="filters" method="get" action="/dashboard/">');
    expect((await host.request("/dashboard/assets/dashboard.js", { headers: auth })).status).toBe(200);
    expect((await host.request("/dashboard/api/runs", { headers: auth })).status).toBe(200);
    const login = await host.request("/dashboard/?token=t");
    expect(login.headers.get("set-cookie")).toContain("Path=/dashboard");
  });

  it("refuses a base path that does not start with a slash", () => {
    expect(() => createDashboard({ client, basePath: "dashboard" })).toThrow(/must start with "\/"/);
  });

  it("answers unknown paths with 404, as JSON under /api", async () => {
    const app = createDashboard({ client });
    expect((await app.request("/nowhere")).status).toBe(404);
    const api = await app.request("/api/nowhere");
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
