import { Client, type Store } from "@durable/core";
import { withDatabaseErrors } from "./database/database-error.js";
import { openDatabase } from "./database/open-database.js";
import type { Session } from "./session.js";

/**
 * Opens the session's database for one short command, gives `fn` a client on it, and closes it after. A
 * connection failure names the database and where its URL came from.
 * @example
 * const runs = await withClient(session, (client) => client.list());
 */
export async function withClient<T>(
  session: Session,
  fn: (client: Client, store: Store) => Promise<T>,
): Promise<T> {
  return withDatabaseErrors(session.target, async () => {
    const db = await openDatabase(session.target, { logger: session.logger, command: session.command });
    try {
      return await fn(new Client({ store: db.store }), db.store);
    } finally {
      await db.close();
    }
  });
}
