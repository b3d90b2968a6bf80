import type { Command } from "commander";
import { addDashboardOptions, type DashboardFlags, startDashboard } from "../dashboard-flags.js";
import { describeTarget } from "../database/database-target.js";
import { holdDatabase } from "../database/hold-database.js";
import { addCommonOptions, type CommonOptions, openSession, sessionWorkflows } from "../session.js";
import { shutdownSignal } from "../shutdown.js";

/**
 * `durable dashboard [--port] [--host] [--token]`: the web UI over the config's database until Ctrl-C.
 * Like a worker, it holds the embedded database and serves it to other terminals' commands.
 * @example
 * registerDashboard(program); // durable dashboard --port 4800
 */
export function registerDashboard(program: Command): void {
  const command = program
    .command("dashboard")
    .description("serve the web UI (binds 127.0.0.1 unless told otherwise)");
  addCommonOptions(addDashboardOptions(command), "info").action(
    async (options: CommonOptions & DashboardFlags) => {
      const session = await openSession(options, "dashboard");
      const signal = shutdownSignal(session.logger);
      const workflows = await sessionWorkflows(session);
      const db = await holdDatabase(session.target, { logger: session.logger, command: session.command });
      try {
        await db.store.migrate();
        const schedules = session.loaded.config.schedules ?? [];
        const dashboard = await startDashboard(db.store, workflows, options, session.logger, schedules);
        process.stdout.write(`dashboard on ${dashboard.url}\n`);
        if (dashboard.loginUrl) process.stdout.write(`log in once with ${dashboard.loginUrl}\n`);
        session.logger.info(
          { database: describeTarget(session.target), url: dashboard.url },
          "dashboard ready",
        );
        await signal;
        await dashboard.close();
      } finally {
        await db.close();
      }
    },
  );
}
