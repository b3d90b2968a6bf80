// One worker process of the chaos suite: `node --import tsx chaos-worker.ts '<WorkerProcessOptions JSON>'`.
// The same reports and shutdown as processes/worker-process.ts, with the chaos workflows.
import { postgresStore } from "@durable/postgres";
import { lineLogger } from "../support/line-logger.js";
import { reportingStore } from "../support/reporting-store.js";
import { serveWorker } from "../support/serve-worker.js";
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
await serveWorker({
  options,
  store,
  recorder,
  workflows: [order, child, poison],
  logger,
  defaultLeaseMs: 5_000,
});
