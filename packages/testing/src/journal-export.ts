import {
  type JournalEntry,
  type JournalExport,
  RUN_STATUSES,
  ValidationError,
  validateWith,
} from "@durable/core";
import { z } from "zod";

// Dates arrive as Date objects (an export in memory) or ISO strings (an export read back from JSON).
const date = z.union([
  z.date().refine((d) => !Number.isNaN(d.getTime()), "must be a valid date"),
  z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
]);

const encoded = z.object({ f: z.string().min(1), json: z.unknown(), meta: z.unknown().optional() });

const errorData = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  code: z.string().optional(),
});

const common = {
  // Kinds newer than this version of the schema are let through: the replay judges them.
  kind: z.string().min(1),
  runId: z.string().optional(),
  seq: z.number().int().nonnegative(),
  name: z.string(),
  order: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  startedAt: date,
  completedAt: date,
};

const entry = z.union([
  z.object({ ...common, outcome: z.literal("ok"), result: encoded }),
  z.object({ ...common, outcome: z.literal("error"), error: errorData }),
]);

const journalExport = z.object({
  format: z.literal("durable.journal/1", {
    error: (issue) =>
      `unsupported format ${JSON.stringify(issue.input)}; this version of @durable/testing reads "durable.journal/1"`,
  }),
  runId: z.string().min(1),
  workflow: z.string().min(1),
  version: z.string(),
  input: z.unknown(),
  status: z.enum(RUN_STATUSES),
  output: z.unknown().optional(),
  entries: z.array(entry),
});

/**
 * Reads a journal export (`client.exportJournal(runId)`, `durable export`) from JSON text, or from a value
 * already parsed, reviving the dates that JSON turned into strings. Refuses anything else with a
 * `ValidationError` naming the bad field, e.g. `journal export.entries.3.completedAt: ...`.
 * @example
 * const exported = parseJournalExport(await readFile("test/fixtures/journals/onboarding.json", "utf8"));
 * await replayJournal(onboarding, exported);
 */
export function parseJournalExport(source: string | unknown): JournalExport {
  let value = source;
  if (typeof source === "string") {
    try {
      value = JSON.parse(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ValidationError(`journal export is not valid JSON: ${reason}`, [
        { path: "journal export", message: reason },
      ]);
    }
  }
  const parsed = validateWith<z.output<typeof journalExport>>(journalExport, value, "journal export");
  const exported: JournalExport = {
    format: parsed.format,
    runId: parsed.runId,
    workflow: parsed.workflow,
    version: parsed.version,
    input: parsed.input,
    status: parsed.status,
    entries: parsed.entries.map((e) => ({ ...e, runId: e.runId ?? parsed.runId }) as JournalEntry),
  };
  if (parsed.output !== undefined) exported.output = parsed.output;
  return exported;
}
