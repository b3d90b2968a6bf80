import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { loadTesting, type TestingModule } from "../load-testing.js";
import { colorsFor } from "../output/format.js";
import {
  addCommonOptions,
  type CommonOptions,
  findWorkflow,
  openSession,
  sessionWorkflows,
} from "../session.js";

/**
 * `durable replay <file...>`: checks that today's code replays exported journals (`durable export`) the
 * way they were recorded; runs no step and touches no database. Exit 1 with a readable diff when one
 * does not.
 * @example
 * registerReplay(program); // durable replay test/fixtures/journals/*.json
 */
export function registerReplay(program: Command): void {
  const command = program
    .command("replay")
    .description("check that today's code replays exported journals (exit 1 with a diff if not)")
    .argument("<file...>", "journal exports written by durable export");
  addCommonOptions(command, "warn").action(async (files: string[], options: CommonOptions) => {
    const { checkJournal, formatReplayDiff, parseJournalExport } = await loadTesting("replay");
    const session = await openSession(options, "replay");
    const workflows = await sessionWorkflows(session);
    const c = colorsFor(process.stdout);
    let failed = 0;
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
      const report = await checkJournal(workflow, exported);
      if (report.ok) {
        const notes = report.notes.map((n) => `\n  note: ${n}`).join("");
        process.stdout.write(
          `${c.green("ok")}    ${file}: run ${report.runId} (${report.entries} entries, ${report.ended})${notes}\n`,
        );
      } else {
        failed += 1;
        process.stdout.write(`${c.red("FAIL")}  ${file}\n${formatReplayDiff(report)}\n`);
      }
    }
    if (failed > 0) {
      throw new CliError(
        `${failed} of ${files.length} journal${files.length === 1 ? "" : "s"} no longer replay${failed === 1 ? "s" : ""} with today's code`,
      );
    }
  });
}
