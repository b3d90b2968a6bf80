import { relative, resolve } from "node:path";
import type { DurableConfig } from "../config/define-config.js";

/** Where a command's data lives: a Postgres server, or the embedded database in a directory. */
export type DatabaseTarget =
  | { kind: "postgres"; url: string; schema: string }
  | { kind: "embedded"; dir: string; schema: string };

/**
 * Picks the database: `--database-url`, else `DATABASE_URL`, else the config's `databaseUrl`, else the
 * embedded database in `<config dir>/.durable`.
 * @example
 * databaseTarget({ root: "/app", flag: undefined, config }); // { kind: "embedded", dir: "/app/.durable", ... }
 */
export function databaseTarget(options: {
  root: string;
  flag?: string | undefined;
  config?: DurableConfig | undefined;
}): DatabaseTarget {
  const schema = options.config?.schema ?? "durable";
  const env = process.env.DATABASE_URL === "" ? undefined : process.env.DATABASE_URL;
  const url = options.flag ?? env ?? options.config?.databaseUrl;
  if (url !== undefined) return { kind: "postgres", url, schema };
  return { kind: "embedded", dir: resolve(options.root, options.config?.dataDir ?? ".durable"), schema };
}

/**
 * Names the target for messages, without a password.
 * @example
 * describeTarget({ kind: "postgres", url: "postgres://u:secret@db/app", schema: "durable" }); // "postgres://u:***@db/app"
 */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "embedded")
    return `the embedded database in ${relative(process.cwd(), target.dir) || "."}/`;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "the database at DATABASE_URL";
  }
}
