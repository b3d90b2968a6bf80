import { type RunInfo, ValidationError } from "@durable/core";
import type { Command } from "commander";
import { CliError, usageError } from "../cli-error.js";
import { endedBadly, pollRun } from "../follow/poll-run.js";
import { printJson, printLine } from "../output/print.js";
import { parseDurationArg, parseJson, parseStartTime, parseTag, type StartTime } from "../parse-args.js";
import {
  addCommonOptions,
  type CommonOptions,
  findWorkflow,
  openSession,
  type Session,
  sessionWorkflows,
} from "../session.js";
import { withClient } from "../with-client.js";

interface StartOptions extends CommonOptions {
  input?: unknown;
  id?: string;
  at?: StartTime;
  tag?: Record<string, string>;
  wait?: boolean;
  timeout?: number;
  json?: boolean;
}

/**
 * `durable start <workflow> [--input JSON] [--id ID] [--at TIME] [--tag k=v] [--wait [--timeout D]]
 * [--json]`: starts a run and prints its id alone on stdout (with `--json`, its `RunInfo`). With `--wait`
 * it waits for the run to end: exit 0 and its output as JSON when it completes, exit 1 with its error
 * when it fails, is cancelled or blocked (or the timeout passes). An unknown workflow, bad JSON or input
 * the workflow's schema refuses exit 2 with nothing written.
 * @example
 * registerStart(program); // durable start hello --input '{"who":"ann"}' --wait
 */
export function registerStart(program: Command): void {
  const command = program
    .command("start")
    .description("start a run and print its id (--wait: wait for it and print its output)")
    .argument("<workflow>", "the workflow's name")
    .option("--input <json>", "the run's input, as JSON", parseJson)
    .option("--id <id>", "the run id (starting again with the same id returns the existing run)")
    .option("--at <time>", "not before this ISO time, or this long from now (10m)", parseStartTime)
    .option("--tag <k=v>", "a tag to find the run by (repeatable)", parseTag)
    .option("--wait", "wait for the run to end; exit 0 when it completes, 1 otherwise")
    .option("--timeout <duration>", "with --wait: give up after this long (exit 1)", parseDurationArg)
    .option("--json", "print the run's RunInfo as JSON");
  addCommonOptions(command, "warn").action(async (name: string, options: StartOptions) => {
    if (options.timeout !== undefined && !options.wait) throw usageError("--timeout needs --wait");
    const session = await openSession(options, "start");
    const workflow = findWorkflow(await sessionWorkflows(session), name);
    const run = await startRun(session, workflow, options);
    if (!options.wait) {
      if (options.json) printJson(run);
      else printLine(run.id);
      return;
    }
    const last = await pollRun(session, run.id, {
      onSnapshot: () => {},
      ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    });
    const failure = endedBadly(last.run);
    if (options.json) printJson(last.run);
    else if (!failure) printJson(last.run.output ?? null);
    if (failure) throw failure;
  });
}

async function startRun(
  session: Session,
  workflow: ReturnType<typeof findWorkflow>,
  options: StartOptions,
): Promise<RunInfo> {
  return withClient(session, async (client) => {
    try {
      const handle = await client.start(workflow, options.input, {
        ...(options.id !== undefined ? { id: options.id } : {}),
        ...(options.tag !== undefined ? { tags: options.tag } : {}),
        ...options.at,
      });
      const run = await client.get(handle.id);
      if (!run) throw new CliError(`run ${handle.id} was started but is gone (pruned at once?)`);
      return run;
    } catch (error) {
      if (error instanceof ValidationError) throw usageError(error.message);
      throw error;
    }
  });
}
