import { memoryStore, type Store } from "@durable/core";
import { pgliteStore } from "@durable/postgres";
import { PGlite } from "@electric-sql/pglite";
import type { Scheduler } from "./scheduler.js";

/** The stores a simulation runs on. */
export type StoreKind = "memory" | "pglite";

/** A store on the simulation's global virtual time. */
export interface SimStore {
  store: Store;
  close(): Promise<void>;
}

// Functions that shadow the database clock: with pg_catalog last on the search path, the SQL store's
// now() and statement_timestamp() (column defaults too) read the simulation's time, not the wall clock.
const VIRTUAL_CLOCK_SQL = `
  CREATE SCHEMA sim_clock;
  CREATE TABLE sim_clock.clock (at timestamptz NOT NULL);
  CREATE FUNCTION sim_clock.now() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT at FROM sim_clock.clock';
  CREATE FUNCTION sim_clock.statement_timestamp() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT at FROM sim_clock.clock';
  CREATE FUNCTION sim_clock.transaction_timestamp() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT at FROM sim_clock.clock';
  SET search_path TO sim_clock, public, pg_catalog;
`;

interface VirtualPglite {
  pglite: PGlite;
  setTime(at: number): Promise<void>;
}

// Starting PGlite costs seconds: one instance serves every simulation of a process, each in a schema of
// its own, dropped after it.
let shared: Promise<VirtualPglite> | undefined;
let schemas = 0;

async function startPglite(): Promise<VirtualPglite> {
  const pglite = new PGlite();
  await pglite.waitReady;
  await pglite.exec(VIRTUAL_CLOCK_SQL);
  await pglite.query("INSERT INTO sim_clock.clock VALUES (pg_catalog.now())");
  const setTime = async (at: number) => {
    await pglite.query("UPDATE sim_clock.clock SET at = $1", [new Date(at).toISOString()]);
  };
  return { pglite, setTime };
}

/**
 * The one store of a simulation: the memory store on the scheduler's clock, or the SQL store on PGlite
 * with the database's clock following the scheduler's time.
 * @example
 * const { store, close } = await openSimStore("pglite", sched);
 */
export async function openSimStore(kind: StoreKind, sched: Scheduler): Promise<SimStore> {
  if (kind === "memory") {
    const db = sched.node("db", "store");
    return { store: memoryStore({ clock: sched.clock(db) }), close: async () => {} };
  }
  shared ??= startPglite();
  const { pglite, setTime } = await shared;
  const schema = `sim_${++schemas}`;
  await setTime(sched.now);
  const inner = pgliteStore({ pglite, schema });
  await inner.migrate();
  // The database's clock is set lazily, right before the next statement, rather than at every move of time.
  let synced = sched.now;
  const sync = async () => {
    if (synced === sched.now) return;
    synced = sched.now;
    await setTime(synced);
  };
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "subscribe" || prop === "close")
        return typeof value === "function" ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        await sync();
        return value.apply(target, args);
      };
    },
  });
  return {
    store,
    close: async () => {
      await inner.close();
      await pglite.exec(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
}
