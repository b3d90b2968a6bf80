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
import { withDatabaseErrors } from "./database/database-error.js";
import { describeTarget } from "./database/database-target.js";
import { type HeldDatabase, holdDatabase } from "./database/hold-database.js";
import { serveMetrics } from "./metrics/serve-metrics.js";
import { createWorkerMetrics, type WorkerMetrics } from "./metrics/worker-metrics.js";
import { withOutcomeLogging } from "./outcome-logging.js";
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
 * The config's workflows for a worker (on `--queue`, those of that queue), warning about modules that export
 * none and about a worker left with none. `fresh` imports them again (`durable dev` reloading).
 * @example
 * const workflows = await workerWorkflows(session, flags);
 */
export async function workerWorkflows(
  session: Session,
  flags: WorkerFlags,
  options: { fresh?: boolean } = {},
): Promise<AnyWorkflow[]> {
  const queue = flags.queue ?? session.loaded.config.worker?.queue;
  let workflows = await sessionWorkflows(session, {
    fresh: options.fresh === true,
    onEmptyModule: (module) =>
      session.logger.warn(
        { module },
        `${module} exports no workflow; export the workflow(...) values the worker should run`,
      ),
  });
  if (queue !== undefined) {
    workflows = workflows.filter((w) => queueOf(w) === queue);
    if (workflows.length === 0) throw usageError(`no workflow of the config is on queue "${queue}"`);
  }
  if (workflows.length === 0) {
    session.logger.warn(
      { config: session.loaded.file },
      "the config's workflow modules export no workflows: this worker will claim no runs",
    );
  }
  return workflows;
}

/**
 * Starts a worker for these workflows on a held database (failed runs and steps failed for good are
 * logged with their error).
 * @example
 * const worker = await startWorker(session, db, workflows, flags);
 */
export async function startWorker(
  session: Session,
  db: HeldDatabase,
  workflows: AnyWorkflow[],
  flags: WorkerFlags,
  metrics?: WorkerMetrics,
): Promise<Worker> {
  const settings = session.loaded.config.worker ?? {};
  const schedules = session.loaded.config.schedules ?? [];
  const options: WorkerOptions = {
    store: withOutcomeLogging(db.store, session.logger),
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
  return worker;
}

/**
 * Loads the workflows, holds the database (serving the embedded one to other terminals), migrates it
 * under its advisory lock, and starts a worker. A connection failure names the database and where its
 * URL came from.
 * @example
 * const host = await startWorkerHost(session, flags);
 */
export async function startWorkerHost(session: Session, flags: WorkerFlags): Promise<WorkerHost> {
  const workflows = await workerWorkflows(session, flags);
  const graceMs = flags.grace ?? parseDuration(session.loaded.config.worker?.grace ?? "30s", "worker.grace");
  return withDatabaseErrors(session.target, async () => {
    const db = await holdDatabase(session.target, { logger: session.logger, command: session.command });
    try {
      await db.store.migrate();
      const metrics =
        flags.metricsPort === undefined
          ? undefined
          : createWorkerMetrics(
              db.store,
              workflows.map((w) => w.name),
            );
      const worker = await startWorker(session, db, workflows, flags, metrics);
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
          workflows: workflows.map((w) => w.name),
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
  });
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
