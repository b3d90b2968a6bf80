// One worker process of the chaos suite: `node --import tsx chaos-worker.ts '<WorkerProcessOptions JSON>'`.
// The same reports and shutdown as processes/worker-process.ts, with the chaos workflows.
import { Worker } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import { lineLogger } from "../support/line-logger.js";
import { report, reportingStore } from "../support/reporting-store.js";
import { ExecutionRecorder } from "../support/step-executions.js";
import type { WorkerProcessOptions } from "../support/worker-processes.js";
import { chaosWorkflows } from "./chaos-workflows.js";

const options = JSON.parse(process.argv[2] ?? "{}") as WorkerProcessOptions;
const logger = lineLogger("error", { pid: process.pid });
const recorder = new ExecutionRecorder(options.databaseUrl);
const store = reportingStore(
  postgresStore({
    connectionString: options.databaseUrl,
    migrate: false,
    poolSize: options.poolSize ?? 10,
    logger,
  }),
);
const { order, child, poison } = chaosWorkflows(recorder);
const worker = new Worker({
  store,
  workflows: [order, child, poison],
  concurrency: options.concurrency ?? 20,
  leaseMs: options.leaseMs ?? 5_000,
  ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  pollMs: options.pollMs ?? 500,
  determinismGuard: false,
  logger,
});

async function shutdown(): Promise<void> {
  await worker.stop({ graceMs: 5_000 });
  await store.close();
  await recorder.close();
  report({ event: "stopped", pid: process.pid });
}

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
