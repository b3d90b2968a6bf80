// A worker process for the flow-control test: `node --import tsx limited-worker.ts <databaseUrl>`.
import { silentLogger, Worker } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import { limitedWorkflows } from "./limited-workflows.js";

const databaseUrl = process.argv[2] as string;
const store = postgresStore({ connectionString: databaseUrl, logger: silentLogger });
const worker = new Worker({
  store,
  workflows: limitedWorkflows(databaseUrl).workflows,
  concurrency: 20,
  pollMs: 200,
  logger: silentLogger,
});
await worker.start();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void worker.stop({ graceMs: 2_000 }).then(() => process.exit(0));
});
