import { CliError } from "./cli-error.js";

/** `@durable/testing`'s module: what `durable replay` checks journals with. */
export type TestingModule = typeof import("@durable/testing");

/**
 * Imports `@durable/testing`, an optional peer of the CLI: only `durable replay` needs it, and a worker in
 * production should not install fast-check and the test tools. Missing, it says how to add it.
 * @example
 * const { checkJournal } = await loadTesting("replay");
 */
export async function loadTesting(command: string): Promise<TestingModule> {
  try {
    return await import("@durable/testing");
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" &&
      String((error as Error).message).includes("'@durable/testing'");
    if (!missing) throw error;
    throw new CliError(
      `durable ${command} needs @durable/testing, which is not installed next to @durable/cli; add it (npm install --save-dev @durable/testing) and run durable ${command} again`,
    );
  }
}
