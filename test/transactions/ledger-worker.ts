// A worker process for the transaction crash test: `node --import tsx ledger-worker.ts <databaseUrl>`.
import { silentLogger, Worker } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import { ledgerWorkflows } from "./ledger-workflows.js";

const databaseUrl = process.argv[2] as string;
const store = postgresStore({ connectionString: databaseUrl, logger: silentLogger });
const { workflows } = ledgerWorkflows(databaseUrl);
const worker = new Worker({
  store,
  workflows,
  concurrency: 50,
  leaseMs: 2_000,
  heartbeatMs: 500,
  pollMs: 200,
  logger: silentLogger,
});
await worker.start();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void worker.stop({ graceMs: 1_000 }).then(() => process.exit(0));
});
