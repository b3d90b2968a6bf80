import { Client, ValidationError } from "@durable/core";
import { Argument, type Command } from "commander";
import { CliError, usageError } from "../cli-error.js";
import { printJson, printLine } from "../output/print.js";
import { parseJson } from "../parse-args.js";
import { addCommonOptions, type CommonOptions, openSession, sessionWorkflows } from "../session.js";
import { withClient } from "../with-client.js";

/**
 * `durable send-event <runId> <name> [JSON] [--json]`: sends an event to a run, checked against its workflow's
 * `events` schema. Bad JSON or a payload the schema refuses exit 2 with nothing written; an unknown or
 * finished run exits 1.
 * @example
 * registerSendEvent(program); // durable send-event order:42 approved '{"by":"ann"}'
 */
export function registerSendEvent(program: Command): void {
  const command = program
    .command("send-event")
    .description("send an event to a run")
    .argument("<runId>", "the run's id")
    .argument("<name>", "the event's name")
    .addArgument(new Argument("[json]", "the payload, as JSON").argParser(parseJson))
    .option("--json", "print { runId, name, sent } as JSON");
  addCommonOptions(command, "warn").action(
    async (runId: string, name: string, payload: unknown, options: CommonOptions & { json?: boolean }) => {
      const session = await openSession(options, "send-event");
      const workflows = await sessionWorkflows(session);
      await withClient(session, async (_client, store) => {
        const client = new Client({ store, workflows });
        try {
          await client.sendEvent(runId, name, payload);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          // A finished run is a state of the data, not a misuse of the command.
          if (error.issues[0]?.path === "runId") throw new CliError(error.message);
          throw usageError(error.message);
        }
      });
      if (options.json) printJson({ runId, name, sent: true });
      else printLine(`sent ${name} to ${runId}`);
    },
  );
}
