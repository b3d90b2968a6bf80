import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliJson, eventually, makeProject, type Project, type RunJson, spawnCli } from "./helpers.js";

describe("durable dashboard", () => {
  let project: Project;

  beforeAll(async () => {
    project = await makeProject();
  });
  afterAll(async () => {
    await project.remove();
  });

  it("serves the web UI on 127.0.0.1, serves the embedded database to other terminals, and stops on Ctrl-C", async () => {
    const dashboard = spawnCli(project, ["dashboard", "--port", "0"]);
    try {
      const url = await eventually("the dashboard's address", async () => {
        const { stdout, code, stderr } = dashboard.output();
        if (code !== null) throw new Error(`dashboard exited ${code}: ${stderr}`);
        return /^dashboard on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout)?.[1];
      });
      const started = await cli(project, "start", "nap", "--id", "nap:1");
      expect(started.code, started.stderr).toBe(0);
      const runs = await cliJson<RunJson[]>(project, "runs", "--json");
      expect(runs.map((r) => r.id)).toEqual(["nap:1"]);
      const list = await fetch(url);
      expect(list.status).toBe(200);
      expect(await list.text()).toContain("nap:1");
      const cancelled = await fetch(`${url}api/runs/nap:1/cancel`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: url.replace(/\/$/, "") },
        body: JSON.stringify({ reason: "from the dashboard" }),
      });
      expect(cancelled.status).toBe(200);
      const shown = await cliJson<{ run: RunJson }>(project, "show", "nap:1", "--json");
      expect(shown.run.status).toBe("cancelled");
      dashboard.child.kill("SIGINT");
      expect((await dashboard.done).code).toBe(0);
    } finally {
      if (dashboard.output().code === null) dashboard.child.kill("SIGKILL");
    }
  });

  it("refuses to bind another address without a token, in one line, exit 1", async () => {
    const result = await cli(project, "dashboard", "--host", "0.0.0.0", "--port", "0");
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/refusing to serve the dashboard on 0\.0\.0\.0 without a token/);
  });

  it("requires the token on every request when one is set", async () => {
    const dashboard = spawnCli(project, ["dashboard", "--port", "0", "--token", "s3cret"]);
    try {
      const url = await eventually("the dashboard's address", async () => {
        const { stdout, code, stderr } = dashboard.output();
        if (code !== null) throw new Error(`dashboard exited ${code}: ${stderr}`);
        return /^dashboard on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout)?.[1];
      });
      expect(dashboard.output().stdout).toContain(`log in once with ${url}?token=s3cret`);
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer s3cret" } })).status).toBe(200);
    } finally {
      dashboard.child.kill("SIGKILL");
    }
  });
});
