import { formatDuration } from "@durable/core";
import type { Command } from "commander";
import { printJson, printLine } from "../output/print.js";
import { parseDurationArg } from "../parse-args.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable prune --older-than 30d [--json]`: deletes finished runs (completed, failed, cancelled) that finished
 * longer ago than that, with their journals and events.
 * @example
 * registerPrune(program); // durable prune --older-than 30d
 */
export function registerPrune(program: Command): void {
  const command = program
    .command("prune")
    .description("delete finished runs older than a duration, with their journals")
    .requiredOption("--older-than <duration>", "finished longer ago than this (30d)", parseDurationArg)
    .option("--json", "print { pruned, olderThan } as JSON");
  addCommonOptions(command, "warn").action(
    async (options: CommonOptions & { olderThan: number; json?: boolean }) => {
      const session = await openSession(options, "prune");
      const count = await withClient(session, (client) => client.prune({ olderThan: options.olderThan }));
      const olderThan = formatDuration(options.olderThan);
      if (options.json) printJson({ pruned: count, olderThan });
      else printLine(`pruned ${count} run${count === 1 ? "" : "s"} finished over ${olderThan} ago`);
    },
  );
}
