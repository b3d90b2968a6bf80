import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { colorsFor } from "../output/format.js";
import { renderTimeline } from "../output/timeline.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable show <runId> [--json]`: the run and its journal as a timeline (coloured on a terminal), or
 * `{ run, journal }` as JSON. An unknown run exits 1.
 * @example
 * registerShow(program); // durable show 0199c3e0-...
 */
export function registerShow(program: Command): void {
  const command = program
    .command("show")
    .description("show a run and its journal as a timeline")
    .argument("<runId>", "the run's id")
    .option("--json", "print { run, journal } as JSON");
  addCommonOptions(command, "warn").action(
    async (runId: string, options: CommonOptions & { json?: boolean }) => {
      const session = await openSession(options, "show");
      const { run, journal } = await withClient(session, async (client) => {
        const run = await client.get(runId);
        if (!run) throw new CliError(`no run with id ${runId}`);
        return { run, journal: await client.journal(runId) };
      });
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ run, journal }, null, 2)}\n`
          : renderTimeline(run, journal, colorsFor(process.stdout)),
      );
    },
  );
}
