import type { RunInfo } from "@durable/core";
import { type Colors, formatTags, formatTime, paintStatus, truncateWords } from "./format.js";
import { renderTable } from "./plain-table.js";

function when(run: RunInfo): string {
  if (run.finishedAt) return `finished ${formatTime(run.finishedAt)}`;
  if (run.wakeAt && (run.status === "suspended" || run.status === "pending"))
    return `due ${formatTime(run.wakeAt)}`;
  if (run.startedAt) return `started ${formatTime(run.startedAt)}`;
  return "";
}

function note(run: RunInfo): string {
  if (run.error) return truncateWords(`${run.error.name}: ${run.error.message}`, 60);
  if (run.heldBy) return `held by ${run.heldBy}`;
  return "";
}

/**
 * Runs as a table: id, workflow, status, created, when (due, started or finished), note (error or
 * flow-control hold), tags.
 * @example
 * process.stdout.write(renderRuns(await client.list(), colorsFor(process.stdout)));
 */
export function renderRuns(runs: readonly RunInfo[], c: Colors): string {
  if (runs.length === 0) return "no runs\n";
  return renderTable(
    ["ID", "WORKFLOW", "STATUS", "CREATED", "WHEN", "NOTE", "TAGS"].map((h) => c.bold(h)),
    runs.map((run) => [
      run.id,
      run.workflow,
      paintStatus(run.status, c),
      formatTime(run.createdAt),
      when(run),
      c.red(note(run)),
      formatTags(run.tags),
    ]),
  );
}
