import {
  type AnyWorkflow,
  Client,
  formatDuration,
  parseDuration,
  Worker,
  type WorkerOptions,
} from "@durable/core";
import type { Command } from "commander";
import { Option } from "commander";
import { usageError } from "./cli-error.js";
import { describeTarget } from "./database/database-target.js";
import { type HeldDatabase, holdDatabase } from "./database/hold-database.js";
import { serveMetrics } from "./metrics/serve-metrics.js";
import { createWorkerMetrics } from "./metrics/worker-metrics.js";
import { parseCount, parseDurationArg } from "./parse-args.js";
import { type Session, sessionWorkflows } from "./session.js";

/** The worker flags of `durable worker` and `durable dev`. */
export interface WorkerFlags {
  concurrency?: number;
  queue?: string;
  grace?: number;
  logPayloads?: boolean;
  metricsPort?: number;
  metricsHost?: string;
}

/**
 * Adds `--concurrency`, `--queue`, `--grace` and `--log-payloads`.
 * @example
 * addWorkerOptions(program.command("worker"));
 */
export function addWorkerOptions(command: Command): Command {
  return command
    .option("--concurrency <n>", "runs executed at once (default 10, or the config's)", (t) => parseCount(t))
    .option("--queue <name>", "only workflows of this queue")
    .addOption(
      new Option(
        "--grace <duration>",
        "on Ctrl-C, how long running steps may finish (default 30s)",
      ).argParser(parseDurationArg),
    )
    .option("--log-payloads", "let inputs, outputs and results into the logs (redacted by default)")
    .option("--metrics-port <n>", "serve Prometheus metrics at http://127.0.0.1:<n>/metrics", (t) =>
      parseCount(t, 0, 65_535),
    )
    .option("--metrics-host <host>", "the address the metrics endpoint binds (default 127.0.0.1)");
}

/** A worker on a held database. */
export interface WorkerHost {
  worker: Worker;
  db: HeldDatabase;
  client: Client;
  workflows: AnyWorkflow[];
  graceMs: number;
  metrics?: { url: string; close(): Promise<void> };
}

// A workflow's runs go to its `queue`, by default one named after the workflow.
function queueOf(workflow: AnyWorkflow): string {
  return workflow.options.queue ?? workflow.name;
}

/**
 * Loads the workflows, holds the database (serving the embedded one to other terminals), migrates it
 * under its advisory lock, and starts a worker.
 * @example
 * const host = await startWorkerHost(session, flags);
 */
export async function startWorkerHost(session: Session, flags: WorkerFlags): Promise<WorkerHost> {
  const settings = session.loaded.config.worker ?? {};
  const queue = flags.queue ?? settings.queue;
  let workflows = await sessionWorkflows(session);
  if (queue !== undefined) {
    workflows = workflows.filter((w) => queueOf(w) === queue);
    if (workflows.length === 0) throw usageError(`no workflow of the config is on queue "${queue}"`);
  }
  const graceMs = flags.grace ?? parseDuration(settings.grace ?? "30s", "worker.grace");
  const db = await holdDatabase(session.target, { logger: session.logger, command: session.command });
  try {
    await db.store.migrate();
    const schedules = session.loaded.config.schedules ?? [];
    const metrics =
      flags.metricsPort === undefined
        ? undefined
        : createWorkerMetrics(
            db.store,
            workflows.map((w) => w.name),
          );
    const options: WorkerOptions = {
      store: db.store,
      workflows,
      logger: session.logger,
      concurrency: flags.concurrency ?? settings.concurrency ?? 10,
      // The embedded database has no LISTEN across its socket: poll it more often.
      pollMs: settings.pollMs ?? (db.port === undefined ? 1_000 : 250),
      ...(settings.leaseMs !== undefined ? { leaseMs: settings.leaseMs } : {}),
      ...(schedules.length > 0 ? { schedules } : {}),
      ...(metrics ? { observer: metrics.observer } : {}),
    };
    const worker = new Worker(options);
    await worker.start();
    const served =
      metrics && flags.metricsPort !== undefined
        ? await serveMetrics(metrics.registry, {
            port: flags.metricsPort,
            ...(flags.metricsHost ? { host: flags.metricsHost } : {}),
          })
        : undefined;
    session.logger.info(
      {
        database: describeTarget(session.target),
        ...(db.port !== undefined ? { servedOn: `127.0.0.1:${db.port}` } : {}),
        grace: formatDuration(graceMs),
        ...(served ? { metrics: served.url } : {}),
      },
      "worker ready",
    );
    const host: WorkerHost = {
      worker,
      db,
      client: new Client({ store: db.store, workflows }),
      workflows,
      graceMs,
    };
    if (served) host.metrics = served;
    return host;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * Stops claiming, lets running steps finish within the grace, releases every lease, closes the database.
 * @example
 * await stopWorkerHost(host);
 */
export async function stopWorkerHost(host: WorkerHost): Promise<void> {
  try {
    await host.worker.stop({ graceMs: host.graceMs });
  } finally {
    await host.metrics?.close();
    await host.db.close();
  }
}
