import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { createJiti } from "jiti";
import { CliError, usageError } from "../cli-error.js";
import { configSchema } from "./config-schema.js";
import type { DurableConfig } from "./define-config.js";

/** The names `durable` looks for in the current directory, in order. */
export const CONFIG_NAMES = [
  "durable.config.ts",
  "durable.config.mts",
  "durable.config.js",
  "durable.config.mjs",
];

/** A loaded and checked configuration. */
export interface LoadedConfig {
  /** The config file. */
  file: string;
  /** The directory the config's relative paths start from (the config file's). */
  root: string;
  config: DurableConfig;
}

// One loader for the config and the workflow modules: TypeScript without a build step. Packages in
// node_modules load natively, so `@durable/core` is the same module instance the CLI uses.
const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: true });

/**
 * Imports a TypeScript or JavaScript module as the CLI loads user code.
 * @example
 * const mod = await importModule("/app/src/workflows.ts");
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  return (await jiti.import(file)) as Record<string, unknown>;
}

// jiti keeps the user files it has evaluated in the CommonJS module cache, keyed by their path.
const moduleCache = createRequire(import.meta.url).cache;

function isUserFile(path: string): boolean {
  return isAbsolute(path) && !path.split(sep).includes("node_modules");
}

/**
 * The project's own files that user code loaded so far (the config, the workflow modules and what they
 * import), outside `node_modules`: what `durable dev` watches.
 * @example
 * loadedUserFiles(); // ["/app/durable.config.ts", "/app/src/workflows.ts", "/app/src/mail.ts"]
 */
export function loadedUserFiles(): string[] {
  return Object.keys(moduleCache).filter(isUserFile);
}

/**
 * Drops the project's own files from the module cache, so the next import evaluates them again (packages
 * in `node_modules`, `@durable/core` among them, stay loaded once).
 * @example
 * forgetUserModules(); const fresh = await importModule("/app/src/workflows.ts");
 */
export function forgetUserModules(): void {
  for (const path of loadedUserFiles()) delete moduleCache[path];
}

/**
 * Finds the config file: `--config path`, else `durable.config.ts` (or .mts/.js/.mjs) in `cwd`.
 * @example
 * findConfigFile({ cwd: process.cwd() }); // "/app/durable.config.ts" or undefined
 */
export function findConfigFile(options: { config?: string | undefined; cwd: string }): string | undefined {
  if (options.config !== undefined) {
    const file = resolve(options.cwd, options.config);
    if (!existsSync(file)) throw usageError(`--config ${options.config}: no such file`);
    return file;
  }
  return CONFIG_NAMES.map((name) => resolve(options.cwd, name)).find((file) => existsSync(file));
}

/**
 * Loads and checks the config: imports it (TypeScript, no build step), validates it with zod (an error names
 * the field and the file).
 * @example
 * const { config, root } = await loadConfig({ cwd: process.cwd() });
 */
export async function loadConfig(options: {
  config?: string | undefined;
  cwd: string;
}): Promise<LoadedConfig> {
  const file = findConfigFile(options);
  if (file === undefined) {
    throw usageError(
      `no durable.config.ts in ${options.cwd}; create one (export default defineConfig({ workflows: ["./src/workflows.ts"] })) or pass --config`,
    );
  }
  const shown = relative(options.cwd, file) || file;
  let loaded: unknown;
  try {
    const mod = await importModule(file);
    loaded = "default" in mod ? mod.default : mod;
  } catch (error) {
    throw new CliError(`could not load ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = configSchema.safeParse(loaded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join(".") : "default export";
    throw new CliError(`${shown}: ${field}: ${issue?.message ?? "invalid"}`);
  }
  return { file, root: dirname(file), config: parsed.data as DurableConfig };
}
