// A worker process with a schedule that ticks every second: `node --import tsx scheduled-worker.ts <databaseUrl>`.
import { schedule, silentLogger, Worker, workflow } from "@durable/core";
import { postgresStore } from "@durable/postgres";

const databaseUrl = process.argv[2] as string;
const tick = workflow({ name: "tick" }, async (ctx) => ctx.call("note", () => process.pid));
const everySecond = schedule({ name: "every-second", cron: "* * * * * *", workflow: tick, input: undefined });
const worker = new Worker({
  store: postgresStore({ connectionString: databaseUrl, logger: silentLogger }),
  workflows: [tick],
  schedules: [everySecond],
  logger: silentLogger,
});
await worker.start();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void worker.stop({ graceMs: 1_000 }).then(() => process.exit(0));
});
