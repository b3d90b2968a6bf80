import type { Command } from "commander";
import { runNotFound } from "../cli-error.js";
import { followPrinter } from "../follow/follow-printer.js";
import { endedBadly, pollRun } from "../follow/poll-run.js";
import { colorsFor } from "../output/format.js";
import { printJson } from "../output/print.js";
import { runWaits } from "../output/run-waits.js";
import { renderTimeline } from "../output/timeline.js";
import { parseDurationArg } from "../parse-args.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { withClient } from "../with-client.js";

interface ShowOptions extends CommonOptions {
  json?: boolean;
  follow?: boolean;
  timeout?: number;
}

/**
 * `durable show <runId> [--json] [--follow [--timeout D]]`: the run, what it waits for, and its journal as
 * a timeline (coloured on a terminal), or `{ run, waits, journal }` as JSON. `--follow` streams the
 * timeline as entries are journaled until the run ends, then exits 0 when it completed and 1 when it
 * failed, was cancelled or is blocked (with `--json`: one JSON object a line). An unknown run exits 1.
 * @example
 * registerShow(program); // durable show order:42 --follow
 */
export function registerShow(program: Command): void {
  const command = program
    .command("show")
    .description("show a run, what it waits for, and its journal as a timeline")
    .argument("<runId>", "the run's id")
    .option("--json", "print { run, waits, journal } as JSON (with --follow: one object a line)")
    .option("--follow", "stream new journal entries until the run ends; exit 1 unless it completes")
    .option("--timeout <duration>", "with --follow: give up after this long (exit 1)", parseDurationArg);
  addCommonOptions(command, "warn").action(async (runId: string, options: ShowOptions) => {
    const session = await openSession(options, "show");
    const c = colorsFor(process.stdout);
    if (options.follow) {
      const last = await pollRun(session, runId, {
        onSnapshot: followPrinter(c, options.json === true),
        ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
      });
      const failure = endedBadly(last.run);
      if (failure) throw failure;
      return;
    }
    const { run, journal, waits } = await withClient(session, async (client, store) => {
      const run = await client.get(runId);
      if (!run) throw runNotFound(runId);
      return { run, journal: await client.journal(runId), waits: await runWaits(client, store, run) };
    });
    if (options.json) printJson({ run, waits, journal });
    else process.stdout.write(renderTimeline(run, journal, c, waits));
  });
}
