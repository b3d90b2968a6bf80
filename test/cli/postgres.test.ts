import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cli,
  cliJson,
  createDatabase,
  makeProject,
  type Project,
  type RunJson,
  runReaches,
  type spawnCli,
  sql,
  startWorker,
} from "./helpers.js";

const SERVER = process.env.DATABASE_URL;

describe.runIf(SERVER)("durable on Postgres", () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let project: Project;
  let worker: ReturnType<typeof spawnCli>;

  beforeAll(async () => {
    database = await createDatabase(SERVER ?? "");
    project = await makeProject({ databaseUrl: database.url, config: 'schema: "durable_cli",' });
  });

  afterAll(async () => {
    if (worker && worker.output().code === null) worker.child.kill("SIGKILL");
    await project?.remove();
    await database?.drop();
  });

  it("applies the schema with migrate, into the config's schema", async () => {
    const migrated = await cli(project, "migrate");
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('schema "durable_cli"');
    const rows = await sql<{ version: number }>(
      database.url,
      "SELECT max(version)::int AS version FROM durable_cli.migrations",
    );
    expect(rows[0]?.version).toBeGreaterThanOrEqual(1);
  });

  it("prints the migration SQL with migrate --print, for the config's schema", async () => {
    const printed = await cli(project, "migrate", "--print");
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('CREATE TABLE IF NOT EXISTS "durable_cli".migrations');
    expect(printed.stdout).toMatch(/COMMIT;\n$/);
  });

  it("runs a worker that finishes a run started from another process", async () => {
    worker = await startWorker(project);
    const id = (await cli(project, "start", "greet", "--input", '{"name":"Grace"}', "--id", "greet:grace"))
      .stdout;
    expect(id).toBe("greet:grace\n");
    const shown = await runReaches(project, "greet:grace", ["completed"]);
    expect(shown.run.output).toBe("HELLO, GRACE!");
    const again = await cli(project, "start", "greet", "--input", '{"name":"Grace"}', "--id", "greet:grace");
    expect(again.stdout).toBe("greet:grace\n");
  });

  it("delivers an event and cancels a sleeping run", async () => {
    const waiting = (await cli(project, "start", "await-approval")).stdout.trim();
    const napping = (await cli(project, "start", "nap")).stdout.trim();
    await runReaches(project, waiting, ["suspended"]);
    expect((await cli(project, "send-event", waiting, "approved", '{"by":"ann"}')).code).toBe(0);
    expect((await runReaches(project, waiting, ["completed"])).run.output).toBe("approved by ann");
    await runReaches(project, napping, ["suspended"]);
    expect((await cli(project, "cancel", napping)).code).toBe(0);
    await runReaches(project, napping, ["cancelled"]);
  });

  it("lists runs as JSON and refuses bad input with exit 2, writing nothing", async () => {
    const before = await cliJson<RunJson[]>(project, "runs", "--json");
    expect((await cli(project, "start", "greet", "--input", "[1,")).code).toBe(2);
    expect((await cli(project, "start", "nope")).code).toBe(2);
    expect((await cli(project, "show", "nope")).code).toBe(1);
    expect(await cliJson<RunJson[]>(project, "runs", "--json")).toEqual(before);
  });

  it("stops on SIGINT with exit 0 after the running step finishes, and leaves no lease behind", async () => {
    const id = (await cli(project, "start", "slow-step", "--input", '{"ms":6000}')).stdout.trim();
    await runReaches(project, id, ["running"]);
    worker.child.kill("SIGINT");
    expect((await worker.done).code).toBe(0);
    expect((await cliJson<{ run: RunJson }>(project, "show", id, "--json")).run.status).toBe("completed");
    const leases = await sql<{ id: string; status: string }>(
      database.url,
      "SELECT id, status FROM durable_cli.runs WHERE lease_owner IS NOT NULL OR status = 'running'",
    );
    expect(leases).toEqual([]);
  });

  it("releases the lease of a step that outlasts --grace, so another worker can take the run at once", async () => {
    const impatient = await startWorker(project, "--grace", "1s");
    try {
      const id = (await cli(project, "start", "slow-step", "--input", '{"ms":120000}')).stdout.trim();
      await runReaches(project, id, ["running"]);
      impatient.child.kill("SIGINT");
      expect((await impatient.done).code).toBe(0);
      const rows = await sql<{ status: string; lease_owner: string | null }>(
        database.url,
        `SELECT status, lease_owner FROM durable_cli.runs WHERE id = '${id}'`,
      );
      expect(rows).toEqual([{ status: "pending", lease_owner: null }]);
    } finally {
      if (impatient.output().code === null) impatient.child.kill("SIGKILL");
    }
  });

  it("prunes finished runs older than a duration, keeping the rest", async () => {
    expect((await cli(project, "prune", "--older-than", "30d")).stdout).toBe(
      "pruned 0 runs finished over 30d ago\n",
    );
    const before = await cliJson<RunJson[]>(project, "runs", "--json");
    const finished = before.filter((r) => ["completed", "failed", "cancelled"].includes(r.status));
    expect(finished.length).toBeGreaterThan(0);
    const pruned = await cli(project, "prune", "--older-than", "0s");
    expect(pruned.stdout).toBe(`pruned ${finished.length} runs finished over 0s ago\n`);
    const after = await cliJson<RunJson[]>(project, "runs", "--json");
    expect(after.map((r) => r.id).sort()).toEqual(
      before
        .filter((r) => !finished.includes(r))
        .map((r) => r.id)
        .sort(),
    );
  });
});
