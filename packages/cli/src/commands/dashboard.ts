import type { Command } from "commander";
import { addDashboardOptions, type DashboardFlags, startDashboard } from "../dashboard-flags.js";
import { withDatabaseErrors } from "../database/database-error.js";
import { describeTarget } from "../database/database-target.js";
import { holdOrAttachDatabase } from "../database/hold-database.js";
import { printLine } from "../output/print.js";
import { addCommonOptions, type CommonOptions, openSession, sessionWorkflows } from "../session.js";
import { shutdownSignal } from "../shutdown.js";

/**
 * `durable dashboard [--port] [--host] [--token]`: the web UI over the config's database until Ctrl-C.
 * On the embedded database it reaches the worker or `durable dev` that serves it; with none running, it
 * holds the directory itself and serves it to other terminals' commands, as a worker does.
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
      const db = await withDatabaseErrors(session.target, async () => {
        const db = await holdOrAttachDatabase(session.target, {
          logger: session.logger,
          command: session.command,
        });
        try {
          await db.store.migrate();
          return db;
        } catch (error) {
          await db.close();
          throw error;
        }
      });
      try {
        const schedules = session.loaded.config.schedules ?? [];
        const dashboard = await startDashboard(db.store, workflows, options, session.logger, schedules);
        printLine(`dashboard on ${dashboard.url}`);
        if (dashboard.loginUrl) printLine(`log in once with ${dashboard.loginUrl}`);
        const through = db.servedBy
          ? { servedBy: `durable ${db.servedBy.command} (pid ${db.servedBy.pid})` }
          : {};
        session.logger.info(
          { database: describeTarget(session.target), url: dashboard.url, ...through },
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
