import { latestVersion, migrationSql } from "@durable/postgres";
import type { Command } from "commander";
import { findConfigFile, loadConfig } from "../config/load-config.js";
import { describeTarget } from "../database/database-target.js";
import { openDatabase } from "../database/open-database.js";
import { addCommonOptions, type CommonOptions, openSession } from "../session.js";

/**
 * `durable migrate [--print]`: applies the schema (safe to run from many processes at once), or prints
 * the SQL for `psql` without connecting.
 * @example
 * registerMigrate(program); // durable migrate --print | psql "$DATABASE_URL"
 */
export function registerMigrate(program: Command): void {
  const command = program
    .command("migrate")
    .description("apply the database schema, or print its SQL")
    .option("--print", "print the SQL instead of applying it (no database needed)");
  addCommonOptions(command, "warn").action(async (options: CommonOptions & { print?: boolean }) => {
    if (options.print) {
      // The config is optional here: it only names the schema.
      const file = findConfigFile({ config: options.config, cwd: process.cwd() });
      const schema = file
        ? (await loadConfig({ config: file, cwd: process.cwd() })).config.schema
        : undefined;
      process.stdout.write(migrationSql(schema));
      return;
    }
    const session = await openSession(options, "migrate");
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
    process.stdout.write(
      `${describeTarget(session.target)}: schema "${session.target.schema}" is at version ${latestVersion()}\n`,
    );
  });
}
