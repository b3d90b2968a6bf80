import type { JournalEntry, RunInfo } from "@durable/core";
import { isActiveStatus } from "@durable/core";
import { formatSpan, formatTime } from "../html/format-time.js";
import { formatValueShort, safeDecode } from "../html/format-value.js";
import { describeWaits } from "../views/describe-waits.js";
import type { RunView } from "../views/load-run-view.js";

/** The shapes of the picture: the seed's compute, delay and decision nodes, plus events, children... */
export type NodeShape =
  | "start"
  | "compute"
  | "delay"
  | "decision"
  | "event"
  | "child"
  | "patch"
  | "cancel"
  | "waiting"
  | "end";

/** How a node ended: colours it. */
export type NodeTone = "ok" | "error" | "waiting" | "cancelled" | "blocked" | "neutral";

/** One state of the run's path. */
export interface PathNode {
  shape: NodeShape;
  tone: NodeTone;
  title: string;
  subtitle: string;
  /** The journal seq, for journal nodes. */
  seq?: number;
  /** Everything about the node, for its tooltip. */
  detail: string;
}

/** A transition, in the order taken; `label` carries a decision's value or an error. */
export interface PathEdge {
  from: number;
  to: number;
  label?: string;
  tone?: NodeTone;
}

/** A block of nodes the run went through `times` times in a row (a polling loop): drawn once. */
export interface PathLoop {
  first: number;
  last: number;
  times: number;
}

/** The run as a state machine: nodes in delivery order, folded where the run looped. */
export interface PathModel {
  nodes: PathNode[];
  edges: PathEdge[];
  loops: PathLoop[];
  /** Journal entries left out past `maxNodes`. */
  omitted: number;
}

const SHAPES: Record<JournalEntry["kind"], NodeShape> = {
  call: "compute",
  transaction: "compute",
  sleep: "delay",
  decide: "decision",
  event: "event",
  child: "child",
  patch: "patch",
  cancel: "cancel",
};

function resultOf(entry: JournalEntry): unknown {
  if (entry.outcome === "error") return undefined;
  const decoded = safeDecode(entry.result);
  return decoded.ok ? decoded.value : `<unreadable: ${decoded.reason}>`;
}

function untilOf(entry: JournalEntry): Date | undefined {
  const until = (resultOf(entry) as { until?: unknown } | undefined)?.until;
  if (until instanceof Date) return until;
  return typeof until === "string" || typeof until === "number" ? new Date(until) : undefined;
}

function subtitleOf(entry: JournalEntry): string {
  const took = formatSpan(entry.completedAt.getTime() - entry.startedAt.getTime());
  if (entry.outcome === "error") return `${entry.error.name}: ${entry.error.message}`;
  switch (entry.kind) {
    case "call":
    case "transaction":
      return entry.attempts > 1 ? `${took} · ${entry.attempts} attempts` : took;
    case "sleep":
      return `woke ${formatTime(entry.completedAt)}`;
    case "decide":
      return `= ${formatValueShort(resultOf(entry), 40)}`;
    case "event": {
      const payload = resultOf(entry);
      return payload === undefined ? "timed out" : `received after ${took}`;
    }
    case "child":
      return `child run · ${took}`;
    case "cancel":
      return "cancellation delivered";
    case "patch":
      return "patched";
  }
}

function titleOf(entry: JournalEntry): string {
  if (entry.kind === "event") return `event "${entry.name}"`;
  if (entry.kind === "sleep") {
    const until = untilOf(entry);
    return until ? `sleep ${formatSpan(until.getTime() - entry.startedAt.getTime())}` : "sleep";
  }
  return entry.name;
}

function nodeOf(entry: JournalEntry): PathNode {
  const kindWord = entry.kind === "call" ? "step" : entry.kind;
  const value = entry.outcome === "error" ? undefined : resultOf(entry);
  const detail = [
    `#${entry.seq} ${kindWord} "${entry.name}" (delivered ${entry.order + 1}${ordinal(entry.order + 1)})`,
    `${formatTime(entry.startedAt)} → ${formatTime(entry.completedAt)}`,
    entry.outcome === "error"
      ? `error ${entry.error.name}: ${entry.error.message}`
      : `value ${formatValueShort(value, 200)}`,
  ].join("\n");
  return {
    shape: SHAPES[entry.kind],
    tone: entry.outcome === "error" ? "error" : entry.kind === "cancel" ? "cancelled" : "ok",
    title: titleOf(entry),
    subtitle: subtitleOf(entry),
    seq: entry.seq,
    detail,
  };
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}

