import { isDeepStrictEqual } from "node:util";
import {
  type CommandDescription,
  decode,
  describeCommand,
  isTerminalStatus,
  NonDeterminismError,
  ValidationError,
  type Workflow,
} from "@durable/core";
import { type JournalSource, type ReplayJournalOptions, readJournalSource } from "./journal-source.js";
import { replayOffline } from "./offline-replay.js";
import { diffRows, formatReplayDiff, type JournalReplayReport } from "./replay-diff.js";

/**
 * Replays a recorded journal with today's code and reports, seq by seq, whether the code still issues what
 * was recorded. Never throws for a mismatch (see `replayJournal`); runs no step and writes nothing.
 * A finished run's journal must be complete: code that issues more commands after its last entry differs.
 * Takes what `replayJournal` takes.
 * @example
 * const report = await checkJournal(onboarding, await readFile("onboarding-u1.json", "utf8"));
 * if (!report.ok) console.error(formatReplayDiff(report));
 */
export async function checkJournal(
  // biome-ignore lint/suspicious/noExplicitAny: any workflow's input and output
  workflow: Workflow<any, any>,
  exported: JournalSource,
  options?: ReplayJournalOptions,
): Promise<JournalReplayReport> {
  const journal = readJournalSource(workflow, exported, options);
  if (journal.workflow !== workflow.name) {
    throw new ValidationError(
      `the journal of run ${journal.runId} belongs to workflow "${journal.workflow}", not "${workflow.name}"; replay it with that workflow`,
      [{ path: "journal export.workflow", message: `is "${journal.workflow}"` }],
    );
  }
  const replay = await replayOffline({
    workflow,
    runId: journal.runId,
    input: decode(journal.input),
    entries: journal.entries,
    ...(journal.startedAt ? { startedAt: journal.startedAt } : {}),
  });
  const { outcome } = replay;
  const blocked = outcome.type === "blocked";
  const rows = diffRows(journal.entries, replay.issued, blocked);
  const recordedSeqs = new Set(journal.entries.map((e) => e.seq));
  const pending = (replay.issued ?? []).filter((c) => !c.settled && !recordedSeqs.has(c.seq));
  const next =
    outcome.type === "live" ? replay.live : pending.map(({ seq, kind, name }) => ({ seq, kind, name }));
  const report: JournalReplayReport = {
    ok: !blocked,
    runId: journal.runId,
    workflow: journal.workflow,
    version: journal.version,
    status: journal.status,
    entries: journal.entries.length,
    rows,
    ended: endedAs(outcome.type),
    next,
    notes: [],
  };
  if (outcome.type === "blocked") {
    const row = rows.find((r) => r.status === "mismatch");
    report.mismatch = { seq: row?.seq ?? -1, message: outcome.error.message };
    if (row?.recorded) report.mismatch.recorded = row.recorded;
    if (row?.issued) report.mismatch.issued = row.issued;
  } else if (isTerminalStatus(journal.status) && (outcome.type === "live" || outcome.type === "suspended")) {
    const first: CommandDescription | undefined = next[0];
    const what = first
      ? `issues seq ${first.seq} ${describeCommand(first)}`
      : "waits for something that never comes";
    report.ok = false;
    report.mismatch = {
      seq: first?.seq ?? journal.entries.length,
      message: `run ${journal.runId} ${journal.status} after its last journal entry, but today's code ${what}`,
    };
    if (first) report.mismatch.issued = first;
    for (const row of rows) if (first && row.seq === first.seq) row.status = "mismatch";
  }
  if (outcome.type === "completed" && journal.status === "completed" && journal.output !== undefined) {
    const replayed = decode(outcome.output);
    const recorded = decode(journal.output);
    if (!sameData(replayed, recorded)) {
      report.notes.push(
        `the recorded output was ${safeJson(recorded)}; today's code returns ${safeJson(replayed)} (not a replay failure: the run is finished)`,
      );
    }
  }
  return report;
}

/**
 * Checks that today's code replays a journal exported from a real run (`client.exportJournal(runId)`,
 * `durable export`, the JSON text of either, in format `durable.journal/2` or `/1`), or the bare entries
 * of `env.journal(runId)` (give their run's `input` in `options`). Resolves to the report when every
 * recorded entry is consumed as recorded; otherwise throws core's `NonDeterminismError`, whose message
 * ends with the diff.
 * @example
 * const exported = await client.exportJournal(run.id);
 * await replayJournal(onboarding, JSON.stringify(exported)); // passes
 * await replayJournal(onboarding, await env.journal(run.id), { input: { userId: "u1" } }); // passes
 * await replayJournal(onboardingWithRenamedStep, exported); // NonDeterminismError: ... seq 2 ...
 */
export async function replayJournal(
  // biome-ignore lint/suspicious/noExplicitAny: any workflow's input and output
  workflow: Workflow<any, any>,
  exported: JournalSource,
  options?: ReplayJournalOptions,
): Promise<JournalReplayReport> {
  const report = await checkJournal(workflow, exported, options);
  if (report.ok) return report;
  const mismatch = report.mismatch;
  const detail: { recorded?: CommandDescription; issued?: CommandDescription; message: string } = {
    message: `${mismatch?.message ?? "the journal does not replay"}\n\n${formatReplayDiff(report, { summary: false })}`,
  };
  if (mismatch?.recorded) detail.recorded = mismatch.recorded;
  if (mismatch?.issued) detail.issued = mismatch.issued;
  throw new NonDeterminismError(report.runId, detail);
}

function endedAs(type: string): JournalReplayReport["ended"] {
  switch (type) {
    case "completed":
    case "failed":
    case "cancelled":
    case "continued":
    case "blocked":
      return type;
    case "live":
      return "running-live";
    default:
      return "waiting";
  }
}

function sameData(a: unknown, b: unknown): boolean {
  if (isDeepStrictEqual(a, b)) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
