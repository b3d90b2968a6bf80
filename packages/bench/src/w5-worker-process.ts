// One W5 worker process: `node --import tsx src/w5-worker-process.ts <database url>`, driven over IPC by
// the benchmark: it answers "ready" once its worker runs; "report" sends its statements and CPU since then
// (its connections stay open, so their backends' CPU is still counted); "stop" ends it.
import { postgresStore } from "@durable/postgres";
import { WORKER_POOL_SIZE } from "./bench-database.js";
import { benchWorker } from "./bench-worker.js";
import { countingLogger } from "./counting-logger.js";
import { CountingPool } from "./statement-counter.js";

/** What a W5 worker process reports when stopped. */
export interface WorkerProcessReport {
  statements: number;
  cpuSeconds: number;
}

const url = process.argv[2];
if (!url || !process.send) throw new Error("w5-worker-process: run it through fork() with a database url");
const warnings = new Map<string, number>();
const logger = countingLogger(warnings);
const pool = new CountingPool({ connectionString: url, max: WORKER_POOL_SIZE + 1, keepAlive: true });
const store = postgresStore({ pool, logger, migrate: false });
const worker = benchWorker(store, logger);
await worker.start();
const cpu0 = process.cpuUsage();
pool.reset();
process.send("ready");
process.on("message", async (message) => {
  if (message === "report") {
    const cpu = process.cpuUsage(cpu0);
    const report: WorkerProcessReport = {
      statements: pool.tally.total,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
    process.send?.(report);
  } else if (message === "stop") {
    await worker.stop();
    await store.close();
    await pool.end();
    process.exit(0);
  }
});
