import type { RunStatus } from "@durable/core";
import { RUN_STATUSES } from "@durable/core";
import { type Command, Option } from "commander";
import { colorsFor } from "../output/format.js";
import { printJson } from "../output/print.js";
import { renderRuns } from "../output/runs-table.js";
import { parseCount, parseTag } from "../parse-args.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

interface RunsOptions extends CommonOptions {
  status?: RunStatus;
  workflow?: string;
  tag?: Record<string, string>;
  limit: number;
  json?: boolean;
}

/**
 * `durable runs [--status S] [--workflow W] [--tag k=v] [--limit N] [--json]`: runs, newest first, as a
 * table or as `RunInfo[]` JSON.
 * @example
 * registerRuns(program); // durable runs --status suspended
 */
export function registerRuns(program: Command): void {
  const command = program
    .command("runs")
    .description("list runs, newest first")
    .addOption(new Option("--status <status>", "only runs in this state").choices(RUN_STATUSES))
    .option("--workflow <name>", "only runs of this workflow")
    .option("--tag <k=v>", "only runs with this tag (repeatable)", parseTag)
    .option("--limit <n>", "at most this many (1 to 1000)", (text) => parseCount(text, 1, 1000), 100)
    .option("--json", "print RunInfo[] as JSON");
  addCommonOptions(command, "warn").action(async (options: RunsOptions) => {
    const session = await openSession(options, "runs");
    const runs = await withClient(session, (client) =>
      client.list({
        limit: options.limit,
        ...(options.status !== undefined ? { status: options.status } : {}),
        ...(options.workflow !== undefined ? { workflow: options.workflow } : {}),
        ...(options.tag !== undefined ? { tags: options.tag } : {}),
      }),
    );
    if (options.json) printJson(runs);
    else process.stdout.write(renderRuns(runs, colorsFor(process.stdout)));
  });
}
