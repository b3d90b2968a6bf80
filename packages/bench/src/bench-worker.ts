import { type Logger, type Store, Worker } from "@durable/core";
import { BENCH_WORKFLOWS } from "./workflows.js";

/**
 * How the measured worker is configured: the same for every workload, printed with the results.
 * BENCH_CONCURRENCY and BENCH_POLL_MS change it for experiments (the targets assume the defaults).
 */
export const WORKER_SETTINGS = {
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 100),
  pollMs: Number(process.env.BENCH_POLL_MS ?? 1_000),
};

/**
 * The one worker of a measured run, in this process, on the counting store.
 * @example
 * const worker = benchWorker(db.store, db.logger); await worker.start(); ...; await worker.stop();
 */
export function benchWorker(store: Store, logger: Logger): Worker {
  return new Worker({
    store,
    workflows: BENCH_WORKFLOWS,
    ...WORKER_SETTINGS,
    determinismGuard: false,
    logger,
  });
}
