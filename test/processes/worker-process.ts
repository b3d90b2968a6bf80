// One worker process of the process tests: `node --import tsx worker-process.ts '<WorkerProcessOptions JSON>'`.
// Reports on stdout (JSON lines, see reporting-store.ts), logs warnings on stderr, drains on SIGTERM.
import { postgresStore } from "@durable/postgres";
import { lineLogger } from "../support/line-logger.js";
import { processWorkflow } from "../support/process-workflow.js";
import { reportingStore } from "../support/reporting-store.js";
import { serveWorker } from "../support/serve-worker.js";
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
await serveWorker({
  options,
  store,
  recorder,
  workflows: [processWorkflow(recorder)],
  logger,
  defaultLeaseMs: 30_000,
});
