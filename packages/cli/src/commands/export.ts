import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable export <runId> [-o file]`: the canonical export of a run and its journal
 * (`client.exportJournal`) as JSON, to stdout or a file, for `durable replay`.
 * @example
 * registerExport(program); // durable export order:42 -o test/fixtures/journals/order.json
 */
export function registerExport(program: Command): void {
  const command = program
    .command("export")
    .description("export a run's journal as JSON (for durable replay)")
    .argument("<runId>", "the run's id")
    .option("-o, --output <file>", "write to this file instead of stdout");
  addCommonOptions(command, "warn").action(
    async (runId: string, options: CommonOptions & { output?: string }) => {
      const session = await openSession(options, "export");
      const exported = await withClient(session, (client) => client.exportJournal(runId));
      const text = `${JSON.stringify(exported, null, 2)}\n`;
      if (options.output === undefined) process.stdout.write(text);
      else await writeFile(options.output, text);
    },
  );
}
