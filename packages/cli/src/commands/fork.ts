import { ValidationError } from "@durable/core";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { printJson, printLine } from "../output/print.js";
import { parseCount } from "../parse-args.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable fork <runId> --from <seq> [--id ID] [--json]`: starts a new run that reuses the journal entries before
 * `seq` and runs live from there (for a run that no longer replays, or to re-run its tail). Prints the
 * new run's id alone (with `--json`, its `RunInfo`).
 * @example
 * registerFork(program); // durable fork order:42 --from 3
 */
export function registerFork(program: Command): void {
  const command = program
    .command("fork")
    .description("start a new run reusing a run's journal up to an entry, live from there")
    .argument("<runId>", "the run to fork")
    .requiredOption(
      "--from <seq>",
      "the first journal entry to run live (entries before it are reused)",
      (t) => parseCount(t, 0),
    )
    .option("--id <id>", "the new run's id (default a UUIDv7)")
    .option("--json", "print the new run's RunInfo as JSON");
  addCommonOptions(command, "warn").action(
    async (runId: string, options: CommonOptions & { from: number; id?: string; json?: boolean }) => {
      const session = await openSession(options, "fork");
      const run = await withClient(session, async (client) => {
        try {
          return await client.fork(runId, {
            fromSeq: options.from,
            ...(options.id ? { id: options.id } : {}),
          });
        } catch (error) {
          if (error instanceof ValidationError) throw new CliError(error.message);
          throw error;
        }
      });
      if (options.json) printJson(run);
      else printLine(run.id);
    },
  );
}
