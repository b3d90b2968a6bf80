import type { RunRecord, RunStatus } from "../store/store.js";
import type { ErrorData } from "../workflow/errors.js";
import type { JournalEntry } from "../workflow/journal.js";
import type { Encoded } from "../workflow/serialize.js";

/**
 * The format tag `client.exportJournal` writes today (`durable.journal/1` files are still read).
 * @example
 * const exported = await client.exportJournal(runId);
 * exported.format === JOURNAL_EXPORT_FORMAT; // true
 */
export const JOURNAL_EXPORT_FORMAT = "durable.journal/2";

/**
 * The canonical export of a run's journal, `durable.journal/2`. Payloads are kept as the store keeps them
 * (superjson's form with its format tag), so a JSON file round-trips `undefined`, Dates, BigInts, Maps and
 * Sets; `startedAt` is `ctx.now()` before the first entry, so an offline replay sees the same times.
 */
export interface JournalExport {
  format: typeof JOURNAL_EXPORT_FORMAT;
  runId: string;
  workflow: string;
  version: string;
  status: RunStatus;
  input: Encoded;
  output?: Encoded;
  error?: ErrorData;
  createdAt: Date;
  /** The run's first start; absent for a run no worker has taken yet. */
  startedAt?: Date;
  finishedAt?: Date;
  /** Continue-as-new chain: the run this one continues, and the one that continues it. */
  continuedFrom?: string;
  continuedAs?: string;
  entries: JournalEntry[];
}

/**
 * The first export format, `durable.journal/1`: input and output decoded, so a JSON file keeps only what
 * JSON can say (an `undefined` input is dropped, a Date becomes a string). Still read by `@durable/testing`.
 */
export interface JournalExportV1 {
  format: "durable.journal/1";
  runId: string;
  workflow: string;
  version: string;
  input?: unknown;
  status: RunStatus;
  output?: unknown;
  entries: JournalEntry[];
}

/**
 * Builds the canonical export of a run from its record and journal.
 * @example
 * const exported = toJournalExport(await store.getRun(id), await store.readJournal(id));
 * await writeFile("order-42.json", JSON.stringify(exported)); // parseJournalExport reads it back
 */
export function toJournalExport(run: RunRecord, entries: JournalEntry[]): JournalExport {
  const exported: JournalExport = {
    format: JOURNAL_EXPORT_FORMAT,
    runId: run.id,
    workflow: run.workflow,
    version: run.version,
    status: run.status,
    input: run.input,
    createdAt: run.createdAt,
    entries,
  };
  if (run.output !== undefined) exported.output = run.output;
  if (run.error !== undefined) exported.error = run.error;
  if (run.startedAt !== undefined) exported.startedAt = run.startedAt;
  if (run.finishedAt !== undefined) exported.finishedAt = run.finishedAt;
  if (run.continuedFrom !== undefined) exported.continuedFrom = run.continuedFrom;
  if (run.continuedAs !== undefined) exported.continuedAs = run.continuedAs;
  return exported;
}
