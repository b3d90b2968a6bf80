import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cli,
  cliJson,
  eventually,
  makeProject,
  type Project,
  type RunJson,
  runReaches,
  type spawnCli,
  startWorker,
} from "./helpers.js";

describe("durable on the embedded database", () => {
  let project: Project;
  let worker: ReturnType<typeof spawnCli>;

  beforeAll(async () => {
    project = await makeProject();
    worker = await startWorker(project);
  });

  afterAll(async () => {
    if (worker.output().code === null) worker.child.kill("SIGKILL");
    await project.remove();
  });

  it("records the worker's port and pid in .durable/server.json", async () => {
    const holder = JSON.parse(await readFile(join(project.dir, ".durable", "server.json"), "utf8"));
    expect(holder).toMatchObject({ pid: worker.child.pid, role: "serving", command: "worker" });
    expect(holder.port).toBeGreaterThan(0);
  });

  it("starts a run from another process, prints its id alone, and show --json watches it finish", async () => {
    const started = await cli(project, "start", "greet", "--input", '{"name":"Grace"}', "--tag", "team=core");
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    const id = started.stdout.trim();
    const shown = await runReaches(project, id, ["completed"]);
    expect(shown.run).toMatchObject({
      id,
      workflow: "greet",
      output: "HELLO, GRACE!",
      tags: { team: "core" },
    });
    expect(shown.journal.map((e) => `${e.seq}:${e.kind}:${e.name}:${e.outcome}`)).toEqual([
      "0:call:greet:ok",
      "1:sleep:sleep:ok",
      "2:decide:loud:ok",
    ]);
  });

  it("forks a finished run from a journal entry: earlier entries are reused, the rest runs live", async () => {
    const id = (await cli(project, "start", "greet", "--input", '{"name":"Lin"}')).stdout.trim();
    await runReaches(project, id, ["completed"]);
    const forked = await cli(project, "fork", id, "--from", "2", "--id", `${id}-fork`);
    expect(forked.code, forked.stderr).toBe(0);
    expect(forked.stdout).toBe(`${id}-fork\n`);
    const shown = await runReaches(project, `${id}-fork`, ["completed"]);
    expect(shown.run.output).toBe("Hello, Lin!");
    expect(shown.journal.map((e) => `${e.seq}:${e.kind}`)).toEqual(["0:call", "1:sleep", "2:decide"]);
    expect((await cli(project, "fork", "no-such-run", "--from", "0")).code).toBe(1);
    expect((await cli(project, "fork", id)).code).toBe(2);
  });

  it("prints show's timeline without colour when piped", async () => {
    const id = (await cli(project, "start", "greet", "--input", '{"name":"Bo"}')).stdout.trim();
    await runReaches(project, id, ["completed"]);
    const shown = await cli(project, "show", id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain("\u001b[");
    expect(shown.stdout).toMatch(/^run\s+[0-9a-f-]{36}$/m);
    expect(shown.stdout).toMatch(/^status\s+completed$/m);
    expect(shown.stdout).toMatch(/^SEQ\s+KIND\s+NAME\s+OUTCOME\s+DURATION\s+ATTEMPTS\s+DETAIL$/m);
    expect(shown.stdout).toMatch(/^0\s+call\s+greet\s+ok\s+\S+\s+1\s+result "Hello, Bo!"$/m);
    expect(shown.stdout).toMatch(/^1\s+sleep\s+sleep\s+ok\s+\S+\s+due \d{4}-\d\d-\d\d .*, woke \d{4}-/m);
    expect(shown.stdout).toMatch(/^2\s+decide\s+loud\s+ok\s+\S+\s+value false$/m);
  });

  it("lists runs as RunInfo[] JSON, filtered by workflow and tag", async () => {
    const runs = await cliJson<RunJson[]>(
      project,
      "runs",
      "--json",
      "--workflow",
      "greet",
      "--tag",
      "team=core",
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ workflow: "greet", status: "completed", tags: { team: "core" } });
    const all = await cliJson<RunJson[]>(project, "runs", "--json", "--limit", "1");
    expect(all).toHaveLength(1);
    const table = await cli(project, "runs", "--status", "completed");
    expect(table.stdout).toMatch(/^ID\s+WORKFLOW\s+STATUS\s+CREATED\s+WHEN\s+NOTE\s+TAGS$/m);
    expect(table.stdout).toMatch(/\s+greet\s+completed\s+.*team=core$/m);
  });

  it("delivers an event sent from another process to the run waiting for it", async () => {
    const id = (await cli(project, "start", "await-approval")).stdout.trim();
    await runReaches(project, id, ["suspended"]);
    const refused = await cli(project, "send-event", id, "approved", '{"by":""}');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: .*by/);
    const sent = await cli(project, "send-event", id, "approved", '{"by":"ann"}');
    expect(sent.code).toBe(0);
    const shown = await runReaches(project, id, ["completed"]);
    expect(shown.run.output).toBe("approved by ann");
  });

  it("cancels a sleeping run", async () => {
    const id = (await cli(project, "start", "nap")).stdout.trim();
    await runReaches(project, id, ["suspended"]);
    const cancelled = await cli(project, "cancel", id, "--reason", "not needed");
    expect(cancelled.code).toBe(0);
    const shown = await runReaches(project, id, ["cancelled"]);
    expect(shown.run.error?.message).toContain("not needed");
  });

  it("refuses a second worker on the same directory, naming the first one's pid", async () => {
    const second = await cli(project, "worker");
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${worker.child.pid}`);
    expect(second.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 with one line on stderr and writes nothing for bad JSON, an unknown workflow or bad input", async () => {
    const before = await cliJson<RunJson[]>(project, "runs", "--json", "--limit", "1000");
    for (const args of [
      ["start", "greet", "--input", "{bad"],
      ["start", "no-such-workflow"],
      ["start", "greet", "--input", '{"name":""}'],
      ["start", "greet", "--input", '{"name":"x"}', "--at", "whenever"],
      ["send-event", before[0]?.id ?? "x", "approved", "{bad"],
    ]) {
      const result = await cli(project, ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
    const after = await cliJson<RunJson[]>(project, "runs", "--json", "--limit", "1000");
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
  });

  it("exits 2 for an unknown command or flag", async () => {
    for (const args of [["frobnicate"], ["runs", "--frob"], ["start"], ["runs", "--limit", "0"]]) {
      const result = await cli(project, ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/^error: /);
    }
  });

  it("exits 1 with a clear line for an unknown run id", async () => {
    for (const command of ["show", "cancel", "retry", "export"]) {
      const result = await cli(project, command, "no-such-run");
      expect(result.code, command).toBe(1);
      expect(result.stderr, command).toBe("error: no run with id no-such-run\n");
    }
    const event = await cli(project, "send-event", "no-such-run", "approved", '{"by":"ann"}');
    expect(event.code).toBe(1);
  });

  it("exports a journal that replay accepts, and fails replay with a diff when the code no longer matches", async () => {
    const id = (await cli(project, "start", "greet", "--input", '{"name":"Cy"}')).stdout.trim();
    await runReaches(project, id, ["completed"]);
    const file = join(project.dir, "greet.json");
    expect((await cli(project, "export", id, "-o", file)).code).toBe(0);
    const exported = JSON.parse(await readFile(file, "utf8"));
    expect(exported).toMatchObject({
      format: "durable.journal/2",
      runId: id,
      workflow: "greet",
      status: "completed",
    });
    expect((await cli(project, "export", id)).stdout).toBe(await readFile(file, "utf8"));
    const ok = await cli(project, "replay", file);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`run ${id}`);
    exported.entries[0].name = "wave";
    const changed = join(project.dir, "changed.json");
    await writeFile(changed, JSON.stringify(exported));
    const failed = await cli(project, "replay", file, changed);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('call("wave")');
    expect(failed.stdout).toContain('call("greet")');
    expect(failed.stderr).toMatch(/^error: 1 of 2 journals no longer replays/);
  });

  it("stops on SIGINT after letting the running step finish, exits 0 and leaves no run running", async () => {
    const id = (await cli(project, "start", "slow-step", "--input", '{"ms":6000}')).stdout.trim();
    await runReaches(project, id, ["running"]);
    worker.child.kill("SIGINT");
    const exited = await worker.done;
    expect(exited.code).toBe(0);
    expect(existsSync(join(project.dir, ".durable", "server.json"))).toBe(false);
    const runs = await cliJson<RunJson[]>(project, "runs", "--json", "--limit", "1000");
    expect(runs.filter((r) => r.status === "running")).toEqual([]);
    expect(runs.find((r) => r.id === id)?.status).toBe("completed");
  });

  it("releases the lease of a step that outlasts the grace, so the run is not left running", async () => {
    const impatient = await startWorker(project, "--grace", "1s");
    try {
      const id = (await cli(project, "start", "slow-step", "--input", '{"ms":120000}')).stdout.trim();
      await runReaches(project, id, ["running"]);
      impatient.child.kill("SIGINT");
      const exited = await impatient.done;
      expect(exited.code).toBe(0);
      const shown = await cliJson<{ run: RunJson }>(project, "show", id, "--json");
      expect(shown.run.status).not.toBe("running");
    } finally {
      if (impatient.output().code === null) impatient.child.kill("SIGKILL");
    }
  });

  it("opens the directory itself when no worker holds it, removing a stale server.json", async () => {
    const holder = join(project.dir, ".durable", "server.json");
    await writeFile(
      holder,
      JSON.stringify({ pid: 2 ** 22 + 1, role: "serving", command: "worker", port: 1, since: "" }),
    );
    const runs = await cliJson<RunJson[]>(project, "runs", "--json");
    expect(runs.length).toBeGreaterThan(0);
    await eventually("server.json to be removed", async () => (existsSync(holder) ? undefined : true), 5_000);
  });
});