function edgeLabel(entry: JournalEntry): { label: string; tone: NodeTone } | undefined {
  if (entry.outcome === "error") return { label: "error", tone: "error" };
  if (entry.kind === "decide") return { label: formatValueShort(resultOf(entry), 24), tone: "neutral" };
  return undefined;
}

// Two entries are the same state when kind and name match — and, for decisions, the value (so a loop
// that polls `false` folds, and the final `true` that leaves it stays apart).
function stateKey(entry: JournalEntry): string {
  const value = entry.kind === "decide" ? formatValueShort(resultOf(entry), 200) : "";
  return `${entry.kind}\u0000${entry.name}\u0000${entry.outcome}\u0000${value}`;
}

/** Where the entries repeat a block of `period` states back to back, and how often (at least twice). */
function repeatAt(keys: readonly string[], i: number): { period: number; times: number } | undefined {
  let best: { period: number; times: number } | undefined;
  for (let period = 1; period <= 3 && i + 2 * period <= keys.length; period++) {
    let times = 1;
    while (
      i + (times + 1) * period <= keys.length &&
      keys.slice(i + times * period, i + (times + 1) * period).every((k, j) => k === keys[i + j])
    ) {
      times++;
    }
    if (times >= 2 && (!best || times * period > best.times * best.period)) best = { period, times };
  }
  return best;
}

function endNode(run: RunInfo): PathNode {
  const tone: NodeTone =
    run.status === "completed"
      ? "ok"
      : run.status === "failed"
        ? "error"
        : run.status === "blocked"
          ? "blocked"
          : "cancelled";
  const subtitle = run.error ? run.error.name : run.finishedAt ? formatTime(run.finishedAt) : "";
  const detail = run.error ? `${run.error.name}: ${run.error.message}` : subtitle;
  return { shape: "end", tone, title: run.status, subtitle, detail };
}

/**
 * The run's path as a state machine: a start node, one node per journal entry in delivery order (runs
 * of a repeated block folded into a loop), then the end (its status) or what the run waits for now.
 * Decision values label the edges leaving decisions.
 * @example
 * const model = buildPath(view); // model.nodes[1].shape === "compute"
 */
export function buildPath(view: RunView, maxNodes = 200): PathModel {
  const entries = [...view.journal].sort((a, b) => a.order - b.order || a.seq - b.seq);
  const shown = entries.slice(0, maxNodes);
  const keys = shown.map(stateKey);
  const nodes: PathNode[] = [
    { shape: "start", tone: "neutral", title: "start", subtitle: formatTime(view.run.createdAt), detail: "" },
  ];
  const edges: PathEdge[] = [];
  const loops: PathLoop[] = [];
  let previous: JournalEntry | undefined;
  const link = (to: number) => {
    const label = previous ? edgeLabel(previous) : undefined;
    edges.push({ from: to - 1, to, ...(label ? { label: label.label, tone: label.tone } : {}) });
  };
  for (let i = 0; i < shown.length; ) {
    const repeat = repeatAt(keys, i);
    const period = repeat?.period ?? 1;
    const first = nodes.length;
    for (let j = 0; j < period; j++) {
      const entry = shown[i + j] as JournalEntry;
      nodes.push(nodeOf(entry));
      link(nodes.length - 1);
      previous = entry;
    }
    if (repeat) {
      loops.push({ first, last: nodes.length - 1, times: repeat.times });
      previous = shown[i + repeat.times * period - 1];
    }
    i += period * (repeat?.times ?? 1);
  }
  const waits = describeWaits(view);
  const finished = !isActiveStatus(view.run.status);
  nodes.push(
    finished
      ? endNode(view.run)
      : {
          shape: "waiting",
          tone: "waiting",
          title: waits[0]?.title ?? view.run.status,
          subtitle: waits[0]?.subtitle ?? "",
          detail: waits.map((w) => `${w.title} ${w.subtitle}`).join("\n") || view.run.status,
        },
  );
  link(nodes.length - 1);
  return { nodes, edges, loops, omitted: entries.length - shown.length };
}
