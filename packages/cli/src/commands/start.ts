import { ValidationError } from "@durable/core";
import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import { parseJson, parseStartTime, parseTag, type StartTime } from "../parse-args.js";
import {
  addCommonOptions,
  type CommonOptions,
  findWorkflow,
  openSession,
  sessionWorkflows,
} from "../session.js";
import { withClient } from "../with-client.js";

interface StartOptions extends CommonOptions {
  input?: unknown;
  id?: string;
  at?: StartTime;
  tag?: Record<string, string>;
}

/**
 * `durable start <workflow> [--input JSON] [--id ID] [--at TIME] [--tag k=v]`: starts a run and prints its
 * id alone on stdout. An unknown workflow, bad JSON or input the workflow's schema refuses exit 2 with
 * nothing written.
 * @example
 * registerStart(program); // durable start hello --input '{"who":"ann"}'
 */
export function registerStart(program: Command): void {
  const command = program
    .command("start")
    .description("start a run and print its id")
    .argument("<workflow>", "the workflow's name")
    .option("--input <json>", "the run's input, as JSON", parseJson)
    .option("--id <id>", "the run id (starting again with the same id returns the existing run)")
    .option("--at <time>", "not before this ISO time, or this long from now (10m)", parseStartTime)
    .option("--tag <k=v>", "a tag to find the run by (repeatable)", parseTag);
  addCommonOptions(command, "warn").action(async (name: string, options: StartOptions) => {
    const session = await openSession(options, "start");
    const workflow = findWorkflow(await sessionWorkflows(session), name);
    const id = await withClient(session, async (client) => {
      try {
        const handle = await client.start(workflow, options.input, {
          ...(options.id !== undefined ? { id: options.id } : {}),
          ...(options.tag !== undefined ? { tags: options.tag } : {}),
          ...options.at,
        });
        return handle.id;
      } catch (error) {
        if (error instanceof ValidationError) throw usageError(error.message);
        throw error;
      }
    });
    process.stdout.write(`${id}\n`);
  });
}
