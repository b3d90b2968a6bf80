import { Client, memoryStore, ValidationError } from "@durable/core";
import { describe, expect, it } from "vitest";
import { serveDashboard } from "./serve-dashboard.js";

const client = new Client({ store: memoryStore() });

describe("serveDashboard", () => {
  it("serves on 127.0.0.1 by default and stops on close", async () => {
    const dashboard = await serveDashboard({ client, port: 0 });
    try {
      expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/`);
      expect(dashboard.loginUrl).toBeUndefined();
      const res = await fetch(dashboard.url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("<h1>Runs</h1>");
    } finally {
      await dashboard.close();
    }
    await expect(fetch(dashboard.url)).rejects.toThrow();
  });

  it("refuses to bind anything but loopback without a token, and says how to fix it", async () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.20"]) {
      const attempt = serveDashboard({ client, port: 0, host });
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toThrow(/without a token.*--token.*DURABLE_DASHBOARD_TOKEN/);
    }
    await expect(serveDashboard({ client, port: 0, host: "0.0.0.0", token: " " })).rejects.toThrow(
      /without a token/,
    );
  });

  it("binds all interfaces with a token, which every request must then carry", async () => {
    const dashboard = await serveDashboard({ client, port: 0, host: "0.0.0.0", token: "s3cret t" });
    try {
      expect(dashboard.loginUrl).toBe(`http://0.0.0.0:${dashboard.port}/?token=s3cret%20t`);
      const local = `http://127.0.0.1:${dashboard.port}`;
      expect((await fetch(`${local}/api/runs`)).status).toBe(401);
      const ok = await fetch(`${local}/api/runs`, { headers: { authorization: "Bearer s3cret t" } });
      expect(ok.status).toBe(200);
      const login = await fetch(`${local}/?token=s3cret%20t`, { redirect: "manual" });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
      expect((await fetch(`${local}/`, { headers: { cookie } })).status).toBe(200);
    } finally {
      await dashboard.close();
    }
  });

  it("says which port is taken", async () => {
    const first = await serveDashboard({ client, port: 0 });
    try {
      await expect(serveDashboard({ client, port: first.port })).rejects.toThrow(
        `port ${first.port} on 127.0.0.1 is in use; pick another with --port`,
      );
    } finally {
      await first.close();
    }
  });

  it("refuses a port out of range and an empty token", async () => {
    await expect(serveDashboard({ client, port: 70_000 })).rejects.toThrow(/0 to 65535/);
    await expect(serveDashboard({ client, port: 0, token: "" })).rejects.toThrow(/token is empty/);
  });
});
