import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cli,
  cliJson,
  eventually,
  makeProject,
  type Project,
  type RunJson,
  runReaches,
  spawnCli as spawn,
  type spawnCli,
  startWorker,
} from "./helpers.js";

interface LogLine {
  level: number;
  msg: string;
  runId?: string;
  step?: string;
  error?: { name: string; message: string };
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as LogLine);
}

describe("waiting for runs, following them, and the worker's log of failures", () => {
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

  it("start --wait exits 0 and prints the output of a run that completes", async () => {
    const result = await cli(project, "start", "greet", "--input", '{"name":"Grace"}', "--wait");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('"HELLO, GRACE!"\n');
    const json = await cliJson<RunJson>(
      project,
      "start",
      "greet",
      "--input",
      '{"name":"Al"}',
      "--wait",
      "--json",
    );
    expect(json).toMatchObject({ workflow: "greet", status: "completed", output: "Hello, Al!" });
  });

  it("start --wait exits 1 with the error of a run that fails, and the worker logs it at error level", async () => {
    const result = await cli(project, "start", "always-fails", "--id", "fails:1", "--wait");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^error: run fails:1 failed: StepFailedError: step "charge" \(seq 0\) failed after 2 attempts: Error: card declined .*; fix the cause and durable retry fails:1\n$/,
    );
    const logged = await eventually("the worker's log of the failure", async () => {
      const lines = logLines(worker.output().stderr).filter((l) => l.runId === "fails:1");
      return lines.length >= 2 ? lines : undefined;
    });
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 40,
        step: "charge",
        msg: expect.stringMatching(
          /^step "charge" \(seq 0\) of run fails:1 failed after 2 attempts: Error: card declined/,
        ),
        error: expect.objectContaining({ message: expect.stringContaining("card declined") }),
      }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: expect.stringMatching(/^run fails:1 \(always-fails\) failed: StepFailedError: /),
        error: expect.objectContaining({ name: "StepFailedError" }),
      }),
    );
  });

  it("start --wait --timeout exits 1 naming the run that carries on; --timeout alone is a usage error", async () => {
    const result = await cli(project, "start", "nap", "--id", "nap:wait", "--wait", "--timeout", "1s");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: run nap:wait is still (pending|running|suspended) after 1s; it carries on/,
    );
    expect((await cli(project, "start", "nap", "--timeout", "1s")).code).toBe(2);
  });

  it("show says what a run waits for: a sleep's end, an event", async () => {
    await runReaches(project, "nap:wait", ["suspended"]);
    const nap = await cli(project, "show", "nap:wait");
    expect(nap.stdout).toMatch(/^waits for sleep until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/m);
    const id = (await cli(project, "start", "await-approval")).stdout.trim();
    await runReaches(project, id, ["suspended"]);
    const waiting = await cli(project, "show", id);
    expect(waiting.stdout).toMatch(/^waits for event approved, or until \d{4}-/m);
    const json = await cliJson<{ waits: { events: string[] } }>(project, "show", id, "--json");
    expect(json.waits.events).toEqual(["approved"]);
    await cli(project, "cancel", id);
  });

  it("show --follow streams the timeline until the run completes, then exits 0", async () => {
    const id = (await cli(project, "start", "greet", "--input", '{"name":"Bo"}')).stdout.trim();
    const result = await cli(project, "show", id, "--follow");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.findIndex((l) => /^0\s+call\s+greet\s+ok/.test(l))).toBeGreaterThan(0);
    expect(lines.findIndex((l) => /^2\s+decide\s+loud\s+ok/.test(l))).toBeGreaterThan(
      lines.findIndex((l) => /^1\s+sleep\s+sleep\s+ok/.test(l)),
    );
    expect(result.stdout).toMatch(/-> completed in \S+: output "Hello, Bo!"\n$/);
  });

  it("show --follow --json prints one object a line, and exits 1 when the run is cancelled", async () => {
    const id = (await cli(project, "start", "nap")).stdout.trim();
    await runReaches(project, id, ["suspended"]);
    const follow = spawn(project, ["show", id, "--follow", "--json"]);
    await eventually("the first line", async () =>
      follow.output().stdout.includes("\n") ? true : undefined,
    );
    expect((await cli(project, "cancel", id, "--reason", "no time")).code).toBe(0);
    const result = await follow.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no time");
    const records = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; run?: RunJson });
    expect(records[0]).toMatchObject({ type: "run", run: { id, status: "suspended" } });
    expect(records.at(-1)).toMatchObject({ type: "run", run: { id, status: "cancelled" } });
    expect(records.some((r) => r.type === "entry")).toBe(true);
  });

  it("a cancel of a finished run changes nothing, says so and exits 1", async () => {
    const again = await cli(project, "cancel", "fails:1");
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("error: run fails:1 has already failed; nothing to cancel\n");
  });

  it("prints JSON with --json from every command that prints data", async () => {
    const started = await cliJson<RunJson>(project, "start", "nap", "--id", "nap:json", "--json");
    expect(started).toMatchObject({ id: "nap:json", workflow: "nap" });
    expect(await cliJson(project, "cancel", "nap:json", "--json")).toMatchObject({ id: "nap:json" });
    const id = (await cli(project, "start", "await-approval")).stdout.trim();
    expect(await cliJson(project, "send-event", id, "approved", '{"by":"ann"}', "--json")).toEqual({
      runId: id,
      name: "approved",
      sent: true,
    });
    expect(await cliJson(project, "retry", "fails:1", "--json")).toMatchObject({ id: "fails:1" });
    expect(
      await cliJson(project, "fork", "fails:1", "--from", "0", "--id", "fails:fork", "--json"),
    ).toMatchObject({
      id: "fails:fork",
    });
    expect(await cliJson(project, "prune", "--older-than", "30d", "--json")).toEqual({
      pruned: 0,
      olderThan: "30d",
    });
    expect(await cliJson(project, "migrate", "--json")).toMatchObject({
      schema: "durable",
      version: expect.any(Number),
    });
    expect(await cliJson(project, "migrate", "--print", "--json")).toMatchObject({
      sql: expect.stringMatching(/^BEGIN;/),
    });
  });

  it("cuts a long note in the runs table at a word boundary, with an ellipsis", async () => {
    await runReaches(project, "fails:fork", ["failed"]);
    const table = await cli(project, "runs", "--workflow", "always-fails");
    const row = table.stdout.split("\n").find((l) => l.startsWith("fails:fork"));
    expect(row).toMatch(/StepFailedError: step "charge" \(seq 0\) failed after 2…/);
  });
});
