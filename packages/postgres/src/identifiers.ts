import { createHash } from "node:crypto";

/**
 * The default schema of the durable tables.
 * @example
 * migrationSql(DEFAULT_SCHEMA); // the SQL for "durable"
 */
export const DEFAULT_SCHEMA = "durable";

const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes an identifier for SQL text: `my"schema` → `"my""schema"`.
 * @example
 * quoteIdentifier("durable"); // '"durable"'
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Refuses schema names Postgres would truncate or reject, so every process agrees on the name. */
export function checkSchemaName(schema: string): string {
  const bytes = Buffer.byteLength(schema, "utf8");
  if (bytes === 0 || bytes > MAX_IDENTIFIER_BYTES || schema.includes("\u0000")) {
    throw new TypeError(
      `schema name ${JSON.stringify(schema)} is not usable: it must be 1 to ${MAX_IDENTIFIER_BYTES} bytes without NUL`,
    );
  }
  return schema;
}

/**
 * The LISTEN/NOTIFY channel of a schema: `durable:<schema>`, or a hash of it when that is longer than the
 * 63 bytes Postgres allows in a channel name.
 */
export function channelName(schema: string): string {
  const name = `durable:${schema}`;
  if (Buffer.byteLength(name, "utf8") <= MAX_IDENTIFIER_BYTES) return name;
  return `durable:${createHash("sha256").update(schema).digest("hex").slice(0, 40)}`;
}
