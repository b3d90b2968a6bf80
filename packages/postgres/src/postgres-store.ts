import { defaultLogger, type Logger, type Store } from "@durable/core";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DurableDatabase } from "./database.js";
import { channelName, checkSchemaName, DEFAULT_SCHEMA } from "./identifiers.js";
import type { NotificationSource } from "./notifications.js";
import { PgListener } from "./pg-listener.js";
import { SqlStore } from "./sql-store.js";

/** Options of `postgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/db`; or give `pool`. */
  connectionString?: string;
  /** A `pg` pool to use instead; the store does not end it on `close()`. */
  pool?: pg.Pool;
  /** The schema of the durable tables (default `durable`); any name, quoted everywhere. */
  schema?: string;
  /** Migrate on first use (default true). */
  migrate?: boolean;
  /** Connections for statements when the store makes its pool (default 10); LISTEN uses one more. */
  poolSize?: number;
  /** Open a LISTEN connection for `subscribe` (default true); without it subscribers hear nothing and workers poll. */
  listen?: boolean;
  logger?: Logger;
}

/**
 * The production store: Postgres through `pg` and Kysely. Many workers on many machines share one database;
 * claims use `FOR UPDATE SKIP LOCKED`, journal writes are fenced by the lease, new work is announced with
 * LISTEN/NOTIFY. Migrates on first use unless `migrate: false`.
 * @example
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL });
 * const worker = new Worker({ store, workflows: [onboarding] });
 */
export function postgresStore(options: PostgresStoreOptions): Store {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const logger = (options.logger ?? defaultLogger()).child({ component: "postgres-store", schema });
  const listen = options.listen ?? true;
  const owned = options.pool === undefined;
  if (owned && options.connectionString === undefined) {
    throw new TypeError("postgresStore needs a connectionString or a pool");
  }
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      max: (options.poolSize ?? 10) + (listen ? 1 : 0),
      keepAlive: true,
    });
  guardPool(pool, logger);
  const db = new Kysely<DurableDatabase>({ dialect: new PostgresDialect({ pool }) });
  let source: NotificationSource = { start: () => {}, close: async () => {} };
  if (listen) {
    const listener = new PgListener(pool, channelName(schema), logger);
    listener.relayNotifications();
    source = listener;
  }
  return new SqlStore({
    kind: "postgres",
    db,
    schema,
    source,
    autoMigrate: options.migrate ?? true,
    release: async () => {
      if (owned) await db.destroy();
    },
    // Starts, appends and finishes batch apart: together they keep a connection free for claims and reads
    // (the LISTEN connection comes from the pool too).
    statementsInFlight: Math.max(1, Math.floor(((pool.options.max ?? 10) - (listen ? 1 : 0)) / 3)),
  });
}

/** Options of `pgliteSocketStore`. */
export interface PgliteSocketStoreOptions {
  /** The `@electric-sql/pglite-socket` server, e.g. `postgres://postgres@127.0.0.1:5433/postgres`. */
  connectionString: string;
  schema?: string;
  migrate?: boolean;
  logger?: Logger;
}

/**
 * A store on an embedded database that another process serves with `@electric-sql/pglite-socket` (a
 * worker's `.durable/` database, reached from another terminal): `postgresStore` with one connection for
 * statements and one for LISTEN, so the server needs `maxConnections` of at least 2 per such store. The
 * server is one PGlite session: a notification reaches the connection that ran the statement which sent it,
 * so this store hears its own announcements, and work announced by other processes is found by polling.
 * @example
 * const store = pgliteSocketStore({ connectionString: "postgres://postgres@127.0.0.1:5433/postgres" });
 */
export function pgliteSocketStore(options: PgliteSocketStoreOptions): Store {
  return postgresStore({ ...options, poolSize: 1 });
}

const guarded = new WeakSet<object>();

/**
 * A lost connection (a Postgres restart, `pg_terminate_backend`) makes `pg` emit `error` on the pool (idle
 * clients) or on the client (checked-out ones); unhandled, that event ends the process. Statements on the
 * lost connection still reject, so callers see the failure and retry.
 */
function guardPool(pool: pg.Pool, logger: Logger): void {
  if (guarded.has(pool)) return;
  guarded.add(pool);
  pool.on("error", (error) =>
    logger.warn({ err: error }, "an idle Postgres connection failed; the pool replaces it"),
  );
  pool.on("acquire", (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on("error", (error) =>
      logger.warn({ err: error }, "a Postgres connection failed during a statement"),
    );
  });
}
