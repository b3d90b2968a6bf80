// One worker process of the process tests: `node --import tsx worker-process.ts '<WorkerProcessOptions JSON>'`.
// Reports on stdout (JSON lines, see reporting-store.ts), logs warnings on stderr, drains on SIGTERM.
import { Worker } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import { lineLogger } from "../support/line-logger.js";
import { processWorkflow } from "../support/process-workflow.js";
import { report, reportingStore } from "../support/reporting-store.js";
import { ExecutionRecorder } from "../support/step-executions.js";
import type { WorkerProcessOptions } from "../support/worker-processes.js";

const options = JSON.parse(process.argv[2] ?? "{}") as WorkerProcessOptions;
const logger = lineLogger("warn", { pid: process.pid });
const recorder = new ExecutionRecorder(options.databaseUrl);
const store = reportingStore(
  postgresStore({
    connectionString: options.databaseUrl,
    migrate: options.migrate ?? false,
    poolSize: options.poolSize ?? 10,
    logger,
  }),
  options.renewDelayMs !== undefined ? { renewDelayMs: options.renewDelayMs } : {},
);
const worker = new Worker({
  store,
  workflows: [processWorkflow(recorder)],
  concurrency: options.concurrency ?? 20,
  leaseMs: options.leaseMs ?? 30_000,
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
