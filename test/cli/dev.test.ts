import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliJson, eventually, makeProject, type Project, type RunJson, spawnCli } from "./helpers.js";

describe("durable dev", () => {
  let project: Project;

  beforeAll(async () => {
    project = await makeProject({
      config: 'dev: { runs: [{ workflow: "hello", input: { who: "dev" }, id: "hello:dev" }] },',
    });
  });

  afterAll(async () => {
    await project.remove();
  });

  it("starts the config's runs, prints their progress to completion, serves other terminals and stops on Ctrl-C", async () => {
    const dev = spawnCli(project, ["dev", "--port", "0"]);
    try {
      await eventually("the hello run to complete", async () => {
        const { stdout, code, stderr } = dev.output();
        if (code !== null) throw new Error(`dev exited ${code}: ${stderr}`);
        return /hello {2}hello:dev {2}completed in /.test(stdout) ? true : undefined;
      });
      const out = dev.output().stdout;
      expect(out).toMatch(/^durable dev: the embedded database in \.durable\/ \(served on 127\.0\.0\.1:\d+/m);
      expect(out).toMatch(/hello:dev {2}#0 call greet ok/);
      expect(out).toMatch(/hello:dev {2}suspended, due /);
      expect(out).toMatch(/hello:dev {2}#1 sleep sleep ok/);
      expect(out).toMatch(/hello:dev {2}#2 decide lucky ok/);
      const dashboard = /^dashboard on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      expect(dashboard).toBeDefined();
      const page = await fetch(`${dashboard}runs/hello:dev`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("hello:dev");
      const runs = await cliJson<RunJson[]>(project, "runs", "--json");
      expect(runs.map((r) => `${r.id}:${r.status}`)).toEqual(["hello:dev:completed"]);
      dev.child.kill("SIGINT");
      expect((await dev.done).code).toBe(0);
    } finally {
      if (dev.output().code === null) dev.child.kill("SIGKILL");
    }
  });
});
