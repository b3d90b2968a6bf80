import { existsSync, readdirSync, statSync } from "node:fs";
import { cp, mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateProjectError } from "./create-project-error.js";
import { DURABLE_VERSION, PUBLIC_PACKAGES, projectPackageJson } from "./project-package-json.js";

const TEMPLATE = fileURLToPath(new URL("../template/", import.meta.url));

// A directory holding only these is as good as empty (`git init` first, then create).
const IGNORED_ENTRIES = new Set([".git"]);

/** Options of `createProject`. */
export interface CreateProjectOptions {
  /** The directory to create the project in: missing or empty. */
  dir: string;
  /**
   * A directory of `npm pack` tarballs of every durable package, to depend on them instead of the registry
   * (for trying a build that is not published).
   */
  fromTarballs?: string | undefined;
}

/** What `createProject` made. */
export interface CreatedProject {
  /** The project's directory, absolute. */
  dir: string;
  /** Its package.json name. */
  name: string;
  /** The files written, relative to `dir`, sorted. */
  files: string[];
}

/**
 * Makes a new durable project: package.json (scripts `dev`, `worker`, `test`), durable.config.ts, one
 * workflow in src/workflows.ts with its tests (virtual clock and crash-and-replay) and a .gitignore. Refuses
 * a directory that has files in it, writing nothing.
 * @example
 * const project = await createProject({ dir: "my-app" });
 * console.log(nextSteps(project, process.cwd()));
 */
export async function createProject(options: CreateProjectOptions): Promise<CreatedProject> {
  const dir = resolve(options.dir);
  refuseNonEmpty(dir, options.dir);
  const specs = options.fromTarballs === undefined ? new Map() : tarballSpecs(resolve(options.fromTarballs));
  const name = packageName(dir);
  await mkdir(dir, { recursive: true });
  await cp(TEMPLATE, dir, { recursive: true });
  await rename(join(dir, "_gitignore"), join(dir, ".gitignore"));
  await writeFile(join(dir, "package.json"), `${JSON.stringify(projectPackageJson(name, specs), null, 2)}\n`);
  return { dir, name, files: await listFiles(dir) };
}

/**
 * What to type next, for the command line to print after `createProject`.
 * @example
 * nextSteps(project, process.cwd()); // "Created my-app ...\n  cd my-app\n  npm install\n ..."
 */
export function nextSteps(project: CreatedProject, cwd: string): string {
  const shown = relative(cwd, project.dir);
  const cd = shown === "" ? [] : [`  cd ${shown.includes(" ") ? JSON.stringify(shown) : shown}`];
  return [
    `Created ${project.name} in ${project.dir}: a workflow in src/workflows.ts, its tests, durable.config.ts.`,
    "",
    "Next:",
    ...cd,
    "  npm install",
    "  npm test        # the workflow's tests, on a virtual clock",
    "  npm run dev     # embedded database, worker and dashboard (http://127.0.0.1:4800/)",
    "",
  ].join("\n");
}

function refuseNonEmpty(dir: string, shown: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    throw new CreateProjectError(
      "not_a_directory",
      `${shown} is a file; name a new directory for the project`,
    );
  }
  const entries = readdirSync(dir).filter((entry) => !IGNORED_ENTRIES.has(entry));
  if (entries.length === 0) return;
  const listed = entries.slice(0, 3).join(", ") + (entries.length > 3 ? ", …" : "");
  throw new CreateProjectError(
    "directory_not_empty",
    `${shown} is not empty (it has ${listed}); name a new directory, or empty this one, and run it again — nothing was written`,
  );
}

function tarballSpecs(dir: string): Map<string, string> {
  const specs = new Map<string, string>();
  for (const pkg of PUBLIC_PACKAGES) {
    // `npm pack` names a tarball after the package: @durable/core@0.1.0 is durable-core-0.1.0.tgz.
    const file = join(dir, `${pkg.replace(/^@/, "").replace("/", "-")}-${DURABLE_VERSION}.tgz`);
    if (!existsSync(file)) {
      throw new CreateProjectError(
        "missing_tarball",
        `--from-tarballs ${dir}: no ${basename(file)}; run npm pack for every durable package into it (nothing was written)`,
      );
    }
    specs.set(pkg, `file:${file}`);
  }
  return specs;
}

// npm names are lowercase, URL-safe and at most 214 characters.
function packageName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+/, "")
    .slice(0, 214);
  return name === "" ? "durable-app" : name;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (prefix === "" && IGNORED_ENTRIES.has(entry.name)) continue;
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, path)));
    else files.push(path);
  }
  return files.sort();
}
