import type { AnyWorkflow, Logger } from "@durable/core";
import { type Command, Option } from "commander";
import { usageError } from "./cli-error.js";
import { type LoadedConfig, loadConfig } from "./config/load-config.js";
import { type LoadWorkflowsOptions, loadWorkflows } from "./config/load-workflows.js";
import { createLogger, LOG_LEVELS } from "./create-logger.js";
import { type DatabaseTarget, databaseTarget } from "./database/database-target.js";

/** Options every command takes. */
export interface CommonOptions {
  config?: string;
  databaseUrl?: string;
  logLevel: string;
  logPayloads?: boolean;
}

/**
 * Adds `--config`, `--database-url` and `--log-level` to a command.
 * @example
 * addCommonOptions(program.command("runs"), "warn");
 */
export function addCommonOptions(command: Command, defaultLevel: "info" | "warn"): Command {
  return command
    .option("--config <path>", "the config file (default: durable.config.ts in the current directory)")
    .option("--database-url <url>", "Postgres connection string; overrides DATABASE_URL and the config")
    .addOption(
      new Option("--log-level <level>", "log level")
        .choices(LOG_LEVELS)
        .default(defaultLevel)
        .env("DURABLE_LOG_LEVEL"),
    );
}

/** What a command works with: the config, the database it names, a logger. */
export interface Session {
  loaded: LoadedConfig;
  target: DatabaseTarget;
  logger: Logger;
  /** The command's name, for messages and `server.json`. */
  command: string;
}

/**
 * Loads the config and picks the database for a command.
 * @example
 * const session = await openSession(options, "runs");
 */
export async function openSession(options: CommonOptions, command: string): Promise<Session> {
  const loaded = await loadConfig({ config: options.config, cwd: process.cwd() });
  const target = databaseTarget({
    root: loaded.root,
    flag: options.databaseUrl,
    config: loaded.config,
    configFile: loaded.file,
  });
  const logger = createLogger({
    level: options.logLevel,
    pretty: process.stderr.isTTY === true,
    payloads: options.logPayloads === true,
  });
  return { loaded, target, logger, command };
}

/**
 * The workflow of that name among the config's workflows; an unknown name is a usage error that lists
 * the known ones.
 * @example
 * const hello = findWorkflow(workflows, "hello");
 */
export function findWorkflow(workflows: readonly AnyWorkflow[], name: string): AnyWorkflow {
  const found = workflows.find((w) => w.name === name);
  if (!found) {
    const known = workflows.map((w) => w.name).join(", ") || "none";
    throw usageError(`unknown workflow "${name}"; the config registers: ${known}`);
  }
  return found;
}

/**
 * The config's workflows.
 * @example
 * const workflows = await sessionWorkflows(session);
 */
export function sessionWorkflows(
  session: Session,
  options: LoadWorkflowsOptions = {},
): Promise<AnyWorkflow[]> {
  return loadWorkflows(session.loaded, options);
}
