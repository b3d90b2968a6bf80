import { basename, relative, resolve } from "node:path";
import type { DurableConfig } from "../config/define-config.js";

/** Where a database URL came from, as messages name it. */
export type UrlSource = "--database-url" | "DATABASE_URL" | string;

/** Where a command's data lives: a Postgres server, or the embedded database in a directory. */
export type DatabaseTarget =
  | { kind: "postgres"; url: string; schema: string; source: UrlSource }
  | { kind: "embedded"; dir: string; schema: string };

/**
 * Picks the database: `--database-url`, else `DATABASE_URL`, else the config's `databaseUrl`, else the
 * embedded database in `<config dir>/.durable`. A URL keeps its source (`--database-url`, `DATABASE_URL`
 * or the config file's name), so an error can say where to fix it.
 * @example
 * databaseTarget({ root: "/app", flag: undefined, config }); // { kind: "embedded", dir: "/app/.durable", ... }
 */
export function databaseTarget(options: {
  root: string;
  flag?: string | undefined;
  config?: DurableConfig | undefined;
  configFile?: string | undefined;
}): DatabaseTarget {
  const schema = options.config?.schema ?? "durable";
  const env = process.env.DATABASE_URL === "" ? undefined : process.env.DATABASE_URL;
  if (options.flag !== undefined)
    return { kind: "postgres", url: options.flag, schema, source: "--database-url" };
  if (env !== undefined) return { kind: "postgres", url: env, schema, source: "DATABASE_URL" };
  const fromConfig = options.config?.databaseUrl;
  if (fromConfig !== undefined) {
    const source = options.configFile ? basename(options.configFile) : "durable.config.ts";
    return { kind: "postgres", url: fromConfig, schema, source };
  }
  return { kind: "embedded", dir: resolve(options.root, options.config?.dataDir ?? ".durable"), schema };
}

/**
 * The URL with its password masked.
 * @example
 * maskUrl("postgres://u:secret@db/app"); // "postgres://u:***@db/app"
 */
export function maskUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    // Not a URL we can parse: show no part of it, it may hold a password.
    return "an unparsable database URL";
  }
}

/**
 * Names the target for messages, without a password.
 * @example
 * describeTarget({ kind: "postgres", url: "postgres://u:secret@db/app", schema: "durable", source: "DATABASE_URL" }); // "postgres://u:***@db/app"
 */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "embedded")
    return `the embedded database in ${relative(process.cwd(), target.dir) || "."}/`;
  return maskUrl(target.url);
}
