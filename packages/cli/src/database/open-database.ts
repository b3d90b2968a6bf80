import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger, Store } from "@durable/core";
import { pgliteSocketStore, pgliteStore, postgresStore } from "@durable/postgres";
import { CliError } from "../cli-error.js";
import type { DatabaseTarget } from "./database-target.js";
import { claimHolder, type HolderInfo, readHolder } from "./holder-file.js";

/** A store and how to let go of it. */
export interface Database {
  store: Store;
  close(): Promise<void>;
  /**
   * Set when this process opened the embedded directory itself: nothing else can reach it until it is
   * closed, so a command that waits closes it between looks.
   */
  direct?: true;
}

/** How long a command waits for another `durable` process that has the embedded database open. */
export const BUSY_WAIT_MS = 30_000;

/** The connection string of an embedded database served on a local port. */
export function socketUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/**
 * Opens the target for a short command (start, runs, show, ...). On the embedded database: through the
 * socket of the worker or dev that serves it, else the directory itself (claimed meanwhile).
 * @example
 * const db = await openDatabase(target, { logger, migrate: true });
 * try { await new Client({ store: db.store }).list(); } finally { await db.close(); }
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: { logger: Logger; migrate?: boolean; command: string },
): Promise<Database> {
  const migrate = options.migrate ?? true;
  if (target.kind === "postgres") {
    const store = postgresStore({
      connectionString: target.url,
      schema: target.schema,
      migrate,
      poolSize: 2,
      listen: false,
      logger: options.logger,
    });
    return { store, close: () => store.close() };
  }
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const holder = await readHolder(target.dir);
    if (holder?.role === "serving" && holder.port !== undefined) {
      const store = pgliteSocketStore({
        connectionString: socketUrl(holder.port),
        schema: target.schema,
        migrate,
        logger: options.logger,
      });
      return { store, close: () => store.close() };
    }
    if (holder === undefined) {
      const claim = await claimHolder(target.dir, { role: "direct", command: options.command });
      if (!("holder" in claim)) {
        const store = pgliteStore({ dataDir: join(target.dir, "db"), schema: target.schema, migrate });
        return {
          store,
          direct: true,
          close: async () => {
            try {
              await store.close();
            } finally {
              await claim.release();
            }
          },
        };
      }
      continue;
    }
    if (Date.now() > deadline) throw busy(target, holder);
    await delay(100);
  }
}

/** The error for a directory that stayed busy. */
export function busy(target: DatabaseTarget & { kind: "embedded" }, holder: HolderInfo): CliError {
  return new CliError(
    `the embedded database in ${target.dir} is busy: durable ${holder.command} (pid ${holder.pid}) has had it open since ${holder.since}; if no such process runs, delete ${join(target.dir, "server.json")}`,
  );
}
