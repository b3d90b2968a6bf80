import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cli,
  createDatabase,
  makeProject,
  type Project,
  type Result,
  runReaches,
  type spawnCli,
  startWorker,
} from "./helpers.js";

const CHANGED = fileURLToPath(new URL("fixtures/changed-workflows.ts", import.meta.url));
const SERVER = process.env.DATABASE_URL;

interface ReplayJson {
  ok: boolean;
  checked: number;
  failed: number;
  journals: { source: string; runId: string; workflow: string; ok: boolean; mismatch?: { seq: number } }[];
}

/** A config beside the project's that registers greet as a later deploy renamed its first step. */
async function writeChangedConfig(project: Project): Promise<string> {
  await writeFile(
    join(project.dir, "changed.config.ts"),
    `export default { workflows: [${JSON.stringify(CHANGED)}] };\n`,
  );
  return "changed.config.ts";
}

/** Starts greet runs one after another (so they are ordered by creation) and a nap; waits for them. */
async function startRuns(project: Project): Promise<{ greets: string[]; nap: string }> {
  const greets: string[] = [];
  for (const name of ["Ada", "Bo", "Cy"]) {
    const started = await cli(project, "start", "greet", "--input", JSON.stringify({ name }));
    expect(started.code, started.stderr).toBe(0);
    greets.push(started.stdout.trim());
  }
  const nap = (await cli(project, "start", "nap")).stdout.trim();
  for (const id of greets) await runReaches(project, id, ["completed"]);
  await runReaches(project, nap, ["suspended"]);
  return { greets, nap };
}

function parse(result: Result): ReplayJson {
  return JSON.parse(result.stdout) as ReplayJson;
}

describe("durable replay --database on the embedded database", () => {
  let project: Project;
  let worker: ReturnType<typeof spawnCli>;
  let runs: { greets: string[]; nap: string };

  beforeAll(async () => {
    project = await makeProject();
    worker = await startWorker(project);
    runs = await startRuns(project);
  });

  afterAll(async () => {
    if (worker.output().code === null) worker.child.kill("SIGKILL");
    await project.remove();
  });

  it("replays the most recent runs of each workflow and exits 0 when today's code replays them", async () => {
    const result = await cli(project, "replay", "--database", "--sample", "2");
    expect(result.code, result.stderr).toBe(0);
    const [, second, third] = runs.greets;
    expect(result.stdout).toContain(`ok    run ${third}: workflow greet, completed (3 entries, completed)`);
    expect(result.stdout).toContain(`ok    run ${second}: workflow greet, completed`);
    expect(result.stdout).not.toContain(`run ${runs.greets[0]}`);
    expect(result.stdout).toContain(`ok    run ${runs.nap}: workflow nap, suspended (0 entries, waiting)`);
    expect(result.stderr).toContain("replayed the 3 most recent runs (at most 2 a workflow)");
  });

  it("prints the reports as JSON with --json, for the named workflow only", async () => {
    const result = await cli(
      project,
      "replay",
      "--database",
      "--workflow",
      "greet",
      "--sample",
      "10",
      "--json",
    );
    expect(result.code, result.stderr).toBe(0);
    const report = parse(result);
    expect(report).toMatchObject({ ok: true, checked: 3, failed: 0 });
    expect(report.journals.map((j) => j.runId)).toEqual([...runs.greets].reverse());
    expect(report.journals.every((j) => j.source === `run ${j.runId}` && j.workflow === "greet")).toBe(true);
  });

  it("exits 1 with the seq-by-seq diff when a deploy renamed a journaled step", async () => {
    const config = await writeChangedConfig(project);
    const result = await cli(project, "replay", "--config", config, "--database", "--sample", "1");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAIL  run ${runs.greets[2]}`);
    expect(result.stdout).toContain('✗  0    call("greet")   call("wave")');
    expect(result.stdout).toContain(`ok    run ${runs.nap}`);
    expect(result.stderr).toContain("error: 1 of 2 journals no longer replays with today's code");
    const json = await cli(
      project,
      "replay",
      "--config",
      config,
      "--database",
      "--workflow",
      "greet",
      "--json",
    );
    expect(json.code).toBe(1);
    expect(parse(json)).toMatchObject({ ok: false, checked: 3, failed: 3 });
    expect(parse(json).journals[0]?.mismatch?.seq).toBe(0);
  });

  it("refuses --sample without --database, and a replay with nothing to replay", async () => {
    for (const args of [
      ["replay"],
      ["replay", "--sample", "3", "x.json"],
      ["replay", "--database", "--workflow", "nope"],
    ]) {
      const result = await cli(project, ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/^error: /);
    }
  });
});

describe.runIf(SERVER)("durable replay --database <url> on Postgres", () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let project: Project;
  let worker: ReturnType<typeof spawnCli>;
  let runs: { greets: string[]; nap: string };

  beforeAll(async () => {
    database = await createDatabase(SERVER ?? "");
    // The replays run with no DATABASE_URL in their environment: the URL comes from --database alone.
    project = await makeProject();
    const onDatabase = { ...project, env: { ...project.env, DATABASE_URL: database.url } };
    worker = await startWorker(onDatabase);
    runs = await startRuns(onDatabase);
  });

  afterAll(async () => {
    if (worker && worker.output().code === null) worker.child.kill("SIGKILL");
    await project?.remove();
    await database?.drop();
  });

  it("replays the runs of the database the URL names, and fails with a diff after a rename", async () => {
    const ok = await cli(project, "replay", "--database", database.url, "--json");
    expect(ok.code, ok.stderr).toBe(0);
    expect(parse(ok)).toMatchObject({ ok: true, checked: 4, failed: 0 });
    const config = await writeChangedConfig(project);
    const failed = await cli(
      project,
      "replay",
      "--config",
      config,
      "--database",
      database.url,
      "--workflow",
      "greet",
    );
    expect(failed.code).toBe(1);
    for (const id of runs.greets) expect(failed.stdout).toContain(`FAIL  run ${id}`);
    expect(failed.stdout).toContain("MISMATCH at seq 0");
    expect(failed.stderr).toContain("error: 3 of 3 journals no longer replay with today's code");
  });
});
