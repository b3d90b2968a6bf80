import { parseArgs } from "node:util";
import { createProject, nextSteps } from "./create-project.js";
import { CreateProjectError } from "./create-project-error.js";

const USAGE = `usage: npm create durable@latest <dir> [-- --from-tarballs <dir>]

Makes a new durable project in <dir> (missing or empty): a workflow, its tests, durable.config.ts and the
scripts dev, worker and test.

options:
  --from-tarballs <dir>  depend on the npm pack tarballs of every durable package in <dir>, not the registry
  -h, --help             show this help
`;

/**
 * `create-durable <dir> [--from-tarballs <dir>]`: the exit code (0 made, 1 refused, 2 used wrongly).
 * @example
 * process.exitCode = await run(process.argv.slice(2));
 */
async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined || extra.length > 0) {
    process.stderr.write(
      `error: name one directory for the project, e.g. npm create durable@latest my-app\n\n${USAGE}`,
    );
    return 2;
  }
  try {
    const project = await createProject({ dir, fromTarballs: parsed.values["from-tarballs"] });
    process.stdout.write(nextSteps(project, process.cwd()));
    return 0;
  } catch (error) {
    if (!(error instanceof CreateProjectError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { "from-tarballs": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
}

process.exitCode = await run(process.argv.slice(2));
