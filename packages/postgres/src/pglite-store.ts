import type { Clock, Store } from "@durable/core";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import type { DurableDatabase } from "./database.js";
import { channelName, checkSchemaName, DEFAULT_SCHEMA, quoteIdentifier } from "./identifiers.js";
import type { NotificationSource } from "./notifications.js";
import { followClock } from "./pglite-clock.js";
import { PGliteDialect, SessionLock } from "./pglite-dialect.js";
import { SqlStore } from "./sql-store.js";

/** Options of `pgliteStore`. */
export interface PgliteStoreOptions {
  /** Where the database lives (e.g. `.durable/db`); omitted, it lives in memory. */
  dataDir?: string;
  /** A PGlite to use instead (for one shared with a pglite-socket server); the store does not close it. */
  pglite?: PGlite;
  /** The schema of the durable tables (default `durable`). */
  schema?: string;
  /** Migrate on first use (default true). */
  migrate?: boolean;
  /**
   * Tests only: statements read the time from this clock (a `TestClock`) instead of the database's, so a
   * test env can skip time on this store as on the memory store. Give it a fresh database: column defaults
   * bind to the clock when the schema is created.
   */
  clock?: Clock;
}

/**
 * The embedded store: PGlite (Postgres in WASM) in this process, with the same migrations and the same SQL
 * as `postgresStore`. PGlite is one session, so statements take turns.
 * @example
 * const store = pgliteStore({ dataDir: ".durable/db" });
 * const worker = new Worker({ store, workflows: [onboarding] });
 * const onTestTime = pgliteStore({ clock: new TestClock() }); // in memory, on a virtual clock
 */
export function pgliteStore(options: PgliteStoreOptions = {}): Store {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const own = options.pglite ?? new PGlite(options.dataDir);
  const lock = sessionLock(own);
  const pglite = options.clock ? followClock(own, options.clock, schema) : own;
  const db = new Kysely<DurableDatabase>({ dialect: new PGliteDialect(pglite, lock) });
  return new SqlStore({
    kind: "pglite",
    db,
    schema,
    source: new PGliteListener(pglite, lock, channelName(schema)),
    autoMigrate: options.migrate ?? true,
    release: async () => {
      await db.destroy();
      if (!options.pglite) await own.close();
    },
    // One session: statements take turns anyway, and a waiting batch grows meanwhile.
    statementsInFlight: 1,
  });
}

const locks = new WeakMap<PGlite, SessionLock>();

/** One lock per PGlite, shared by every store on it: a transaction holds the one session. */
function sessionLock(pglite: PGlite): SessionLock {
  let lock = locks.get(pglite);
  if (!lock) {
    lock = new SessionLock();
    locks.set(pglite, lock);
  }
  return lock;
}

/** LISTEN inside the PGlite session; its notifications arrive with the results of the statements that sent them. */
class PGliteListener implements NotificationSource {
  private stop: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly lock: SessionLock,
    private readonly channel: string,
  ) {}

  start(onPayload: (payload: string) => void, onConnected: () => void): void {
    if (this.stop || this.closed) return;
    this.stop = this.pglite.onNotification((channel, payload) => {
      if (channel === this.channel) onPayload(payload);
    });
    this.lock
      .run(async () => {
        await this.pglite.waitReady;
        if (!this.closed) await this.pglite.exec(`LISTEN ${quoteIdentifier(this.channel)}`);
      })
      .then(onConnected)
      .catch(() => {
        // Only when the PGlite closed meanwhile: there is nothing left to listen to.
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop?.();
  }
}
