import type { Command } from "commander";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable cancel <runId> [--reason text]`: cancels a run (the workflow sees `CancelledError` at its
 * current await). An unknown run exits 1.
 * @example
 * registerCancel(program); // durable cancel order:42 --reason "customer left"
 */
export function registerCancel(program: Command): void {
  const command = program
    .command("cancel")
    .description("cancel a run")
    .argument("<runId>", "the run's id")
    .option("--reason <text>", "why, recorded with the run", "cancelled from the command line");
  addCommonOptions(command, "warn").action(
    async (runId: string, options: CommonOptions & { reason: string }) => {
      const session = await openSession(options, "cancel");
      const run = await withClient(session, (client) => client.cancel(runId, options.reason));
      const state =
        run.status === "cancelled" ? "cancelled" : `cancellation requested (the run is ${run.status})`;
      process.stdout.write(`${runId}: ${state}\n`);
    },
  );
}
