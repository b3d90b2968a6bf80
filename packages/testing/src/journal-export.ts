import {
  encode,
  JOURNAL_EXPORT_FORMAT,
  type JournalEntry,
  type JournalExport,
  RUN_STATUSES,
  ValidationError,
  validateWith,
} from "@durable/core";
import { z } from "zod";

const FORMATS = ["durable.journal/1", JOURNAL_EXPORT_FORMAT] as const;

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

const run = {
  runId: z.string().min(1),
  workflow: z.string().min(1),
  version: z.string(),
  status: z.enum(RUN_STATUSES),
  entries: z.array(entry),
};

// The first format kept input and output decoded; an `undefined` input was dropped by JSON.
const versionOne = z.object({
  ...run,
  format: z.literal("durable.journal/1"),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
});

const versionTwo = z.object({
  ...run,
  format: z.literal(JOURNAL_EXPORT_FORMAT),
  input: encoded,
  output: encoded.optional(),
  error: errorData.optional(),
  createdAt: date.optional(),
  startedAt: date.optional(),
  finishedAt: date.optional(),
  continuedFrom: z.string().optional(),
  continuedAs: z.string().optional(),
});

/** A journal export as read: the current format, whatever format the file was written in. */
export type ParsedJournalExport = Omit<JournalExport, "createdAt"> & { createdAt?: Date };

/**
 * Reads a journal export (`client.exportJournal(runId)`, `durable export`) from JSON text, or from a value
 * already parsed, reviving the dates that JSON turned into strings. Reads `durable.journal/2` and the older
 * `durable.journal/1` (whose decoded input and output it encodes again). Refuses anything else with a
 * `ValidationError` naming the bad field, e.g. `journal export.entries.3.completedAt: ...`.
 * @example
 * const exported = parseJournalExport(await readFile("test/fixtures/journals/onboarding.json", "utf8"));
 * await replayJournal(onboarding, exported);
 */
export function parseJournalExport(source: string | unknown): ParsedJournalExport {
  const value = typeof source === "string" ? parseJson(source) : source;
  const format = (value as { format?: unknown } | null)?.format;
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
    const reason = `unsupported format ${JSON.stringify(format) ?? "(none)"}; this version of @durable/testing reads ${FORMATS.map((f) => `"${f}"`).join(" and ")}`;
    throw new ValidationError(`journal export.format: ${reason}`, [
      { path: "journal export.format", message: reason },
    ]);
  }
  if (format === "durable.journal/1") {
    const parsed = validateWith<z.output<typeof versionOne>>(versionOne, value, "journal export");
    const exported: ParsedJournalExport = {
      ...runFields(parsed),
      input: encode(parsed.input, "journal export input"),
    };
    if (parsed.output !== undefined) exported.output = encode(parsed.output, "journal export output");
    return exported;
  }
  const parsed = validateWith<z.output<typeof versionTwo>>(versionTwo, value, "journal export");
  const exported: ParsedJournalExport = { ...runFields(parsed), input: parsed.input };
  const optional = {
    output: parsed.output,
    error: parsed.error,
    createdAt: parsed.createdAt,
    startedAt: parsed.startedAt,
    finishedAt: parsed.finishedAt,
    continuedFrom: parsed.continuedFrom,
    continuedAs: parsed.continuedAs,
  };
  for (const [key, v] of Object.entries(optional)) if (v !== undefined) Object.assign(exported, { [key]: v });
  return exported;
}

function runFields(parsed: z.output<typeof versionOne> | z.output<typeof versionTwo>) {
  return {
    format: JOURNAL_EXPORT_FORMAT,
    runId: parsed.runId,
    workflow: parsed.workflow,
    version: parsed.version,
    status: parsed.status,
    entries: parsed.entries.map((e) => ({ ...e, runId: e.runId ?? parsed.runId }) as JournalEntry),
  } as const;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`journal export is not valid JSON: ${reason}`, [
      { path: "journal export", message: reason },
    ]);
  }
}
