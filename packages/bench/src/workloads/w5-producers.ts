import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchDatabase } from "../bench-database.js";
import { statusCounts } from "../bench-database.js";
import { measureShape, type ShapeResult } from "../shape.js";
import { startRuns } from "../start-runs.js";
import type { WorkerProcessReport } from "../w5-worker-process.js";
import { waitUntil } from "../wait-until.js";
import { trivialSteps } from "../workflows.js";

export const W5_PRODUCERS = 16;
export const W5_RUNS = 800;
export const W5_STEPS = 3;

const WORKER_PROCESS = fileURLToPath(new URL("../w5-worker-process.ts", import.meta.url));

function spawnWorker(url: string): Promise<ChildProcess> {
  const child = fork(WORKER_PROCESS, [url], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) =>
      reject(new Error(`W5 worker process exited with ${code} before it was ready`)),
    );
  });
}

function askReport(child: ChildProcess): Promise<WorkerProcessReport> {
  return new Promise((resolve) => {
    child.once("message", (report) => resolve(report as WorkerProcessReport));
    child.send("report");
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.send("stop");
  });
}

/**
 * W5: `workers` worker processes (real children) run; 16 producers in this process each start runs of
 * 3 trivial steps one by one, awaiting every `client.start`, 800 runs in all. Timed from the first start
 * to the last completion; the children's statements and CPU are added to this process's.
 * @example
 * const oneWorker = await runW5(db, 1); const threeWorkers = await runW5(db, 3);
 */
export async function runW5(db: BenchDatabase, workers: number): Promise<ShapeResult> {
  const children = await Promise.all(Array.from({ length: workers }, () => spawnWorker(db.url)));
  const result = await measureShape(db, W5_RUNS, W5_STEPS, async () => {
    const started = performance.now();
    const input = { steps: W5_STEPS };
    const startLatencies = await startRuns(db.clientStore, trivialSteps, input, W5_RUNS, W5_PRODUCERS);
    const startSeconds = (performance.now() - started) / 1000;
    await waitUntil(
      "W5 runs to complete",
      180_000,
      async () => (await statusCounts(db)).completed === W5_RUNS,
    );
    const reports = await Promise.all(children.map(askReport));
    return {
      startLatencies,
      startSeconds,
      childStatements: reports.reduce((n, r) => n + r.statements, 0),
      childCpuSeconds: reports.reduce((n, r) => n + r.cpuSeconds, 0),
    };
  });
  await Promise.all(children.map(stopWorker));
  return result;
}
