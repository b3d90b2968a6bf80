/**
 * A failure the command line reports as one line on stderr. `exitCode` 2 means the command was used wrongly
 * (bad arguments, an unknown workflow, bad JSON) and nothing was written; 1 means it failed.
 * @example
 * throw new CliError(`unknown workflow "nope"; known: hello`, 2);
 */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/**
 * A usage error: exit code 2, nothing written.
 * @example
 * throw usageError("--limit must be a whole number from 1 to 1000");
 */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

/**
 * The error for an unknown run id: exit 1, one line.
 * @example
 * if (!run) throw runNotFound(runId);
 */
export function runNotFound(runId: string): CliError {
  return new CliError(`no run with id ${runId}`);
}
