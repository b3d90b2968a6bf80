import type { Command } from "commander";
import { CreateProjectError, createProject, nextSteps } from "create-durable";
import { CliError } from "../cli-error.js";

/**
 * `durable init [dir] [--from-tarballs dir]`: makes a new project in `dir` (default: here), the same one
 * `npm create durable@latest` makes. Refuses a directory with files in it.
 * @example
 * registerInit(program); // durable init my-app
 */
export function registerInit(program: Command): void {
  program
    .command("init")
    .description("make a new project: a workflow, its tests, durable.config.ts, scripts dev, worker and test")
    .argument("[dir]", "the directory to make it in (missing or empty)", ".")
    .option(
      "--from-tarballs <dir>",
      "depend on npm pack tarballs of the durable packages in <dir>, not the registry",
    )
    .action(async (dir: string, options: { fromTarballs?: string }) => {
      try {
        const project = await createProject({ dir, fromTarballs: options.fromTarballs });
        process.stdout.write(nextSteps(project, process.cwd()));
      } catch (error) {
        if (error instanceof CreateProjectError) throw new CliError(error.message);
        throw error;
      }
    });
}
