import { type AnyWorkflow, type Logger, type Store, Worker } from "@durable/core";
import { report } from "./reporting-store.js";
import type { ExecutionRecorder } from "./step-executions.js";
import type { WorkerProcessOptions } from "./worker-processes.js";

/** What a worker script hands over: its store, workflows and logger, and the lease it defaults to. */
export interface ServedWorker {
  options: WorkerProcessOptions;
  store: Store;
  recorder: ExecutionRecorder;
  workflows: readonly AnyWorkflow[];
  logger: Logger;
  defaultLeaseMs: number;
}

/**
 * The body every worker script of the process and chaos tests shares: builds the worker, drains it on
 * SIGTERM (reporting `stopped`, exit 0), starts it and reports `ready`.
 * @example
 * await serveWorker({ options, store, recorder, workflows: [processWorkflow(recorder)], logger, defaultLeaseMs: 30_000 });
 */
export async function serveWorker(served: ServedWorker): Promise<void> {
  const { options, store, recorder, logger } = served;
  const worker = new Worker({
    store,
    workflows: served.workflows,
    concurrency: options.concurrency ?? 20,
    leaseMs: options.leaseMs ?? served.defaultLeaseMs,
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    pollMs: options.pollMs ?? 500,
    determinismGuard: false,
    logger,
  });
  const shutdown = async () => {
    await worker.stop({ graceMs: 5_000 });
    await store.close();
    await recorder.close();
    report({ event: "stopped", pid: process.pid });
  };
  process.once("SIGTERM", () => {
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "stopping the worker failed");
        process.exit(1);
      },
    );
  });
  await worker.start();
  report({ event: "ready", pid: process.pid, workerId: worker.id });
}
