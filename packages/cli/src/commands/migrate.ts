import { latestVersion, migrationSql } from "@durable/postgres";
import type { Command } from "commander";
import { findConfigFile, loadConfig } from "../config/load-config.js";
import { withDatabaseErrors } from "../database/database-error.js";
import { describeTarget } from "../database/database-target.js";
import { openDatabase } from "../database/open-database.js";
import { printJson, printLine } from "../output/print.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";

interface MigrateOptions extends CommonOptions {
  print?: boolean;
  json?: boolean;
}

/**
 * `durable migrate [--print] [--json]`: applies the schema (safe to run from many processes at once), or
 * prints the SQL for `psql` without connecting. `--json` prints `{ database, schema, version }` (with
 * `--print`: `{ schema, version, sql }`).
 * @example
 * registerMigrate(program); // durable migrate --print | psql "$DATABASE_URL"
 */
export function registerMigrate(program: Command): void {
  const command = program
    .command("migrate")
    .description("apply the database schema, or print its SQL")
    .option("--print", "print the SQL instead of applying it (no database needed)")
    .option("--json", "print { database, schema, version } as JSON");
  addCommonOptions(command, "warn").action(async (options: MigrateOptions) => {
    if (options.print) {
      // The config is optional here: it only names the schema.
      const file = findConfigFile({ config: options.config, cwd: process.cwd() });
      const schema = file
        ? (await loadConfig({ config: file, cwd: process.cwd() })).config.schema
        : undefined;
      const sql = migrationSql(schema);
      if (options.json) printJson({ schema: schema ?? "durable", version: latestVersion(), sql });
      else process.stdout.write(sql);
      return;
    }
    const session = await openSession(options, "migrate");
    await withDatabaseErrors(session.target, async () => {
      const db = await openDatabase(session.target, {
        logger: session.logger,
        migrate: false,
        command: "migrate",
      });
      try {
        await db.store.migrate();
      } finally {
        await db.close();
      }
    });
    const database = describeTarget(session.target);
    const { schema } = session.target;
    if (options.json) printJson({ database, schema, version: latestVersion() });
    else printLine(`${database}: schema "${schema}" is at version ${latestVersion()}`);
  });
}
