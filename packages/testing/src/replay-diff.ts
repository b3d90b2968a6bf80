import { type CommandDescription, describeCommand, type JournalEntry, type RunStatus } from "@durable/core";
import type { IssuedCommand } from "./pending-commands.js";

/** How one seq compares: recorded and issued alike, different, never reached, or new past the journal. */
export type ReplayRowStatus = "match" | "mismatch" | "not-reached" | "past-journal";

/** One line of a replay diff. */
export interface ReplayDiffRow {
  seq: number;
  status: ReplayRowStatus;
  recorded?: CommandDescription;
  issued?: CommandDescription;
}

/** How a replay of a recorded journal with today's code went, seq by seq. */
export interface JournalReplayReport {
  /** True when today's code consumed every recorded entry as recorded. */
  ok: boolean;
  runId: string;
  workflow: string;
  /** The workflow version the run was recorded under. */
  version: string;
  /** The run's status when it was exported. */
  status: RunStatus;
  /** Recorded entries. */
  entries: number;
  rows: ReplayDiffRow[];
  /** Where the code first departs from the journal, and core's explanation. */
  mismatch?: { seq: number; recorded?: CommandDescription; issued?: CommandDescription; message: string };
  /** How the replay ended after the recorded entries. */
  ended: "completed" | "failed" | "cancelled" | "continued" | "waiting" | "running-live" | "blocked";
  /** What the code waits for, or starts, past the journal. */
  next: CommandDescription[];
  /** Remarks that do not fail the replay (an output that differs from the recorded one). */
  notes: string[];
}

/**
 * Lines up recorded entries and the commands today's code issued, by seq.
 * @example
 * const rows = diffRows(exported.entries, issued, blockedMessage);
 */
export function diffRows(
  entries: readonly JournalEntry[],
  issued: readonly IssuedCommand[] | undefined,
  blocked: boolean,
): ReplayDiffRow[] {
  const recorded = new Map(entries.map((e) => [e.seq, { seq: e.seq, kind: e.kind, name: e.name }]));
  const byIssue = new Map((issued ?? []).map((c) => [c.seq, { seq: c.seq, kind: c.kind, name: c.name }]));
  const seqs = [...new Set([...recorded.keys(), ...byIssue.keys()])].sort((a, b) => a - b);
  // When the code stopped issuing early, core fails at the first recorded entry (in delivery order) that
  // the code never issued.
  const firstMissing = blocked
    ? [...entries].sort((a, b) => a.order - b.order).find((e) => !byIssue.has(e.seq))?.seq
    : undefined;
  const hasKindMismatch = seqs.some((s) => {
    const r = recorded.get(s);
    const i = byIssue.get(s);
    return r && i && (r.kind !== i.kind || r.name !== i.name);
  });
  return seqs.map((seq) => {
    const r = recorded.get(seq);
    const i = byIssue.get(seq);
    const row: ReplayDiffRow = { seq, status: "match" };
    if (r) row.recorded = r;
    if (i) row.issued = i;
    if (r && i) row.status = r.kind === i.kind && r.name === i.name ? "match" : "mismatch";
    else if (r) row.status = issued && !hasKindMismatch && seq === firstMissing ? "mismatch" : "not-reached";
    else row.status = "past-journal";
    return row;
  });
}

/**
 * Renders a replay report as a table a person can read: one row per seq, recorded next to issued, the
 * first departure marked, then how the replay ended (`summary: false` leaves that line out). For
 * `durable replay` and test failures.
 * @example
 * const report = await checkJournal(onboarding, exported);
 * if (!report.ok) console.error(formatReplayDiff(report));
 */
export function formatReplayDiff(report: JournalReplayReport, options: { summary?: boolean } = {}): string {
  const header = `replay of run ${report.runId} (workflow "${report.workflow}", recorded under version ${report.version}, ${report.status}, ${report.entries} entr${report.entries === 1 ? "y" : "ies"}) with today's code`;
  const table: string[][] = [["", "seq", "recorded", "issued by today's code"]];
  for (const row of report.rows) {
    const mark = row.status === "mismatch" ? "✗" : row.status === "past-journal" ? "+" : "";
    const recorded = row.recorded ? describeCommand(row.recorded) : "(past the journal)";
    const issued = row.issued
      ? describeCommand(row.issued)
      : row.status === "mismatch"
        ? "(not issued)"
        : row.status === "not-reached"
          ? "(not reached)"
          : "?";
    table.push([mark, String(row.seq), recorded, issued]);
  }
  const lines = [header, ...alignColumns(table)];
  if (options.summary === false) return lines.join("\n");
  lines.push(
    report.ok
      ? `ok: ${describeEnd(report)}`
      : `MISMATCH at seq ${report.mismatch?.seq}: ${report.mismatch?.message}`,
  );
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}

function describeEnd(report: JournalReplayReport): string {
  const next = report.next.map((c) => `seq ${c.seq} ${describeCommand(c)}`).join(", ");
  switch (report.ended) {
    case "completed":
    case "failed":
    case "cancelled":
      return `every recorded entry replayed; the run ${report.ended} as before`;
    case "continued":
      return "every recorded entry replayed; the run continued as new as before";
    case "waiting":
      return `every recorded entry replayed; the run then waits${next ? ` on ${next}` : ""}`;
    case "running-live":
      return `every recorded entry replayed; the run would go on with ${next}`;
    case "blocked":
      return "blocked";
  }
}

/**
 * Pads table cells so columns line up.
 * @example
 * alignColumns([["seq", "name"], ["0", "charge"]]); // ["seq  name", "0    charge"]
 */
export function alignColumns(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
