import { execFileSync, spawnSync } from "node:child_process";
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
  "completion",
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

  it("exits 0 for durable help and durable help <command>", async () => {
    const help = await cli(project, "help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: durable");
    const start = await cli(project, "help", "start");
    expect(start.code).toBe(0);
    expect(start.stdout).toContain("--wait");
  });

  it("prints completion scripts that complete commands, options and their values", async () => {
    const bash = await cli(project, "completion", "bash");
    expect(bash.code).toBe(0);
    const complete = (words: string[]) =>
      execFileSync(
        "bash",
        [
          "-c",
          `${bash.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _durable_completion; echo "\${COMPREPLY[*]}"`,
        ],
        { encoding: "utf8" },
      ).trim();
    expect(complete(["durable", "sh"])).toBe("show");
    expect(complete(["durable", "start", "x", "--wa"])).toBe("--wait");
    expect(complete(["durable", "runs", "--status", "c"])).toBe("completed cancelled");
    expect(complete(["durable", "completion", "f"])).toBe("fish");
    const zsh = await cli(project, "completion", "zsh");
    expect(zsh.stdout).toMatch(/^#compdef durable\n/);
    expect(zsh.stdout).toContain("'--follow[");
    const fish = await cli(project, "completion", "fish");
    expect(fish.stdout).toContain("complete -c durable -n '__fish_seen_subcommand_from show' -l follow");
    expect((await cli(project, "completion", "tcsh")).code).toBe(2);
  });

  // zsh and fish come from test/dashboard/ensure-chromium.sh, which CI runs first.
  it("prints zsh and fish scripts those shells accept", async () => {
    const zsh = await cli(project, "completion", "zsh");
    await writeFile(join(project.dir, "_durable"), zsh.stdout);
    expect(spawnSync("zsh", ["-n", join(project.dir, "_durable")]).status).toBe(0);
    const fish = await cli(project, "completion", "fish");
    await writeFile(join(project.dir, "durable.fish"), fish.stdout);
    expect(spawnSync("fish", ["-n", join(project.dir, "durable.fish")]).status).toBe(0);
    const completed = spawnSync("fish", ["-c", `${fish.stdout}\ncomplete -C "durable show x --fo"`], {
      encoding: "utf8",
    });
    expect(completed.stdout).toMatch(/^--follow\t/m);
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
