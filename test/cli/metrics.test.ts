import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cli,
  eventually,
  makeProject,
  type Project,
  runReaches,
  type spawnCli,
  startWorker,
} from "./helpers.js";

describe("durable worker --metrics-port", () => {
  let project: Project;
  let worker: ReturnType<typeof spawnCli>;
  let url: string;

  beforeAll(async () => {
    project = await makeProject();
    worker = await startWorker(project, "--metrics-port", "0");
    url = await eventually("the metrics address in the ready line", async () => {
      const ready = worker
        .output()
        .stderr.split("\n")
        .find((line) => line.includes('"msg":"worker ready"'));
      return ready ? (JSON.parse(ready) as { metrics?: string }).metrics : undefined;
    });
  });

  afterAll(async () => {
    if (worker.output().code === null) worker.child.kill("SIGKILL");
    await project.remove();
  });

  it("serves Prometheus metrics of the runs and steps the worker executed", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const id = (await cli(project, "start", "greet", "--input", '{"name":"Ada"}')).stdout.trim();
    await runReaches(project, id, ["completed"]);
    const text = await eventually("the finished run in the metrics", async () => {
      const body = await (await fetch(url)).text();
      return body.includes('durable_runs_finished_total{workflow="greet",status="completed"} 1')
        ? body
        : undefined;
    });
    expect(text).toMatch(/^durable_runs_started_total\{workflow="greet"\} 1$/m);
    expect(text).toMatch(/^durable_step_attempts_total\{workflow="greet",step="greet"\} 1$/m);
    expect(text).toMatch(/^durable_journal_append_seconds_count 3$/m);
    expect(text).toMatch(/^durable_claim_batch_size_bucket/m);
    expect(text).toMatch(/^durable_due_runs \d+$/m);
    expect(text).toMatch(/^durable_due_lag_seconds /m);
  });
});
