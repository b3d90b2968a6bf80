import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, eventually, makeProject, type Project, spawnCli } from "./helpers.js";

// Nothing listens on port 1: a connection there is refused at once.
const REFUSED = "postgres://app:s3cret@127.0.0.1:1/app";

describe("errors that say where to look", () => {
  let project: Project;
  let configured: Project;
  let empty: Project;

  beforeAll(async () => {
    project = await makeProject();
    configured = await makeProject({ config: `databaseUrl: ${JSON.stringify(REFUSED)},` });
    empty = await makeProject();
    await mkdir(join(empty.dir, "src"));
    await writeFile(join(empty.dir, "src", "nothing.ts"), "export const notAWorkflow = 42;\n");
    await writeFile(
      join(empty.dir, "durable.config.ts"),
      'export default { workflows: ["./src/nothing.ts"] };\n',
    );
  });

  afterAll(async () => {
    await project.remove();
    await configured.remove();
    await empty.remove();
  });

  it("names the database URL with its password masked, and where it came from, when it cannot connect", async () => {
    const expected = (source: string) =>
      `error: cannot connect to postgres://app:***@127.0.0.1:1/app (from ${source}): connect ECONNREFUSED 127.0.0.1:1; is the server running?\n`;
    const fromEnv = await cli({ ...project, env: { ...project.env, DATABASE_URL: REFUSED } }, "runs");
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toBe(expected("DATABASE_URL"));
    const fromFlag = await cli(project, "show", "x", "--database-url", REFUSED);
    expect(fromFlag.stderr).toBe(expected("--database-url"));
    const fromConfig = await cli(configured, "worker");
    expect(fromConfig.code).toBe(1);
    expect(fromConfig.stderr).toContain(expected("durable.config.ts").replace(/\n$/, ""));
    for (const result of [fromEnv, fromFlag, fromConfig]) expect(result.stderr).not.toContain("s3cret");
  });

  it("warns when the config's workflow modules export no workflows", async () => {
    const worker = spawnCli(empty, ["worker", "--log-level", "info"]);
    try {
      const stderr = await eventually("the worker to be ready", async () => {
        const { stderr, code } = worker.output();
        if (code !== null) throw new Error(`the worker exited ${code}: ${stderr}`);
        return stderr.includes('"msg":"worker ready"') ? stderr : undefined;
      });
      const warnings = stderr
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.level === 40)
        .map((l) => l.msg);
      expect(warnings).toEqual([
        "./src/nothing.ts exports no workflow; export the workflow(...) values the worker should run",
        "the config's workflow modules export no workflows: this worker will claim no runs",
      ]);
      worker.child.kill("SIGINT");
      expect((await worker.done).code).toBe(0);
    } finally {
      if (worker.output().code === null) worker.child.kill("SIGKILL");
    }
  });
});
