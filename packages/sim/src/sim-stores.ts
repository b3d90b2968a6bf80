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

// Starting PGlite costs seconds: one instance serves every simulation of a process, each in a schema of
// its own, dropped after it.
let shared: Promise<PGlite> | undefined;
let schemas = 0;

async function startPglite(): Promise<PGlite> {
  const pglite = new PGlite();
  await pglite.waitReady;
  return pglite;
}

/**
 * The one store of a simulation: the memory store on the scheduler's clock, or the SQL store on PGlite
 * whose statements read the time from the scheduler's clock (`pgliteStore`'s `clock` option).
 * @example
 * const { store, close } = await openSimStore("pglite", sched);
 */
export async function openSimStore(kind: StoreKind, sched: Scheduler): Promise<SimStore> {
  const clock = sched.clock(sched.node("db", "store"));
  if (kind === "memory") return { store: memoryStore({ clock }), close: async () => {} };
  shared ??= startPglite();
  const pglite = await shared;
  const schema = `sim_${++schemas}`;
  const store = pgliteStore({ pglite, schema, clock });
  await store.migrate();
  return {
    store,
    close: async () => {
      await store.close();
      await pglite.exec(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_clock CASCADE;`);
    },
  };
}
