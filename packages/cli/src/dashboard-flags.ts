import type { AnySchedule, AnyWorkflow } from "@durable/core";
import { Client, type Logger, type Store, ValidationError } from "@durable/core";
import { type DashboardServer, DEFAULT_DASHBOARD_PORT, serveDashboard } from "@durable/dashboard";
import type { Command } from "commander";
import { CliError } from "./cli-error.js";
import { parseCount } from "./parse-args.js";

/** The dashboard flags of `durable dashboard` and `durable dev`. */
export interface DashboardFlags {
  port?: number;
  host?: string;
  token?: string;
}

/**
 * Adds `--port`, `--host` and `--token` (the token may also come from `DURABLE_DASHBOARD_TOKEN`).
 * @example
 * addDashboardOptions(program.command("dashboard"));
 */
export function addDashboardOptions(command: Command): Command {
  return command
    .option("--port <n>", `the dashboard's port (default ${DEFAULT_DASHBOARD_PORT})`, (t) =>
      parseCount(t, 0, 65_535),
    )
    .option("--host <address>", "the address it binds (default 127.0.0.1; any other needs --token)")
    .option("--token <secret>", "require this token on every request (default $DURABLE_DASHBOARD_TOKEN)");
}

/**
 * Serves the dashboard over the given store. Without `--port`, a busy default port falls back to a free
 * one (the address is printed), so `durable dev` starts even when another dev holds 4800. The dashboard
 * shows the workflows' schemas (and starts runs from them) and the config's schedules.
 * @example
 * const dashboard = await startDashboard(store, workflows, flags, logger, config.schedules);
 */
export async function startDashboard(
  store: Store,
  workflows: readonly AnyWorkflow[],
  flags: DashboardFlags,
  logger: Logger,
  schedules: readonly AnySchedule[] = [],
): Promise<DashboardServer> {
  const token = flags.token ?? process.env.DURABLE_DASHBOARD_TOKEN;
  const options = {
    client: new Client({ store, workflows }),
    store,
    workflows,
    schedules,
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(token !== undefined && token !== "" ? { token } : {}),
  };
  try {
    return await serveDashboard({ ...options, port: flags.port ?? DEFAULT_DASHBOARD_PORT });
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(error.message);
    if (flags.port === undefined && /is in use/.test(String((error as Error).message))) {
      logger.warn(
        { port: DEFAULT_DASHBOARD_PORT },
        `port ${DEFAULT_DASHBOARD_PORT} is in use; the dashboard takes a free port`,
      );
      return serveDashboard({ ...options, port: 0 });
    }
    throw new CliError((error as Error).message);
  }
}
