import { breakdown, figure, fmt, verdict } from "./report.js";
import type { Results } from "./results.js";
import { shapeLines } from "./shape-report.js";
import { median } from "./stats.js";
import { REPLAY_RUNS } from "./workloads/replay-statements.js";
import { W1_RUNS, W1_STEPS } from "./workloads/w1-steps.js";
import { W2_RUNS } from "./workloads/w2-burst.js";
import { W3_RUNS, W3_SLEEP } from "./workloads/w3-lateness.js";
import { W5_PRODUCERS, W5_RUNS, W5_STEPS } from "./workloads/w5-producers.js";

/** The closing report: medians, every run's value, targets, ratios to the ceiling, statements. */
export function summary(r: Results, repeats: number): string[] {
  return [
    "",
    `Medians of ${repeats} runs (each run's value in parentheses):`,
    ...ceilingLines(r),
    ...storeLines(r),
    ...workloadLines(r),
    ...w3Lines(r),
    ...replayLines(r),
    ...warningLines(r),
  ];
}

/** How a throughput compares with the measured INSERT+COMMIT ceilings. */
function ceilingRatio(r: Results, perSecond: number): string {
  return r.ceiling1.length === 0
    ? "(ceiling not measured)"
    : `${fmt(perSecond / median(r.ceiling1), 2)}× the 1-connection ceiling, ${fmt(perSecond / median(r.ceiling16), 2)}× the 16-connection ceiling`;
}

function ceilingLines(r: Results): string[] {
  if (r.ceiling1.length === 0) return [];
  return [
    "",
    "Ceiling: single-row INSERT + COMMIT per second through pg",
    `  1 connection:                ${figure(r.ceiling1)}`,
    `  16 connections:              ${figure(r.ceiling16)}`,
    `  1 connection, with NOTIFY:   ${figure(r.notify1)}`,
    `  16 connections, with NOTIFY: ${figure(r.notify16)}`,
  ];
}

function storeLines(r: Results): string[] {
  const lines: string[] = [];
  for (const lanes of [1, 10]) {
    const runs = r.store.filter((x) => x.lanes === lanes);
    if (runs.length === 0) continue;
    if (lanes === 1) lines.push("", "Store calls alone (no engine), calls/s:");
    lines.push(
      `  ${lanes} lane${lanes === 1 ? " " : "s"}: appendJournal ${figure(runs.map((x) => x.appendsPerSecond))}`,
      `            finishRun (NOTIFY) ${figure(runs.map((x) => x.finishesPerSecond))}`,
    );
  }
  return lines;
}

function workloadLines(r: Results): string[] {
  const lines = [
    ...shapeLines(
      `W1, users' shape: ${W1_RUNS} × ${W1_STEPS} steps, starts awaited one by one while one worker runs`,
      r.w1Interleaved,
    ),
    ...shapeLines("W1, users' shape, the starts sharing the worker's store and pool", r.w1SharedStore),
    ...shapeLines(
      `W1, easy shape (precreated): ${W1_RUNS} × ${W1_STEPS} steps created, then one worker`,
      r.w1,
    ),
    ...shapeLines(`W2: ${fmt(W2_RUNS)} one-step workflows, every start in flight at once, one worker`, r.w2),
    ...shapeLines(
      `W5: ${W5_PRODUCERS} producers awaiting each start, ${W5_RUNS} × ${W5_STEPS} steps, 1 worker process`,
      r.w5x1,
    ),
    ...shapeLines(`W5: the same, 3 worker processes`, r.w5x3),
  ];
  if (r.ceiling1.length > 0 && r.w1Interleaved.length > 0)
    lines.push(
      `  W1 users' shape: start p50 ÷ 1-connection INSERT+COMMIT latency: ${fmt(
        median(r.w1Interleaved.map((x) => x.startP50)) / (1000 / median(r.ceiling1)),
        2,
      )} (target ≤ 3)`,
    );
  return lines;
}

function w3Lines(r: Results): string[] {
  if (r.w3.length === 0) return [];
  const p99 = median(r.w3.map((x) => x.p99));
  return [
    "",
    `W3: ${W3_RUNS} workflows each sleeping ${W3_SLEEP}; lateness = wake (sleep entry written) − due (wake_at), ms`,
    `  p50: ${figure(r.w3.map((x) => x.p50))}`,
    `  p95: ${figure(r.w3.map((x) => x.p95))}`,
    `  p99: ${figure(r.w3.map((x) => x.p99))}   target ≤ 50: ${verdict(p99 <= 50)}`,
    `  max: ${figure(r.w3.map((x) => x.max))}`,
    `  seen suspended in the database while sleeping: ${r.w3.map((x) => `${x.seenSuspended}/${W3_RUNS}`).join(", ")}`,
    `  starts that arrived after the first wake: ${r.w3.map((x) => x.startsAfterFirstWake).join(", ")}`,
    `  ratio: ${ceilingRatio(r, median(r.w3.map((x) => (2 * W3_RUNS) / x.seconds)))} (2 steps a run; the sleep dominates)`,
    ...shapeLines("  W3 start latency and cost", r.w3).slice(4),
  ];
}

function replayLines(r: Results): string[] {
  const replay = r.replay[0];
  if (!replay) return [];
  return [
    "",
    "Replay: statements of the activation that resumes a run after its sleep, per run",
    `  all, with 10 recorded steps:  ${figure(
      r.replay.map((x) => x.withSteps),
      2,
    )}`,
    `  all, with no recorded step:   ${figure(
      r.replay.map((x) => x.withoutSteps),
      2,
    )}  (claims serve many runs at once, so they vary with timing)`,
    `  own, with 10 recorded steps:  ${figure(
      r.replay.map((x) => x.ownWithSteps),
      2,
    )}`,
    `  own, with no recorded step:   ${figure(
      r.replay.map((x) => x.ownWithoutSteps),
      2,
    )}`,
    `  per replayed step: ${figure(
      r.replay.map((x) => x.perReplayedStep),
      3,
    )}   (design: 0)`,
    "  by kind, first run with 10 recorded steps:",
    ...breakdown(replay.tally, REPLAY_RUNS, "run"),
  ];
}

function warningLines(r: Results): string[] {
  if (r.warnings.size === 0) return [];
  const lines = ["", "Worker warnings over all runs (by message):"];
  for (const [msg, n] of [...r.warnings].sort((a, b) => b[1] - a[1]))
    lines.push(`  ${fmt(n).padStart(7)}  ${msg}`);
  return lines;
}
