import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { silentLogger } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProcessDatabase, type ProcessDatabase } from "../support/databases.js";
import { spawnReady } from "../support/spawn-script.js";

const WORKER = fileURLToPath(new URL("./scheduled-worker.ts", import.meta.url));

describe.runIf(process.env.DATABASE_URL)("a schedule on three worker processes", () => {
  let database: ProcessDatabase;
  let admin: pg.Client;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createProcessDatabase();
    await postgresStore({ connectionString: database.url, listen: false, logger: silentLogger }).migrate();
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await admin?.end();
    await database?.drop();
  });

  it("starts one run per tick, each once, whichever worker gets there first", async () => {
    workers.push(...(await Promise.all([1, 2, 3].map(() => spawnReady(WORKER, database.url)))));
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once("exit", resolve))));
    const { rows } = await admin.query<{ id: string; tick: string; status: string; pid: number | null }>(
      `SELECT r.id, r.tags->>'durable.tick' AS tick, r.status,
              (SELECT (j.result->>'json')::int FROM durable.journal j WHERE j.run_id = r.id AND j.seq = 0) AS pid
         FROM durable.runs r ORDER BY tick`,
    );
    const ticks = rows.map((r) => Date.parse(r.tick));
    const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
    console.log(
      `schedule every second on 3 workers: runs=${rows.length} distinct ticks=${new Set(ticks).size} executed by ${new Set(rows.map((r) => r.pid)).size} workers, gaps=${gaps.join(",")}ms`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(rows.length);
    expect(rows.every((r) => r.id === `every-second@${r.tick}`)).toBe(true);
    expect(gaps.every((g) => g === 1_000)).toBe(true);
  });
});
