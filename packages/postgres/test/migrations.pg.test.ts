import { SchemaAheadError, type Store, silentLogger } from "@durable/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestVersion, migrationSql, migrations, postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, query, type TestDatabase } from "./databases.js";
import { claim, newRun } from "./helpers.js";

describe.runIf(DATABASE_URL)("Postgres migrations", () => {
  let database: TestDatabase;
  const stores: Store[] = [];
  const store = (schema: string, options: { migrate?: boolean } = {}) => {
    const s = postgresStore({
      connectionString: database.url,
      schema,
      poolSize: 2,
      logger: silentLogger,
      ...options,
    });
    stores.push(s);
    return s;
  };
  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database.drop();
  });

  it("lets several processes migrate an empty database at once; the schema is applied once", async () => {
    const migrators = Array.from({ length: 4 }, () => store("racing"));
    await Promise.all(migrators.map((s) => s.migrate()));
    const { rows } = await query<{ version: number }>(
      database.url,
      'SELECT version FROM "racing".migrations',
    );
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: latestVersion() }, (_, i) => i + 1));
    await migrators[0]?.createRun(newRun("r1"));
    expect(await migrators[3]?.getRun("r1")).toBeDefined();
  });

  it("brings a version 1 database with runs in it to the latest version, the runs still claimable", async () => {
    const [init] = migrations();
    if (!init) throw new Error("no migrations");
    await query(
      database.url,
      `CREATE SCHEMA v1;
       CREATE TABLE v1.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
       ${init.template.replaceAll("{{schema}}", "v1")}
       INSERT INTO v1.migrations (version, name) VALUES (1, '0001_init');
       INSERT INTO v1.runs (id, workflow, version, status, input, wake_at, queue)
         VALUES ('old', 'w', '1', 'pending', '{"f":"sj1","json":1}', now(), 'q');`,
    );
    const upgraded = store("v1");
    await upgraded.migrate();
    const { rows } = await query<{ version: number }>(
      database.url,
      "SELECT max(version) AS version FROM v1.migrations",
    );
    expect(rows[0]?.version).toBe(latestVersion());
    await upgraded.createRun(newRun("new", { queue: "q", rateKey: "k" }));
    const claimed = await claim(upgraded, {
      limits: [{ queue: "q", concurrency: { limit: 1, perKey: false } }],
    });
    expect(claimed.map((c) => c.run.id)).toEqual(["old"]);
    expect(await upgraded.getRun("new")).toMatchObject({ heldBy: "concurrency:q", rateKey: "k" });
  });

  it("migrates on first use unless told not to", async () => {
    const lazy = store("lazy");
    expect(await lazy.getRun("nope")).toBeUndefined();
    const { rows } = await query(database.url, "SELECT 1 FROM pg_namespace WHERE nspname = 'lazy'");
    expect(rows).toHaveLength(1);
    const manual = store("manual", { migrate: false });
    await expect(manual.getRun("nope")).rejects.toThrow(/does not exist/);
    await manual.migrate();
    expect(await manual.getRun("nope")).toBeUndefined();
  });

  it("refuses a database whose schema is newer than this code, saying what to do", async () => {
    await store("ahead").migrate();
    const next = latestVersion() + 1;
    await query(database.url, 'INSERT INTO "ahead".migrations (version, name) VALUES ($1, $2)', [
      next,
      "future",
    ]);
    const newer = store("ahead");
    const error = await newer.migrate().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaAheadError);
    expect((error as Error).message).toContain(
      `is at version ${next}, this durable knows up to ${latestVersion()}; upgrade durable`,
    );
    await expect(newer.createRun(newRun("r1"))).rejects.toBeInstanceOf(SchemaAheadError);
  });

  it("quotes a schema name with odd characters everywhere, LISTEN included", async () => {
    const odd = 'we"ird; DROP TABLE x; -- Schéma.Name';
    const s = store(odd);
    await s.createRun(newRun("r1"));
    const [claimed] = await claim(s);
    expect(claimed?.run.id).toBe("r1");
    const { rows } = await query<{ n: number }>(
      database.url,
      "SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1",
      [odd],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("prints SQL that creates the same schema when applied by hand", async () => {
    await query(database.url, migrationSql("printed"));
    const printed = store("printed", { migrate: false });
    await printed.migrate();
    await printed.createRun(newRun("r1"));
    expect((await claim(printed)).map((c) => c.run.id)).toEqual(["r1"]);
    const columns = (schema: string) =>
      query<{ c: string }>(
        database.url,
        `SELECT table_name || '.' || column_name || ':' || data_type AS c FROM information_schema.columns
         WHERE table_schema = $1 ORDER BY 1`,
        [schema],
      ).then((r) => r.rows.map((row) => row.c));
    await store("applied").migrate();
    expect(await columns("printed")).toEqual(await columns("applied"));
  });
});

describe("migrationSql", () => {
  it("substitutes the quoted schema name", () => {
    const text = migrationSql('my"schema');
    expect(text).toContain('CREATE TABLE "my""schema".runs');
    expect(text).not.toContain("{{schema}}");
    expect(text.trim().startsWith("BEGIN;")).toBe(true);
    expect(text.trim().endsWith("COMMIT;")).toBe(true);
  });

  it("ships its migrations with the built package", async () => {
    const built = await import("../dist/index.js");
    expect(built.migrations().map((m: { name: string }) => m.name)).toEqual([
      "0001_init",
      "0002_flow_control",
      "0003_crash_isolation_and_event_keys",
    ]);
  });
});
