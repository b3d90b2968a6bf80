// Stores

export type { PgliteStoreOptions } from "./pglite-store.js";
export { pgliteStore } from "./pglite-store.js";
export type { PgliteSocketStoreOptions, PostgresStoreOptions } from "./postgres-store.js";
export { pgliteSocketStore, postgresStore } from "./postgres-store.js";

// Migrations

export type { Migration } from "./migrations.js";
export { latestVersion, migrationSql, migrations } from "./migrations.js";

// The schema's tables and names, and Kysely over PGlite

export type { DurableDatabase, EventRow, JournalRow, MigrationRow, RunRow } from "./database.js";
export { DEFAULT_SCHEMA, quoteIdentifier } from "./identifiers.js";
export { PGliteDialect, SessionLock } from "./pglite-dialect.js";
