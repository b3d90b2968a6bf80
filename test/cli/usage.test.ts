import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, makeProject, type Project } from "./helpers.js";

const COMMANDS = [
  "worker",
  "dev",
  "migrate",
  "start",
  "runs",
  "show",
  "send-event",
  "cancel",
  "retry",
  "export",
  "replay",
  "prune",
];

describe("the durable command line", () => {
  let project: Project;
  let bare: Project;

  beforeAll(async () => {
    project = await makeProject();
    bare = await makeProject();
    await writeFile(join(bare.dir, "durable.config.ts"), "export default { workflows: 'not a list' };\n");
  });

  afterAll(async () => {
    await project.remove();
    await bare.remove();
  });

  it("prints help for every command with exit 0", async () => {
    const top = await cli(project, "--help");
    expect(top.code).toBe(0);
    for (const command of COMMANDS) {
      expect(top.stdout).toContain(command);
      const help = await cli(project, command, "--help");
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: durable ${command}`);
    }
  });

  it("exits 2 for no command, an unknown command or a missing argument", async () => {
    expect((await cli(project)).code).toBe(2);
    expect((await cli(project, "strat")).stderr).toContain("(Did you mean start?)");
    expect((await cli(project, "show")).code).toBe(2);
    expect((await cli(project, "prune")).code).toBe(2);
    expect((await cli(project, "prune", "--older-than", "soon")).code).toBe(2);
  });

  it("prints the migration SQL without a config or a database", async () => {
    const printed = await cli({ ...project, dir: "/" }, "migrate", "--print");
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^BEGIN;/);
    expect(printed.stdout).toContain('CREATE TABLE IF NOT EXISTS "durable".migrations');
  });

  it("names the field and the file of a config that does not validate", async () => {
    const result = await cli(bare, "runs");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: durable\.config\.ts: workflows: .+\n$/);
  });

  it("says where it looked when there is no config", async () => {
    const result = await cli({ ...project, dir: "/" }, "runs");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: no durable\.config\.ts in \/;/);
  });
});
