import type { Command } from "commander";
import { addDashboardOptions, type DashboardFlags, startDashboard } from "../dashboard-flags.js";
import { describeTarget } from "../database/database-target.js";
import { startDevRuns } from "../dev/dev-runs.js";
import { type DevContext, type DevService, devServices } from "../dev/dev-services.js";
import { reloadOnChange } from "../dev/reload-workflows.js";
import { watchProgress } from "../dev/watch-progress.js";
import { colorsFor } from "../output/format.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { shutdownSignal } from "../shutdown.js";
import { addWorkerOptions, startWorkerHost, stopWorkerHost, type WorkerFlags } from "../worker-host.js";

/** Prints runs' progress on stdout. */
const progress: DevService = {
  name: "progress",
  start: async (context) =>
    watchProgress({
      client: context.client,
      write: context.print,
      colors: colorsFor(process.stdout),
      payloads: context.options.logPayloads === true,
    }),
};

/**
 * Serves the web UI beside the worker, over the worker's own store; `port` serves it again where it was
 * (after a reload, with the new workflows).
 */
async function serveDevDashboard(
  context: DevContext,
  port?: number,
): Promise<{ stop(): Promise<void>; port?: number }> {
  const flags = context.options as DashboardFlags & { dashboard?: boolean };
  if (flags.dashboard === false) return { stop: async () => {} };
  const server = await startDashboard(
    context.store,
    context.workflows,
    port === undefined ? flags : { ...flags, port },
    context.logger,
    context.config.schedules ?? [],
  );
  if (port === undefined) {
    context.print(`dashboard on ${server.url}`);
    if (server.loginUrl) context.print(`log in once with ${server.loginUrl}`);
  }
  return { stop: () => server.close(), port: Number(new URL(server.url).port) };
}

type DevOptions = CommonOptions & WorkerFlags & { watch?: boolean };

/**
 * `durable dev`: the embedded database (unless a database URL is given) served to other terminals, a
 * worker for the config's workflows, the dashboard (`--port`, `--host`, `--token`, `--no-dashboard`), the
 * config's `dev.runs` started under stable ids (`dev:<workflow>`, so a restart carries on with the same
 * runs), every run's progress printed in time order, and the workflows reloaded when their files change
 * (`--no-watch` to keep them), until Ctrl-C. Other terminals reach the same data with `durable runs`,
 * `show`, `start`, `dashboard`...
 * @example
 * registerDev(program); // npx durable dev
 */
export function registerDev(program: Command, extra: readonly DevService[] = []): void {
  const command = program
    .command("dev")
    .description("embedded database + worker + dashboard + progress, reloading on change, for local work");
  addDashboardOptions(command)
    .option("--no-dashboard", "do not serve the web UI")
    .option("--no-watch", "do not reload the workflows when their files change");
  addCommonOptions(addWorkerOptions(command), "warn").action(async (options: DevOptions) => {
    const session = await openSession(options, "dev");
    const signal = shutdownSignal(session.logger);
    const host = await startWorkerHost(session, options);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    const c = colorsFor(process.stdout);
    const where =
      host.db.port === undefined ? "" : ` (served on 127.0.0.1:${host.db.port} for other terminals)`;
    print(`${c.bold("durable dev")}: ${describeTarget(session.target)}${where}`);
    print(`worker running ${host.workflows.map((w) => w.name).join(", ")}; Ctrl-C to stop`);
    const context: DevContext = {
      store: host.db.store,
      client: host.client,
      workflows: host.workflows,
      config: session.loaded.config,
      logger: session.logger,
      options: options as unknown as Record<string, unknown>,
      print,
    };
    const running: { stop(): Promise<void> }[] = [];
    try {
      let board = await serveDevDashboard(context);
      running.push({ stop: () => board.stop() });
      for (const service of [progress, ...devServices(extra)]) running.push(await service.start(context));
      const runs = session.loaded.config.dev?.runs ?? [];
      const started = await startDevRuns(host.client, host.workflows, runs, session.logger);
      if (started.existing > 0) {
        print(
          `dev.runs: ${started.created} started, ${started.existing} carried on from an earlier durable dev`,
        );
      }
      // The dashboard lists and starts the workflows it was given: after a reload it serves the new ones.
      const onReloaded = async () => {
        await board.stop();
        const reloaded = { ...context, client: host.client, workflows: host.workflows };
        board = await serveDevDashboard(reloaded, board.port);
      };
      if (options.watch !== false) {
        running.push(reloadOnChange({ session, flags: options, host, print, onReloaded }));
      }
      await signal;
    } finally {
      for (const service of running.reverse()) await service.stop().catch(() => {});
      await stopWorkerHost(host);
    }
  });
}
