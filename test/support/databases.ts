import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the process tests use (CI: postgres://postgres@127.0.0.1:5432/test). */
export const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A throwaway database on SERVER_URL's server, created for one test file. */
export interface ProcessDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `durable_proc_<random>` on the server of `serverUrl` (default SERVER_URL); `drop()` removes it and ends whatever is still connected to it.
 * @example
 * const database = await createProcessDatabase();
 * afterAll(() => database.drop());
 */
export async function createProcessDatabase(serverUrl = SERVER_URL): Promise<ProcessDatabase> {
  const name = `durable_proc_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
