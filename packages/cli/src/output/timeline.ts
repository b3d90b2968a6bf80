import { decode, type Encoded, formatDuration, type JournalEntry, type RunInfo } from "@durable/core";
import { type Colors, formatTags, formatTime, formatValue, paintStatus } from "./format.js";
import { renderTable } from "./plain-table.js";
import { describeWaits, type RunWaits } from "./run-waits.js";

function decoded(result: Encoded): unknown {
  try {
    return decode(result);
  } catch (error) {
    return `<undecodable: ${error instanceof Error ? error.message : String(error)}>`;
  }
}

function untilOf(value: unknown): Date | undefined {
  const until = (value as { until?: unknown } | undefined)?.until;
  if (until instanceof Date) return until;
  if (typeof until === "string" || typeof until === "number") return new Date(until);
  return undefined;
}

/** What the DETAIL column says about an entry: a sleep's wake time, a decision's value, an error's message... */
function detail(entry: JournalEntry, c: Colors): string {
  if (entry.outcome === "error") return c.red(`${entry.error.name}: ${entry.error.message}`);
  const value = decoded(entry.result);
  switch (entry.kind) {
    case "sleep": {
      const until = untilOf(value);
      return `${until ? `due ${formatTime(until)}, ` : ""}woke ${formatTime(entry.completedAt)}`;
    }
    case "decide":
      return `value ${c.magenta(formatValue(value))}`;
    case "event":
      return value === undefined ? c.yellow("timed out") : `payload ${formatValue(value)}`;
    case "cancel":
      return c.yellow(`reason ${formatValue((value as { reason?: unknown } | undefined)?.reason ?? value)}`);
    case "patch":
      return "";
    default:
      return `result ${formatValue(value)}`;
  }
}

function header(run: RunInfo, c: Colors, waits: RunWaits | undefined): string[][] {
  const rows: [string, string | undefined][] = [
    ["run", c.bold(run.id)],
    ["workflow", `${run.workflow} (version ${run.version})`],
    ["status", paintStatus(run.status, c)],
    ["waits for", waits && c.yellow(describeWaits(waits, run.status))],
    ["input", formatValue(run.input, 200)],
    ["output", run.output === undefined ? undefined : formatValue(run.output, 200)],
    [
      "error",
      run.error &&
        c.red(`${run.error.name}${run.error.code ? ` [${run.error.code}]` : ""}: ${run.error.message}`),
    ],
    ["held by", waits ? undefined : run.heldBy],
    ["tags", Object.keys(run.tags).length > 0 ? formatTags(run.tags) : undefined],
    ["parent", run.parentId],
    ["created", formatTime(run.createdAt)],
    ["started", run.startedAt && formatTime(run.startedAt)],
    [
      "finished",
      run.finishedAt &&
        `${formatTime(run.finishedAt)} (${formatDuration(run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime())} after start)`,
    ],
    ["due", run.finishedAt || !run.wakeAt ? undefined : formatTime(run.wakeAt)],
    ["attempts", String(run.attempts)],
  ];
  return rows
    .filter((r): r is [string, string] => r[1] !== undefined && r[1] !== "")
    .map(([k, v]) => [c.dim(k), v]);
}

/**
 * The run's facts, one `key  value` line each (what `durable show` prints above the journal), with what
 * it waits for when `waits` is given.
 * @example
 * process.stdout.write(`${renderFacts(run, colorsFor(process.stdout))}\n`);
 */
export function renderFacts(run: RunInfo, c: Colors, waits?: RunWaits): string {
  return header(run, c, waits)
    .map(([k, v]) => `${k?.padEnd(9 + (k.length - stripLength(k)))} ${v}`)
    .join("\n");
}

/** The columns of the journal table. */
export const TIMELINE_HEAD = ["SEQ", "KIND", "NAME", "OUTCOME", "DURATION", "ATTEMPTS", "DETAIL"];

/**
 * One journal entry as the cells of a timeline row.
 * @example
 * entryCells(entry, colorsFor(process.stdout)); // ["0", "call", "greet", "ok", "12ms", "1", 'result "Hi"']
 */
export function entryCells(e: JournalEntry, c: Colors): string[] {
  return [
    String(e.seq),
    e.kind,
    e.name,
    e.outcome === "ok" ? c.green("ok") : c.red("error"),
    formatDuration(Math.max(0, e.completedAt.getTime() - e.startedAt.getTime())),
    e.kind === "call" || e.kind === "transaction" ? String(e.attempts) : "",
    detail(e, c),
  ];
}

/**
 * A run and its journal as a timeline: the run's facts (with what it waits for, when given), then one line
 * a journal entry with its seq, kind, name, outcome, duration, attempts and what it recorded (a sleep's
 * wake time, a decision's value, an error's message).
 * @example
 * process.stdout.write(renderTimeline(run, await client.journal(run.id), colorsFor(process.stdout)));
 */
export function renderTimeline(
  run: RunInfo,
  journal: readonly JournalEntry[],
  c: Colors,
  waits?: RunWaits,
): string {
  const facts = renderFacts(run, c, waits);
  if (journal.length === 0) return `${facts}\n\n${c.dim("no journal entries yet")}\n`;
  const rows = [...journal].sort((a, b) => a.seq - b.seq).map((e) => entryCells(e, c));
  const table = renderTable(
    TIMELINE_HEAD.map((h) => c.bold(h)),
    rows,
  );
  return `${facts}\n\n${table}`;
}

// The printable length of a string that may hold ANSI colour codes.
export function stripLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}
