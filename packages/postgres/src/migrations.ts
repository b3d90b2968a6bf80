import { readdirSync, readFileSync } from "node:fs";
import { SchemaAheadError } from "@durable/core";
import { type Kysely, sql } from "kysely";
import type { DurableDatabase } from "./database.js";
import { DEFAULT_SCHEMA, quoteIdentifier } from "./identifiers.js";

/** One numbered migration: `0001_init.sql` is version 1, named `0001_init`. */
export interface Migration {
  version: number;
  name: string;
  /** The SQL text with `{{schema}}` where the quoted schema name goes. */
  template: string;
}

// Relative to this module, so it resolves from src/ (tests) and from dist/ (the published package) alike.
const MIGRATIONS_DIR = new URL("../migrations/", import.meta.url);
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

let loaded: readonly Migration[] | undefined;

/**
 * The migrations shipped with this package, in order.
 * @example
 * const latest = migrations().at(-1)?.version; // 1
 */
export function migrations(): readonly Migration[] {
  loaded ??= readdirSync(MIGRATIONS_DIR)
    .filter((file) => FILE_NAME.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(0, -4),
      template: readFileSync(new URL(file, MIGRATIONS_DIR), "utf8"),
    }));
  return loaded;
}

/**
 * The newest schema version this code knows.
 * @example
 * if (databaseVersion < latestVersion()) await store.migrate();
 */
export function latestVersion(): number {
  return migrations().at(-1)?.version ?? 0;
}

function render(template: string, schema: string): string {
  return template.replaceAll("{{schema}}", quoteIdentifier(schema));
}

function bootstrapSql(schema: string): string {
  const s = quoteIdentifier(schema);
  return `CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;
}

function lockKey(schema: string): string {
  return `durable.migrate:${schema}`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The SQL that brings a schema from `fromVersion` (default: empty) to the latest version, as one script for
 * `psql` (what `durable migrate --print` shows).
 * @example
 * process.stdout.write(migrationSql("durable"));
 */
export function migrationSql(schema: string = DEFAULT_SCHEMA, fromVersion = 0): string {
  const s = quoteIdentifier(schema);
  const parts = [
    "BEGIN;",
    `SELECT pg_advisory_xact_lock(hashtextextended(${literal(lockKey(schema))}, 0));`,
    bootstrapSql(schema),
  ];
  for (const m of migrations().filter((m) => m.version > fromVersion)) {
    parts.push(`-- ${m.name}`, render(m.template, schema).trim());
    parts.push(`INSERT INTO ${s}.migrations (version, name) VALUES (${m.version}, ${literal(m.name)});`);
  }
  parts.push("COMMIT;");
  return `${parts.join("\n")}\n`;
}

function checkNotAhead(version: number, schema: string): void {
  const known = latestVersion();
  if (version > known) {
    throw new SchemaAheadError(
      `database schema ${quoteIdentifier(schema)} is at version ${version}, this durable knows up to ${known}; upgrade durable`,
    );
  }
}

async function currentVersion(db: Kysely<DurableDatabase>, schema: string): Promise<number> {
  const table = `${quoteIdentifier(schema)}.migrations`;
  const { rows } = await sql<{
    present: boolean;
  }>`SELECT to_regclass(${table}) IS NOT NULL AS present`.execute(db);
  if (!rows[0]?.present) return 0;
  const result = await sql<{ version: number }>`
    SELECT coalesce(max(version), 0)::int AS version FROM ${sql.id(schema, "migrations")}`.execute(db);
  return result.rows[0]?.version ?? 0;
}

/**
 * Applies the pending migrations, each in its own transaction under an advisory lock, so concurrent
 * migrators are harmless. Throws `SchemaAheadError` when the database is newer than this code.
 * @example
 * await migrate(db, "durable");
 */
export async function migrate(db: Kysely<DurableDatabase>, schema: string): Promise<void> {
  const latest = latestVersion();
  const seen = await currentVersion(db, schema);
  checkNotAhead(seen, schema);
  if (seen >= latest) return;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey(schema)}, 0))`.execute(trx);
      await sql.raw(bootstrapSql(schema)).execute(trx);
      const { rows } = await sql<{ version: number }>`
        SELECT coalesce(max(version), 0)::int AS version FROM ${sql.id(schema, "migrations")}`.execute(trx);
      const version = rows[0]?.version ?? 0;
      checkNotAhead(version, schema);
      const next = migrations().find((m) => m.version > version);
      if (!next) return true;
      await sql.raw(render(next.template, schema)).execute(trx);
      await sql`INSERT INTO ${sql.id(schema, "migrations")} (version, name) VALUES (${next.version}, ${next.name})`.execute(
        trx,
      );
      return next.version >= latest;
    });
    if (done) return;
  }
}
