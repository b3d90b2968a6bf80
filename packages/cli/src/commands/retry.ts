import { ValidationError } from "@durable/core";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { printJson, printLine } from "../output/print.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable retry <runId> [--json]`: resumes a blocked or failed run. An unknown run, or one in another
 * state, exits 1.
 * @example
 * registerRetry(program); // durable retry order:42
 */
export function registerRetry(program: Command): void {
  const command = program
    .command("retry")
    .description("resume a blocked or failed run")
    .argument("<runId>", "the run's id")
    .option("--json", "print the run's RunInfo as JSON");
  addCommonOptions(command, "warn").action(
    async (runId: string, options: CommonOptions & { json?: boolean }) => {
      const session = await openSession(options, "retry");
      const run = await withClient(session, async (client) => {
        try {
          return await client.retry(runId);
        } catch (error) {
          if (error instanceof ValidationError) throw new CliError(error.message);
          throw error;
        }
      });
      if (options.json) printJson(run);
      else printLine(`${runId}: ${run.status}`);
    },
  );
}
