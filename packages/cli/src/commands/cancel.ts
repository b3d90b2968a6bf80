import { TERMINAL_STATUSES } from "@durable/core";
import type { Command } from "commander";
import { CliError, runNotFound } from "../cli-error.js";
import { printJson, printLine } from "../output/print.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable cancel <runId> [--reason text] [--json]`: cancels a run (the workflow sees `CancelledError` at
 * its current await). A run that has already finished is left as it is: the command says so and exits 1.
 * An unknown run exits 1.
 * @example
 * registerCancel(program); // durable cancel order:42 --reason "customer left"
 */
export function registerCancel(program: Command): void {
  const command = program
    .command("cancel")
    .description("cancel a run")
    .argument("<runId>", "the run's id")
    .option("--reason <text>", "why, recorded with the run", "cancelled from the command line")
    .option("--json", "print the run's RunInfo as JSON");
  addCommonOptions(command, "warn").action(
    async (runId: string, options: CommonOptions & { reason: string; json?: boolean }) => {
      const session = await openSession(options, "cancel");
      const { run, finished } = await withClient(session, async (client) => {
        const before = await client.get(runId);
        if (!before) throw runNotFound(runId);
        if (TERMINAL_STATUSES.includes(before.status)) return { run: before, finished: true };
        const run = await client.cancel(runId, options.reason);
        // It may have finished on its own meanwhile: then this cancel changed nothing either.
        return { run, finished: run.status !== "cancelled" && TERMINAL_STATUSES.includes(run.status) };
      });
      if (options.json) printJson(run);
      if (finished) {
        throw new CliError(`run ${runId} has already ${verb(run.status)}; nothing to cancel`);
      }
      if (!options.json) {
        const state =
          run.status === "cancelled" ? "cancelled" : `cancellation requested (the run is ${run.status})`;
        printLine(`${runId}: ${state}`);
      }
    },
  );
}

function verb(status: string): string {
  return status === "cancelled" ? "been cancelled" : status;
}
