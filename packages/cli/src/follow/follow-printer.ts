import { formatDuration } from "@durable/core";
import { type Colors, formatValue, paintStatus } from "../output/format.js";
import { printJsonLine, printLine } from "../output/print.js";
import { describeWaits } from "../output/run-waits.js";
import { entryCells, renderFacts, stripLength, TIMELINE_HEAD } from "../output/timeline.js";
import { hasEnded, type RunSnapshot } from "./poll-run.js";

// Fixed widths: rows are printed as they come, so they cannot be aligned on the widest one.
const WIDTHS = [5, 8, 22, 9, 10, 10];

function row(cells: string[]): string {
  return cells
    .map((cell, i) => {
      const width = WIDTHS[i];
      return width === undefined ? cell : cell + " ".repeat(Math.max(1, width - stripLength(cell)));
    })
    .join("")
    .trimEnd();
}

function statusLine(snapshot: RunSnapshot, c: Colors): string {
  const { run, waits } = snapshot;
  const status = paintStatus(run.status, c);
  if (waits) return `${status}: waits for ${describeWaits(waits, run.status)}`;
  if (run.status === "completed" && run.finishedAt) {
    const took = formatDuration(run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime());
    return `${status} in ${took}: output ${formatValue(run.output, 200)}`;
  }
  if (run.error) return `${status}: ${c.red(`${run.error.name}: ${run.error.message}`)}`;
  return status;
}

/**
 * Prints a followed run as it moves (`durable show --follow`): its facts and the journal so far, then each
 * new entry in the order it was delivered, and a line at each change of status or of what it waits for.
 * With `json`, one JSON object a line instead: `{ type: "run", run, waits }` and `{ type: "entry", entry }`.
 * @example
 * const printer = followPrinter(colorsFor(process.stdout), false);
 * await pollRun(session, id, { onSnapshot: printer });
 */
export function followPrinter(c: Colors, json: boolean): (snapshot: RunSnapshot) => void {
  let runId: string | undefined;
  let printed = new Set<number>();
  let lastState: string | undefined;
  return (snapshot) => {
    const { run, journal } = snapshot;
    const first = run.id !== runId;
    if (first) {
      runId = run.id;
      printed = new Set();
      lastState = undefined;
    }
    const state = JSON.stringify([run.status, snapshot.waits]);
    // The facts say how a run stands when it is first seen; a line follows each change, and the outcome.
    const changed = first ? hasEnded(run) : state !== lastState;
    if (first) {
      if (json) printJsonLine({ type: "run", run, waits: snapshot.waits });
      else printLine(`${renderFacts(run, c, snapshot.waits)}\n\n${row(TIMELINE_HEAD.map((h) => c.bold(h)))}`);
    }
    for (const entry of [...journal].sort((a, b) => a.order - b.order)) {
      if (printed.has(entry.seq)) continue;
      printed.add(entry.seq);
      if (json) printJsonLine({ type: "entry", entry });
      else printLine(row(entryCells(entry, c)));
    }
    if (changed && !(first && json)) {
      if (json) printJsonLine({ type: "run", run, waits: snapshot.waits });
      else printLine(`${c.dim("->")} ${statusLine(snapshot, c)}`);
    }
    lastState = state;
  };
}
