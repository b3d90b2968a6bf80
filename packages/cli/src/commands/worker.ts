import type { Command } from "commander";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";
import { shutdownSignal } from "../shutdown.js";
import { addWorkerOptions, startWorkerHost, stopWorkerHost, type WorkerFlags } from "../worker-host.js";

/**
 * `durable worker [--concurrency N] [--queue Q] [--grace 30s] [--log-level L] [--log-payloads]`: runs a
 * worker for the config's workflows until SIGINT or SIGTERM, then drains gracefully (a second signal exits
 * at once with code 130).
 * @example
 * registerWorker(program); // durable worker --concurrency 50
 */
export function registerWorker(program: Command): void {
  const command = program.command("worker").description("run a worker for the config's workflows");
  addCommonOptions(addWorkerOptions(command), "info").action(async (options: CommonOptions & WorkerFlags) => {
    const session = await openSession(options, "worker");
    const signal = shutdownSignal(session.logger);
    const host = await startWorkerHost(session, options);
    await signal;
    await stopWorkerHost(host);
  });
}
