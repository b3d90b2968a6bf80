import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliJson, eventually, makeProject, type Project, type RunJson, spawnCli } from "./helpers.js";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

function waitForOutput(dev: ReturnType<typeof spawnCli>, what: string, pattern: RegExp) {
  return eventually(what, async () => {
    const { stdout, code, stderr } = dev.output();
    if (code !== null) throw new Error(`dev exited ${code}: ${stderr}`);
    return pattern.exec(stdout) ?? undefined;
  });
}

async function stop(dev: ReturnType<typeof spawnCli>) {
  dev.child.kill("SIGINT");
  expect((await dev.done).code).toBe(0);
}

describe("durable dev", () => {
  let project: Project;

  beforeAll(async () => {
    project = await makeProject({
      config: `dev: { runs: [
        { workflow: "hello", input: { who: "dev" } },
        { workflow: "nap" },
        { workflow: "nap", tags: { second: "yes" } },
      ] },`,
    });
  });

  afterAll(async () => {
    await project.remove();
  });

  it("starts the config's runs, prints their progress in time order, and serves other terminals, dashboard included", async () => {
    const dev = spawnCli(project, ["dev", "--port", "0"]);
    try {
      await waitForOutput(dev, "the hello run to complete", /hello {2}dev:hello {2}completed in /);
      const out = dev.output().stdout;
      expect(out).toMatch(/^durable dev: the embedded database in \.durable\/ \(served on 127\.0\.0\.1:\d+/m);
      expect(out).toMatch(/dev:hello {2}#0 call greet ok/);
      expect(out).toMatch(/dev:hello {2}suspended, due /);
      expect(out).toMatch(/dev:hello {2}#1 sleep sleep ok/);
      expect(out).toMatch(/dev:hello {2}#2 decide lucky ok/);
      const times = out
        .split("\n")
        .map((l) => /^(\d\d:\d\d:\d\d\.\d{3}) {2}/.exec(l)?.[1])
        .filter((t): t is string => t !== undefined);
      expect(times.length).toBeGreaterThan(6);
      expect(times).toEqual([...times].sort());
      const own = /^dashboard on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      expect((await fetch(`${own}runs/dev:hello`)).status).toBe(200);

      const other = spawnCli(project, ["dashboard", "--port", "0"]);
      try {
        const url = await waitForOutput(
          other,
          "the second dashboard",
          /^dashboard on (http:\/\/127\.0\.0\.1:\d+\/)$/m,
        );
        const page = await fetch(`${url[1]}runs/dev:hello`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain("dev:hello");
        await stop(other);
      } finally {
        if (other.output().code === null) other.child.kill("SIGKILL");
      }
      const runs = await cliJson<RunJson[]>(project, "runs", "--json");
      expect(runs.map((r) => r.id).sort()).toEqual(["dev:hello", "dev:nap:1", "dev:nap:2"]);
      await stop(dev);
    } finally {
      if (dev.output().code === null) dev.child.kill("SIGKILL");
    }
  });

  it("carries on with the same runs when restarted, starting no second copy", async () => {
    const dev = spawnCli(project, ["dev", "--port", "0", "--no-dashboard"]);
    try {
      await waitForOutput(
        dev,
        "the carried-on runs",
        /^dev\.runs: 0 started, 3 carried on from an earlier durable dev$/m,
      );
      const runs = await cliJson<RunJson[]>(project, "runs", "--json");
      expect(runs.map((r) => `${r.id}:${r.status}`).sort()).toEqual([
        "dev:hello:completed",
        "dev:nap:1:suspended",
        "dev:nap:2:suspended",
      ]);
      await stop(dev);
    } finally {
      if (dev.output().code === null) dev.child.kill("SIGKILL");
    }
  });
});

describe("durable dev reloading", () => {
  let project: Project;

  beforeAll(async () => {
    project = await makeProject();
    // The project's own workflow files, importing @durable/core as an installed project does.
    await symlink(join(ROOT, "node_modules"), join(project.dir, "node_modules"));
    await mkdir(join(project.dir, "src"));
    await writeFile(join(project.dir, "src", "words.ts"), 'export const WORD = "before";\n');
    await writeFile(
      join(project.dir, "src", "flows.ts"),
      `import { workflow } from "@durable/core";
import { WORD } from "./words.js";
export const which = workflow({ name: "which" }, async (ctx) => ctx.call("say", () => WORD));
`,
    );
    await writeFile(
      join(project.dir, "durable.config.ts"),
      'export default { workflows: ["./src/flows.ts"] };\n',
    );
  });

  afterAll(async () => {
    await project.remove();
  });

  it("runs new runs with the new code after a file the workflows import changes, and the dashboard lists the new workflows", async () => {
    const dev = spawnCli(project, ["dev", "--port", "0"]);
    try {
      await waitForOutput(dev, "the worker", /^worker running which; Ctrl-C to stop$/m);
      const board = (
        await waitForOutput(dev, "the dashboard", /^dashboard on (http:\/\/127\.0\.0\.1:\d+\/)$/m)
      )[1];
      const before = await cli(project, "start", "which", "--wait");
      expect(before.stdout).toBe('"before"\n');
      await writeFile(join(project.dir, "src", "words.ts"), 'export const WORD = "after";\n');
      await waitForOutput(dev, "the reload", /^reloaded: worker running which$/m);
      expect(dev.output().stdout).toMatch(/^src\/words\.ts changed: reloading workflows$/m);
      const after = await cli(project, "start", "which", "--wait");
      expect(after.code, after.stderr).toBe(0);
      expect(after.stdout).toBe('"after"\n');

      await writeFile(
        join(project.dir, "src", "flows.ts"),
        `import { workflow } from "@durable/core";
import { WORD } from "./words.js";
export const which = workflow({ name: "which" }, async (ctx) => ctx.call("say", () => WORD));
export const added = workflow({ name: "added" }, async (ctx) => ctx.call("say", () => "new"));
`,
      );
      await waitForOutput(
        dev,
        "the second reload",
        /^reloaded: worker running (added, which|which, added)$/m,
      );
      const listed = await fetch(`${board}api/workflows`);
      const { workflows } = (await listed.json()) as { workflows: { name: string; registered?: boolean }[] };
      expect(workflows.map((w) => w.name).sort()).toEqual(["added", "which"]);
      expect((await cli(project, "start", "added", "--wait")).stdout).toBe('"new"\n');
      await stop(dev);
    } finally {
      if (dev.output().code === null) dev.child.kill("SIGKILL");
    }
  });
});
