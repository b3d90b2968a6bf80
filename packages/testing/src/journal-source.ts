import {
  encode,
  JOURNAL_EXPORT_FORMAT,
  type JournalEntry,
  type JournalExport,
  type JournalExportV1,
  type RunStatus,
  type Workflow,
} from "@durable/core";
import { type ParsedJournalExport, parseJournalExport } from "./journal-export.js";

/** What `replayJournal` and `checkJournal` replay: an export (either format), its JSON text, or bare entries. */
export type JournalSource =
  | JournalExport
  | JournalExportV1
  | ParsedJournalExport
  | string
  | readonly JournalEntry[];

/** What bare entries (`env.journal(runId)`) do not say about their run. */
export interface ReplayJournalOptions {
  /** The run's input (default undefined); an export carries its own. */
  input?: unknown;
  /**
   * The run's status (default `running`: code may issue more commands past the last entry); give
   * `completed` to also refuse code that does more than the journal recorded.
   */
  status?: RunStatus;
  /** The run's first start: `ctx.now()` before the first entry (default: the first entry's start). */
  startedAt?: Date;
}

/**
 * Reads a journal source into an export: parsed and validated text or value, or bare entries completed
 * from `options` and the workflow.
 * @example
 * const journal = readJournalSource(onboarding, await env.journal(run.id), { input: { userId: "u1" } });
 */
export function readJournalSource(
  // biome-ignore lint/suspicious/noExplicitAny: any workflow's input and output
  workflow: Workflow<any, any>,
  source: JournalSource,
  options: ReplayJournalOptions = {},
): ParsedJournalExport {
  if (!Array.isArray(source)) return parseJournalExport(source);
  const entries = source as readonly JournalEntry[];
  const bare: Record<string, unknown> = {
    format: JOURNAL_EXPORT_FORMAT,
    runId: entries[0]?.runId ?? "(bare entries)",
    workflow: workflow.name,
    version: workflow.version,
    status: options.status ?? "running",
    input: encode(options.input, "replayJournal input"),
    entries,
  };
  if (options.startedAt !== undefined) bare.startedAt = options.startedAt;
  return parseJournalExport(bare);
}
