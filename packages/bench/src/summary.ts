import { breakdown, figure, fmt, verdict } from "./report.js";
import type { Results } from "./results.js";
import { median } from "./stats.js";
import { REPLAY_RUNS } from "./workloads/replay-statements.js";
import { W1_RUNS, W1_STEPS } from "./workloads/w1-steps.js";
import { W2_RUNS } from "./workloads/w2-burst.js";
import { W3_RUNS, W3_SLEEP } from "./workloads/w3-lateness.js";

/** The closing report: medians, every run's value, targets, ratios to the ceiling, statements. */
export function summary(r: Results, repeats: number): string[] {
  const c1 = median(r.ceiling1);
  const c16 = median(r.ceiling16);
  const ratio = (perSecond: number) =>
    r.ceiling1.length === 0
      ? "(ceiling not measured)"
      : `${fmt(perSecond / c1, 2)}× the 1-connection ceiling, ${fmt(perSecond / c16, 2)}× the 16-connection ceiling`;
  const lines = ["", `Medians of ${repeats} runs (each run's value in parentheses):`];
  if (r.ceiling1.length > 0) {
    lines.push(
      "",
      "Ceiling: single-row INSERT + COMMIT per second through pg",
      `  1 connection:                ${figure(r.ceiling1)}`,
      `  16 connections:              ${figure(r.ceiling16)}`,
      `  1 connection, with NOTIFY:   ${figure(r.notify1)}`,
      `  16 connections, with NOTIFY: ${figure(r.notify16)}`,
    );
  }
  for (const lanes of [1, 10]) {
    const runs = r.store.filter((x) => x.lanes === lanes);
    if (runs.length === 0) continue;
    if (lanes === 1) lines.push("", "Store calls alone (no engine), calls/s:");
    lines.push(
      `  ${lanes} lane${lanes === 1 ? " " : "s"}: appendJournal ${figure(runs.map((x) => x.appendsPerSecond))}`,
      `            finishRun (NOTIFY) ${figure(runs.map((x) => x.finishesPerSecond))}`,
    );
  }
  const w1Median = [...r.w1].sort((a, b) => a.stepsPerSecond - b.stepsPerSecond)[Math.floor(r.w1.length / 2)];
  if (w1Median) {
    const steps = median(r.w1.map((x) => x.stepsPerSecond));
    lines.push(
      "",
      `W1: ${W1_RUNS} workflows × ${W1_STEPS} trivial steps, one worker`,
      `  workflows/s: ${figure(r.w1.map((x) => x.workflowsPerSecond))}`,
      `  steps/s:     ${figure(r.w1.map((x) => x.stepsPerSecond))}   target ≥ 5,500: ${verdict(steps >= 5_500)}`,
      `  ratio:       ${ratio(steps)}`,
      `  statements per step (live): ${figure(
        r.w1.map((x) => x.statementsPerStep),
        3,
      )}`,
      "  statements of the median run by kind (count, per step, mean latency from send to result):",
      ...breakdown(w1Median.tally, W1_RUNS * W1_STEPS, "step"),
    );
  }
  if (r.w2.length > 0) {
    const rate = median(r.w2.map((x) => x.workflowsPerSecond));
    lines.push(
      "",
      `W2: ${fmt(W2_RUNS)} one-step workflows started at once, one worker`,
      `  workflows/s: ${figure(r.w2.map((x) => x.workflowsPerSecond))}   target ≥ 3,000: ${verdict(rate >= 3_000)}`,
      `  seconds:     ${figure(
        r.w2.map((x) => x.seconds),
        2,
      )}`,
      `  of which starting them (client.start, 64 in flight): ${figure(
        r.w2.map((x) => x.startSeconds),
        2,
      )} s`,
      `  ratio:       ${ratio(rate)} (one step each: steps/s = workflows/s)`,
    );
  }
  if (r.w3.length > 0) {
    const p99 = median(r.w3.map((x) => x.p99));
    lines.push(
      "",
      `W3: ${W3_RUNS} workflows each sleeping ${W3_SLEEP}; lateness = wake (sleep entry written) − due (wake_at), ms`,
      `  p50: ${figure(r.w3.map((x) => x.p50))}`,
      `  p95: ${figure(r.w3.map((x) => x.p95))}`,
      `  p99: ${figure(r.w3.map((x) => x.p99))}   target ≤ 50: ${verdict(p99 <= 50)}`,
      `  max: ${figure(r.w3.map((x) => x.max))}`,
      `  seen suspended in the database while sleeping: ${r.w3.map((x) => `${x.seenSuspended}/${W3_RUNS}`).join(", ")}`,
      `  ratio: ${ratio(median(r.w3.map((x) => (2 * W3_RUNS) / x.seconds)))} (2 steps a run; the sleep dominates)`,
    );
  }
  const replay = r.replay[0];
  if (replay) {
    lines.push(
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
    );
  }
  if (r.warnings.size > 0) {
    lines.push("", "Worker warnings over all runs (by message):");
    for (const [msg, n] of [...r.warnings].sort((a, b) => b[1] - a[1]))
      lines.push(`  ${fmt(n).padStart(7)}  ${msg}`);
  }
  return lines;
}
