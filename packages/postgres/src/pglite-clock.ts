import type { Clock } from "@durable/core";
import type { PGlite } from "@electric-sql/pglite";
import { quoteIdentifier } from "./identifiers.js";

/** The session setting that holds the clock's time, as ISO text. */
const SETTING = "durable.clock_now";

/** The time functions the store's statements call; each is shadowed by one that reads the clock. */
export const CLOCK_FUNCTIONS = ["now", "statement_timestamp", "transaction_timestamp", "clock_timestamp"];

/**
 * The schema that holds the clock's functions for a store's schema, e.g. `durable_clock`.
 * @example
 * clockSchema("durable"); // "durable_clock"
 */
export function clockSchema(schema: string): string {
  return `${schema}_clock`;
}

/**
 * SQL that makes every unqualified time function of the session read the clock's time: functions of the
 * same names in their own schema, placed before `pg_catalog` in the session's `search_path` (Postgres
 * searches `pg_catalog` first only when the path does not name it). Each reads `durable.clock_now`, or
 * the database's own time while it is unset.
 * @example
 * await pglite.exec(clockSetupSql("durable_clock"));
 */
export function clockSetupSql(schemaName: string): string {
  const schema = quoteIdentifier(schemaName);
  const functions = CLOCK_FUNCTIONS.map(
    (name) => `CREATE OR REPLACE FUNCTION ${schema}.${name}() RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('${SETTING}', true), '')::timestamptz, pg_catalog.${name}())
$$;`,
  );
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema};`,
    ...functions,
    `SELECT set_config('search_path', '${schema.replaceAll("'", "''")}, pg_catalog, ' || current_setting('search_path'), false);`,
  ].join("\n");
}

const UNTIMED = /^\s*(begin|commit|rollback|listen|unlisten)\b/i;

/**
 * A PGlite whose statements read the time from `clock` instead of the database's: before a statement, the
 * session's clock setting is brought up to `clock.now()` when it moved. Only for tests (a `TestClock`);
 * column defaults bind to the clock's `now()` when the schema is created through it.
 * @example
 * const pglite = followClock(new PGlite(), clock, "durable");
 */
export function followClock(pglite: PGlite, clock: Clock, schema: string): PGlite {
  let ready: Promise<unknown> | undefined;
  let synced: number | undefined;
  const setup = () => {
    ready ??= pglite.waitReady.then(() => pglite.exec(clockSetupSql(clockSchema(schema))));
    return ready;
  };
  const sync = async (sql: string) => {
    await setup();
    const now = clock.now();
    if (now === synced || UNTIMED.test(sql)) return;
    await pglite.query(`SELECT set_config('${SETTING}', $1, false)`, [new Date(now).toISOString()]);
    synced = now;
  };
  // A setting made inside a transaction that rolls back is undone with it: set it again next time.
  const timed = <T>(sql: string, run: () => Promise<T>) =>
    sync(sql)
      .then(run)
      .then(
        (result) => {
          if (/^\s*rollback\b/i.test(sql)) synced = undefined;
          return result;
        },
        (error: unknown) => {
          synced = undefined;
          throw error;
        },
      );
  return new Proxy(pglite, {
    get(target, prop) {
      if (prop === "query") {
        return (sql: string, params?: unknown[], options?: object) =>
          timed(sql, () => target.query(sql, params, options));
      }
      if (prop === "exec")
        return (sql: string, options?: object) => timed(sql, () => target.exec(sql, options));
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
