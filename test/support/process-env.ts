import { Client, type Store, silentLogger } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import pg from "pg";
import { createProcessDatabase, type ProcessDatabase } from "./databases.js";
import { type ProcessRunInput, processWorkflow } from "./process-workflow.js";
import { STEP_EXECUTIONS_DDL } from "./step-executions.js";
import { waitFor } from "./wait-for.js";

/** A test file's database with the durable schema and the side table, a client, and an admin connection. */
export interface ProcessEnv {
  readonly database: ProcessDatabase;
  /** One connection of the test itself (kept out of `pg_terminate_backend`). */
  readonly admin: pg.Client;
  /** Starts `count` runs of the process workflow at once; resolves to their ids. */
  startRuns(
    count: number,
    input: ProcessRunInput | ((index: number) => ProcessRunInput),
    prefix?: string,
  ): Promise<string[]>;
  /** Runs by status. */
  statusCounts(): Promise<Record<string, number>>;
  /** Waits until `count` runs are completed; fails early when one fails or is blocked. */
  waitForCompleted(count: number, timeoutMs: number): Promise<void>;
  /** The database's clock. */
  now(): Promise<Date>;
  /** Opens a new admin connection (after a server restart ended the old one). */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates the database, migrates it once (before any worker starts, unless `migrated: false` leaves that to
 * the workers and the client) and adds `step_executions`.
 * @example
 * const env = await createProcessEnv();
 * afterAll(() => env.close());
 */
export async function createProcessEnv(
  serverUrl?: string,
  options: { migrated?: boolean } = {},
): Promise<ProcessEnv> {
  const database = await createProcessDatabase(serverUrl);
  const store: Store = postgresStore({
    connectionString: database.url,
    listen: false,
    poolSize: 4,
    logger: silentLogger,
  });
  if (options.migrated ?? true) await store.migrate();
  const connectAdmin = async () => {
    const client = new pg.Client({ connectionString: database.url });
    // A restart ends this connection too; its statements fail, the event must not end the test run.
    client.on("error", () => {});
    await client.connect();
    return client;
  };
  let admin = await connectAdmin();
  await admin.query(STEP_EXECUTIONS_DDL);
  const wf = processWorkflow({
    record: () => Promise.reject(new Error("steps run in the worker processes, never in the test")),
  });
  const client = new Client({ store });

  const statusCounts = async () => {
    const { rows } = await admin.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM durable.runs GROUP BY status",
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  return {
    database,
    get admin() {
      return admin;
    },
    statusCounts,
    async startRuns(count, input, prefix = "run") {
      const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, "0")}`);
      for (let i = 0; i < ids.length; i += 50) {
        const batch = ids
          .slice(i, i + 50)
          .map((id, j) => client.start(wf, typeof input === "function" ? input(i + j) : input, { id }));
        await Promise.all(batch);
      }
      return ids;
    },
    async waitForCompleted(count, timeoutMs) {
      await waitFor(`${count} runs to complete`, timeoutMs, async () => {
        const counts = await statusCounts();
        const stuck = (counts.failed ?? 0) + (counts.blocked ?? 0) + (counts.cancelled ?? 0);
        if (stuck > 0) throw new Error(`runs ended badly: ${JSON.stringify(counts)}`);
        return (counts.completed ?? 0) >= count;
      });
    },
    async now() {
      const { rows } = await admin.query<{ now: Date }>("SELECT clock_timestamp() AS now");
      return rows[0]?.now as Date;
    },
    async reconnect() {
      await admin.end().catch(() => {});
      admin = await connectAdmin();
    },
    async close() {
      await store.close();
      await admin.end();
      await database.drop();
    },
  };
}
