import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the Postgres tests use (CI: postgres://postgres@127.0.0.1:5432/test). */
export const DATABASE_URL = process.env.DATABASE_URL;

/** A throwaway database on the DATABASE_URL's server, so parallel test files never share tables. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `durable_test_<random>`; `drop()` removes it, ending its connections. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `durable_test_${randomBytes(6).toString("hex")}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

/** Runs one statement on `url` with a short-lived connection. */
export function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  return admin(url, (c) => c.query<R>(text, values));
}
