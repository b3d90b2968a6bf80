// Stores

export type { DurableDatabase, EventRow, JournalRow, MigrationRow, RunRow } from "./database.js";
export { DEFAULT_SCHEMA, quoteIdentifier } from "./identifiers.js";
export type { Migration } from "./migrations.js";
// Migrations
export { latestVersion, migrationSql, migrations } from "./migrations.js";
// Kysely over PGlite and the table types
export { PGliteDialect, SessionLock } from "./pglite-dialect.js";
export type { PgliteStoreOptions } from "./pglite-store.js";
export { pgliteStore } from "./pglite-store.js";
export type { PgliteSocketStoreOptions, PostgresStoreOptions } from "./postgres-store.js";
export { pgliteSocketStore, postgresStore } from "./postgres-store.js";
