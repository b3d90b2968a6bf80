import { readFile } from "node:fs/promises";
import { type AnyWorkflow, RunNotFoundError } from "@durable/core";
import type { JournalReplayReport } from "@durable/testing";
import type { Command } from "commander";
import { CliError, usageError } from "../cli-error.js";
import { databaseTarget, describeTarget } from "../database/database-target.js";
import { loadTesting, type TestingModule } from "../load-testing.js";
import { type Colors, colorsFor } from "../output/format.js";
import { parseCount } from "../parse-args.js";
import {
  addCommonOptions,
  type CommonOptions,
  findWorkflow,
  openSession,
  type Session,
  sessionWorkflows,
} from "../session.js";
import { withClient } from "../with-client.js";

interface ReplayOptions extends CommonOptions {
  /** `--database` alone: the configured database; with a URL: that one. */
  database?: string | true;
  workflow?: string;
  sample: number;
  json?: boolean;
}

/** One journal checked: where it came from (a file, or a run of the database) and how it replayed. */
interface Checked {
  source: string;
  report: JournalReplayReport;
}

const DEFAULT_SAMPLE = 10;

/**
 * `durable replay <file...>` and `durable replay --database [url] [--workflow W] [--sample N]`: checks that
 * today's code replays exported journals (`durable export`), or the most recent journals of each workflow
 * in a live database, the way they were recorded; runs no step and writes nothing. Exit 1 with a
 * seq-by-seq diff when one does not (a deploy guard); `--json` prints the reports.
 * @example
 * registerReplay(program); // durable replay test/fixtures/journals/*.json
 * // durable replay --database postgres://db/app --sample 50   (before a deploy)
 */
export function registerReplay(program: Command): void {
  const command = program
    .command("replay")
    .description(
      "check that today's code replays exported journals, or a live database's (exit 1 with a diff if not)",
    )
    .argument("[file...]", "journal exports written by durable export")
    .option(
      "--database [url]",
      "replay the most recent runs of a live database (default: the configured one)",
    )
    .option(
      "--workflow <name>",
      "with --database: only this workflow's runs (default: every workflow of the config)",
    )
    .option(
      "--sample <n>",
      `with --database: the most recent N runs of each workflow, 1 to 1000 (default ${DEFAULT_SAMPLE})`,
      (text) => parseCount(text, 1, 1000),
      DEFAULT_SAMPLE,
    )
    .option("--json", "print { ok, checked, failed, journals: [{ source, ...report }] } as JSON");
  addCommonOptions(command, "warn").action(async (files: string[], options: ReplayOptions) => {
    checkUsage(command, files, options);
    const testing = await loadTesting("replay");
    const session = await openSession(options, "replay");
    const workflows = await sessionWorkflows(session);
    const checked = await checkFiles(testing, files, workflows);
    if (options.database !== undefined) {
      checked.push(...(await sampleDatabase(testing, session, workflows, options)));
    }
    const failed = checked.filter((c) => !c.report.ok).length;
    if (options.json) {
      const journals = checked.map((c) => ({ source: c.source, ...c.report }));
      process.stdout.write(
        `${JSON.stringify({ ok: failed === 0, checked: checked.length, failed, journals }, null, 2)}\n`,
      );
    } else {
      const c = colorsFor(process.stdout);
      for (const one of checked) process.stdout.write(describeChecked(testing, one, c));
    }
    if (failed > 0) {
      const journals = `journal${checked.length === 1 ? "" : "s"}`;
      throw new CliError(
        `${failed} of ${checked.length} ${journals} no longer replay${failed === 1 ? "s" : ""} with today's code`,
      );
    }
  });
}

function checkUsage(command: Command, files: string[], options: ReplayOptions): void {
  if (options.database === undefined) {
    if (files.length === 0)
      throw usageError("give journal files to replay, or --database to replay a live database's runs");
    for (const flag of ["workflow", "sample"]) {
      if (command.getOptionValueSource(flag) === "cli") throw usageError(`--${flag} goes with --database`);
    }
  }
}

async function checkFiles(
  { checkJournal, parseJournalExport }: TestingModule,
  files: readonly string[],
  workflows: readonly AnyWorkflow[],
): Promise<Checked[]> {
  const checked: Checked[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
    });
    let exported: ReturnType<TestingModule["parseJournalExport"]>;
    try {
      exported = parseJournalExport(text);
    } catch (error) {
      throw new CliError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const workflow = findWorkflow(workflows, exported.workflow);
    checked.push({ source: file, report: await checkJournal(workflow, exported) });
  }
  return checked;
}

/** The most recent runs of each workflow (or the named one), newest first, each replayed from its export. */
async function sampleDatabase(
  { checkJournal }: TestingModule,
  session: Session,
  workflows: readonly AnyWorkflow[],
  options: ReplayOptions,
): Promise<Checked[]> {
  const chosen = options.workflow === undefined ? workflows : [findWorkflow(workflows, options.workflow)];
  const target =
    options.database === true || options.database === undefined
      ? session.target
      : databaseTarget({ root: session.loaded.root, flag: options.database, config: session.loaded.config });
  const checked = await withClient({ ...session, target }, async (client) => {
    const out: Checked[] = [];
    for (const workflow of chosen) {
      for (const run of await client.list({ workflow: workflow.name, limit: options.sample })) {
        // A run pruned since the list was read has nothing left to replay.
        const exported = await client.exportJournal(run.id).catch((error: unknown) => {
          if (error instanceof RunNotFoundError) return undefined;
          throw error;
        });
        if (exported) out.push({ source: `run ${run.id}`, report: await checkJournal(workflow, exported) });
      }
    }
    return out;
  });
  if (!options.json) {
    const names = chosen.map((w) => `"${w.name}"`).join(", ");
    process.stderr.write(
      `replayed the ${checked.length} most recent run${checked.length === 1 ? "" : "s"} (at most ${options.sample} a workflow) of ${names} in ${describeTarget(target)}\n`,
    );
  }
  return checked;
}

function describeChecked(
  { formatReplayDiff }: TestingModule,
  { source, report }: Checked,
  c: Colors,
): string {
  if (!report.ok) return `${c.red("FAIL")}  ${source}\n${formatReplayDiff(report)}\n`;
  const notes = report.notes.map((n) => `\n  note: ${n}`).join("");
  const run = source.startsWith("run ")
    ? `workflow ${report.workflow}, ${report.status}`
    : `run ${report.runId}`;
  return `${c.green("ok")}    ${source}: ${run} (${report.entries} entries, ${report.ended})${notes}\n`;
}
