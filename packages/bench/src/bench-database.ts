import { randomBytes } from "node:crypto";
import type { Store } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import pg from "pg";
import { countingLogger } from "./counting-logger.js";
import { CountingPool } from "./statement-counter.js";

/** The server: DATABASE_URL, or the local default. */
export const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Connections of the worker's store, as `postgresStore`'s default; BENCH_POOL changes it for experiments. */
export const WORKER_POOL_SIZE = Number(process.env.BENCH_POOL ?? 10);

/** A fresh database for one measured run, with a counting worker pool and an uncounted one. */
export interface BenchDatabase {
  readonly url: string;
  /** The database's name (its backends' CPU is read from /proc by it). */
  readonly name: string;
  /** The worker's pool: its statements are counted. */
  readonly pool: CountingPool;
  /** The worker's store, on `pool`. */
  readonly store: Store;
  /** A store for starting runs, on its own connections (counted apart, in `clientPool`). */
  readonly clientStore: Store;
  /** The starting store's pool. */
  readonly clientPool: CountingPool;
  /** The logger of the worker and the stores: counts warnings by message. */
  readonly logger: ReturnType<typeof countingLogger>;
  /** An uncounted connection to observe the database. */
  readonly observer: pg.Client;
  drop(): Promise<void>;
}

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops the database once its connections are gone: `pool.end()` resolves before its clients have hung up,
 * and a forced drop would cut them mid-goodbye (the stores then log lost connections that never mattered).
 */
async function dropWhenIdle(name: string): Promise<void> {
  await onServer(async (client) => {
    const deadline = Date.now() + 2_000;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
        [name],
      );
      if (rows[0]?.n === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/**
 * Creates `durable_bench_<random>`, migrates it, and opens the pools; `drop()` closes and removes it.
 * @example
 * const db = await createBenchDatabase(new Map());
 * try { ... } finally { await db.drop(); }
 */
export async function createBenchDatabase(
  warnings: Map<string, number>,
  poolSize = WORKER_POOL_SIZE,
): Promise<BenchDatabase> {
  const name = `durable_bench_${randomBytes(6).toString("hex")}`;
  await onServer((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const logger = countingLogger(warnings);
  // The store makes poolSize + 1 connections when it owns its pool (one listens); so does this one.
  const pool = new CountingPool({ connectionString: url.toString(), max: poolSize + 1, keepAlive: true });
  // Migrated once below through clientStore, so the counted store spends no statement on migrations.
  const store = postgresStore({ pool, logger, migrate: false });
  const clientPool = new CountingPool({ connectionString: url.toString(), max: 16, keepAlive: true });
  const clientStore = postgresStore({ pool: clientPool, listen: false, logger });
  await clientStore.migrate();
  const observer = new pg.Client({ connectionString: url.toString() });
  await observer.connect();
  return {
    url: url.toString(),
    name,
    pool,
    clientPool,
    store,
    clientStore,
    observer,
    logger,
    drop: async () => {
      await store.close();
      await pool.end();
      await clientStore.close();
      await clientPool.end();
      await observer.end();
      await dropWhenIdle(name);
    },
  };
}

/** Runs by status, from the observer connection. */
export async function statusCounts(db: BenchDatabase): Promise<Record<string, number>> {
  const { rows } = await db.observer.query<{ status: string; n: number }>(
    "SELECT status, count(*)::int AS n FROM durable.runs GROUP BY status",
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
