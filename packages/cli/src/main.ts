import { DurableError, RunNotFoundError } from "@durable/core";
import { CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { createProgram } from "./program.js";

const HELP_CODES = new Set(["commander.helpDisplayed", "commander.version"]);

/** The exit codes, the same for every command. */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Runs the command line and returns its exit code: 0 ok (and for `help`, `--help`, `--version`), 1 failure
 * (an unknown run, a database error, a run that `--wait`/`--follow` saw fail, a cancel that changed
 * nothing), 2 usage (the command was used wrongly and nothing was written). Errors are reported as one
 * line on stderr.
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its own message (or the help) already. Help asked for (`durable help`,
    // `--help`) exits 0; help shown because no command was given is a usage error.
    const asked = HELP_CODES.has(error.code) || (error.code === "commander.help" && error.exitCode === 0);
    return asked ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof RunNotFoundError) {
    process.stderr.write(`error: no run with id ${error.runId}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (!(error instanceof DurableError) && process.env.DURABLE_DEBUG && error instanceof Error) {
    process.stderr.write(`${error.stack}\n`);
  }
  return 1;
}
