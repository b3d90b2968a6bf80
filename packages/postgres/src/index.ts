// Stores
export { postgresStore, pgliteSocketStore } from "./postgres-store.js";
export type { PostgresStoreOptions, PgliteSocketStoreOptions } from "./postgres-store.js";
export { pgliteStore } from "./pglite-store.js";
export type { PgliteStoreOptions } from "./pglite-store.js";

// Migrations
export { migrationSql, migrations, latestVersion } from "./migrations.js";
export type { Migration } from "./migrations.js";
export { DEFAULT_SCHEMA, quoteIdentifier } from "./identifiers.js";

// Kysely over PGlite and the table types
export { PGliteDialect, SessionLock } from "./pglite-dialect.js";
export type { DurableDatabase, RunRow, JournalRow, EventRow, MigrationRow } from "./database.js";
