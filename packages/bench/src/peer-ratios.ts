import { fmt } from "./report.js";
import { median } from "./stats.js";

/** One RESULT line of side-by-side.mjs (the fields this summary reads). */
interface PeerResult {
  peer: string;
  workload: string;
  variant?: string;
  workflows?: number;
  steps?: number;
  steps_per_s?: number;
  wf_per_s?: number;
  start_phase_s?: number;
  node_cpu_s?: number;
  pg_cpu_s?: number;
  latency_ms?: number;
  commits_per_s?: number;
  lateness_ms?: { p50: number; p99: number };
}

interface Metric {
  label: string;
  workload: string;
  higherIsBetter: boolean;
  digits: number;
  value: (r: PeerResult) => number | undefined;
}

const perStep = (r: PeerResult, seconds: number | undefined) =>
  seconds === undefined || !r.workflows ? undefined : (seconds * 1e3) / (r.workflows * (r.steps ?? 1));

const METRICS: Metric[] = [
  { label: "W1 steps/s", workload: "W1", higherIsBetter: true, digits: 0, value: (r) => r.steps_per_s },
  {
    label: "W1 start phase, s",
    workload: "W1",
    higherIsBetter: false,
    digits: 2,
    value: (r) => r.start_phase_s,
  },
  {
    label: "W1 ms per start",
    workload: "W1",
    higherIsBetter: false,
    digits: 2,
    value: (r) =>
      r.start_phase_s === undefined || !r.workflows ? undefined : (r.start_phase_s * 1e3) / r.workflows,
  },
  {
    label: "W1 Node CPU ms/step",
    workload: "W1",
    higherIsBetter: false,
    digits: 3,
    value: (r) => perStep(r, r.node_cpu_s),
  },
  {
    label: "W1 PG CPU ms/step",
    workload: "W1",
    higherIsBetter: false,
    digits: 3,
    value: (r) => perStep(r, r.pg_cpu_s),
  },
  { label: "W2 wf/s", workload: "W2", higherIsBetter: true, digits: 0, value: (r) => r.wf_per_s },
  {
    label: "W2 Node CPU ms/step",
    workload: "W2",
    higherIsBetter: false,
    digits: 3,
    value: (r) => perStep(r, r.node_cpu_s),
  },
  {
    label: "W2 PG CPU ms/step",
    workload: "W2",
    higherIsBetter: false,
    digits: 3,
    value: (r) => perStep(r, r.pg_cpu_s),
  },
  {
    label: "W3 lateness p50, ms",
    workload: "W3",
    higherIsBetter: false,
    digits: 1,
    value: (r) => r.lateness_ms?.p50,
  },
  {
    label: "W3 lateness p99, ms",
    workload: "W3",
    higherIsBetter: false,
    digits: 1,
    value: (r) => r.lateness_ms?.p99,
  },
];

function parse(log: string): PeerResult[] {
  return log
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes('"peer"'))
    .map((line) => JSON.parse(line) as PeerResult);
}

function valuesOf(results: PeerResult[], metric: Metric, peer: string): number[] {
  return results
    .filter((r) => r.peer === peer && r.workload === metric.workload)
    .map(metric.value)
    .filter((v): v is number => typeof v === "number" && Number.isFinite(v));
}

function medianOf(results: PeerResult[], metric: Metric, peer: string): number | undefined {
  const values = valuesOf(results, metric, peer);
  return values.length === 0 ? undefined : median(values);
}

/**
 * The closing table of `npm run bench:peers`: per workload, durable's median, the best peer's median and
 * durable ÷ best peer, from the RESULT lines of one side-by-side.mjs output (so every figure is from the
 * same run). Peer CPU comes from the harness's /proc reading of every postgres process on the machine.
 * @example
 * console.log(peerRatios(readFileSync("side-by-side.log", "utf8")).join("\n"));
 */
export function peerRatios(log: string): string[] {
  const results = parse(log);
  const peers = [...new Set(results.map((r) => r.peer))].filter((p) => p !== "durable" && p !== "floor");
  const reps = Math.max(
    0,
    ...peers.map((p) => results.filter((r) => r.peer === p && r.workload === "W1").length),
  );
  const lines = ["", `durable ÷ best peer (medians of ${reps} interleaved rounds, one run):`];
  lines.push(
    `  ${"metric".padEnd(22)} ${"durable".padStart(10)} ${"best peer".padStart(10)}  ${"".padEnd(16)} durable ÷ best`,
  );
  for (const metric of METRICS) {
    const ours = medianOf(results, metric, "durable");
    const theirs = peers
      .map((p) => ({ peer: p, value: medianOf(results, metric, p), n: valuesOf(results, metric, p).length }))
      .filter((x): x is { peer: string; value: number; n: number } => x.value !== undefined)
      .sort((a, b) => (metric.higherIsBetter ? b.value - a.value : a.value - b.value));
    const best = theirs[0];
    if (ours === undefined || !best) continue;
    const better = metric.higherIsBetter ? "higher is better" : "lower is better";
    lines.push(
      `  ${metric.label.padEnd(22)} ${fmt(ours, metric.digits).padStart(10)} ${fmt(best.value, metric.digits).padStart(10)}  ${best.peer.padEnd(16)} ${fmt(ours / best.value, 2)}× (${better}; ${theirs.map((t) => `${t.peer} ${fmt(t.value, metric.digits)}${t.n < reps ? ` (n=${t.n})` : ""}`).join(", ")})`,
    );
  }
  const floor = (variant: string) =>
    median(
      results
        .filter((r) => r.peer === "floor" && r.variant === variant)
        .map((r) => r.latency_ms ?? Number.NaN),
    );
  const f1 = floor("node-pg-c1");
  const w1Start = medianOf(results, METRICS[2] as Metric, "durable");
  if (Number.isFinite(f1) && w1Start !== undefined)
    lines.push(
      `  floor: INSERT+COMMIT on 1 connection ${fmt(f1, 2)} ms; durable's W1 start ÷ that: ${fmt(w1Start / f1, 2)}× (target ≤ 3)`,
    );
  const load = /^load (.*)$/m.exec(log)?.[1];
  if (load) lines.push(`  load average at the end of the run: ${load}`);
  return lines;
}
