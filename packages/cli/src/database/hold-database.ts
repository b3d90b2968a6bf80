import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "@durable/core";
import { pgliteSocketStore, postgresStore } from "@durable/postgres";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { CliError } from "../cli-error.js";
import type { DatabaseTarget } from "./database-target.js";
import { claimHolder, type HolderClaim, type HolderInfo, readHolder } from "./holder-file.js";
import { BUSY_WAIT_MS, busy, type Database, socketUrl } from "./open-database.js";

/** A database held by a long-running command; `port` is set when it serves the embedded database. */
export interface HeldDatabase extends Database {
  port?: number;
  /** Set when another process serves the embedded database and this one reaches it through that socket. */
  servedBy?: HolderInfo;
}

/**
 * Like `holdDatabase`, but when a worker or `durable dev` already serves the embedded database this
 * process reaches it through their socket rather than being refused: for `durable dashboard`, which is
 * long-running yet only reads and acts like the short commands do.
 * @example
 * const db = await holdOrAttachDatabase(target, { logger, command: "dashboard" });
 */
export async function holdOrAttachDatabase(
  target: DatabaseTarget,
  options: { logger: Logger; command: string },
): Promise<HeldDatabase> {
  if (target.kind === "embedded") {
    const holder = await readHolder(target.dir);
    if (holder?.role === "serving" && holder.port !== undefined) {
      const store = pgliteSocketStore({
        connectionString: socketUrl(holder.port),
        schema: target.schema,
        logger: options.logger,
      });
      return { store, servedBy: holder, close: () => store.close() };
    }
  }
  return holdDatabase(target, options);
}

/**
 * Opens the target for a worker or `durable dev`. On Postgres: a pool with LISTEN. On the embedded
 * database: claims the directory (refusing when another worker or dev holds it), opens PGlite and serves
 * it with pglite-socket on 127.0.0.1 at a free port recorded in `server.json`, so other commands in other
 * terminals reach the same data. This process goes through the socket too: the socket server keeps each
 * client's transaction whole, and statements from inside the process would otherwise land in a socket
 * client's open transaction.
 * @example
 * const db = await holdDatabase(target, { logger, command: "worker" });
 */
export async function holdDatabase(
  target: DatabaseTarget,
  options: { logger: Logger; command: string },
): Promise<HeldDatabase> {
  if (target.kind === "postgres") {
    const store = postgresStore({
      connectionString: target.url,
      schema: target.schema,
      logger: options.logger,
    });
    return { store, close: () => store.close() };
  }
  const claim = await claimDirectory(target, options.command);
  let pglite: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    pglite = await PGlite.create(join(target.dir, "db"));
    server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 256 });
    await server.start();
    const port = Number(server.getServerConn().split(":").at(-1));
    await claim.setPort(port);
    const store = pgliteSocketStore({
      connectionString: socketUrl(port),
      schema: target.schema,
      logger: options.logger,
    });
    const open = { pglite, server };
    return {
      store,
      port,
      close: async () => {
        try {
          await store.close();
          await open.server.stop();
          await open.pglite.close();
        } finally {
          await claim.release();
        }
      },
    };
  } catch (error) {
    await server?.stop().catch(() => {});
    await pglite?.close().catch(() => {});
    await claim.release();
    throw error;
  }
}

async function claimDirectory(
  target: DatabaseTarget & { kind: "embedded" },
  command: string,
): Promise<HolderClaim> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const claim = await claimHolder(target.dir, { role: "serving", command });
    if (!("holder" in claim)) return claim;
    const { holder } = claim;
    if (holder.role === "serving") {
      throw new CliError(
        `the embedded database in ${target.dir} is held by durable ${holder.command} (pid ${holder.pid}); use that one (other commands reach it), stop it first, or run against Postgres with --database-url`,
      );
    }
    // A short command has the directory open for a moment: wait for it.
    if (Date.now() > deadline) throw busy(target, holder);
    await delay(100);
  }
}
