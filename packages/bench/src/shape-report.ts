import { breakdown, figure } from "./report.js";
import type { ShapeResult } from "./shape.js";

/**
 * The report lines of one users'-shape workload: throughput, start latency, CPU and statements per step,
 * each as median and every run's value, with the load average per run.
 * @example
 * lines.push(...shapeLines("W1, users' shape", r.w1Interleaved));
 */
export function shapeLines(title: string, runs: readonly ShapeResult[]): string[] {
  const first = runs[0];
  if (!first) return [];
  const pick = (f: (x: ShapeResult) => number) => runs.map(f);
  const middle = [...runs].sort((a, b) => a.stepsPerSecond - b.stepsPerSecond)[Math.floor(runs.length / 2)];
  const lines = [
    "",
    title,
    `  steps/s:            ${figure(pick((x) => x.stepsPerSecond))}`,
    `  workflows/s:        ${figure(pick((x) => x.workflowsPerSecond))}`,
  ];
  if (first.startSeconds > 0) {
    lines.push(
      `  start phase, s:     ${figure(
        pick((x) => x.startSeconds),
        2,
      )}`,
      `  client.start p50:   ${figure(
        pick((x) => x.startP50),
        1,
      )} ms`,
      `  client.start p99:   ${figure(
        pick((x) => x.startP99),
        1,
      )} ms`,
    );
  }
  lines.push(
    `  Node CPU per step:  ${figure(
      pick((x) => x.nodeCpuPerStep * 1e3),
      3,
    )} ms`,
    `  PG CPU per step:    ${figure(
      pick((x) => x.postgresCpuPerStep * 1e3),
      3,
    )} ms (this database's backends)`,
    `  statements/step:    ${figure(
      pick((x) => x.statementsPerStep),
      2,
    )} (workers)`,
    `  statements/run:     ${figure(
      pick((x) => x.statementsPerRun),
      2,
    )} (workers + starts)`,
    `  event-loop delay:   p50 ${figure(
      pick((x) => x.loopDelayP50),
      1,
    )} ms, p99 ${figure(
      pick((x) => x.loopDelayP99),
      1,
    )} ms`,
    `  load average:       ${runs.map((x) => x.load.toFixed(1)).join(" / ")}`,
  );
  if (middle && middle.tally.total > 0) {
    lines.push(
      "  the median run's worker statements by kind:",
      ...breakdown(middle.tally, middle.steps, "step"),
    );
  }
  return lines;
}
