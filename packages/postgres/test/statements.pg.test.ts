import { encode, type Store, silentLogger } from "@durable/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";
import { claim, newRun, okEntry } from "./helpers.js";

// The hot path's statement budget: the benchmark counts round trips. Each call is one statement, and the starts,
// appends and finishes made in one turn of the event loop share one (group commit).
describe.runIf(DATABASE_URL)("statements per store call on Postgres", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: Store;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const text = typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text;
        statements.push(text);
        return query(...args);
      };
    });
    store = postgresStore({ pool, listen: false, logger: silentLogger });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  const count = async (fn: () => Promise<unknown>) => {
    statements.length = 0;
    await fn();
    return statements.length;
  };

  it("spends one statement on each call of a run's life", async () => {
    expect(await count(() => store.createRun(newRun("r1")))).toBe(1);
    expect(await count(() => store.createRun(newRun("r2")))).toBe(1);
    expect(await count(() => store.sendEvent("r1", "e", encode(1, "payload")))).toBe(1);
    let leases: Awaited<ReturnType<typeof claim>> = [];
    expect(
      await count(async () => {
        leases = await claim(store);
      }),
    ).toBe(1);
    expect(leases.map((c) => c.events.length)).toEqual([1, 0]);
    const [first, second] = leases.map((c) => c.lease);
    if (!first || !second) throw new Error("not claimed");
    expect(await count(() => store.appendJournal(first, okEntry(0)))).toBe(1);
    expect(await count(() => store.renewLeases("o", [first, second], 60_000))).toBe(1);
    expect(
      await count(() =>
        store.finishRun(first, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] }),
      ),
    ).toBe(1);
    expect(await count(() => store.releaseRuns([second]))).toBe(1);
    expect(await count(() => store.wakeRun("r1"))).toBe(1);
    expect(await count(() => store.requestCancel("r2", "x"))).toBe(1);
    expect(await count(() => store.nextWakeAt(["w"]))).toBe(1);
    expect(await count(() => store.dueStats?.(["w"]) ?? Promise.resolve())).toBe(1);
  });

  it("writes the starts, appends and finishes of many runs in one turn of the event loop in one statement each (group commit)", async () => {
    const runs = Array.from({ length: 20 }, (_, i) => newRun(`g${i}`, { workflow: "group" }));
    expect(await count(() => Promise.all(runs.map((run) => store.createRun(run))))).toBe(1);
    const claimed = await claim(store, { workflows: ["group"], limit: 20 });
    expect(claimed).toHaveLength(20);
    expect(await count(() => Promise.all(claimed.map((c) => store.appendJournal(c.lease, okEntry(0)))))).toBe(
      1,
    );
    const stale = { ...(claimed[0]?.lease ?? { runId: "", owner: "" }), epoch: 99 };
    const outcomes = await Promise.allSettled([
      ...claimed.slice(1).map((c) => store.appendJournal(c.lease, okEntry(1))),
      store.appendJournal(stale, okEntry(1)),
      store.appendJournal(claimed[1]?.lease ?? stale, okEntry(0)),
    ]);
    expect(outcomes.slice(0, 19).every((o) => o.status === "fulfilled")).toBe(true);
    expect(outcomes.slice(19).map((o) => o.status === "rejected" && (o.reason as Error).name)).toEqual([
      "LeaseLostError",
      "DuplicateSeqError",
    ]);
    const finishAll = () =>
      Promise.all(
        claimed.map((c, i) =>
          i % 2 === 0
            ? store.finishRun(c.lease, { status: "completed", output: encode(i, "output") })
            : store.finishRun(c.lease, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] }),
        ),
      );
    expect(await count(finishAll)).toBe(1);
    expect((await store.listRuns({ workflow: "group", status: "completed", limit: 50 })).length).toBe(10);
  });

  it("spends one statement on a debounced start, whether it creates the run or replaces its input", async () => {
    const debounce = { key: "k", periodMs: 60_000 };
    expect(await count(() => store.createRun(newRun("d1", { workflow: "d", debounce })))).toBe(1);
    expect(await count(() => store.createRun(newRun("d2", { workflow: "d", debounce })))).toBe(1);
  });

  it("claims without limits in one statement that takes no lock; with limits in one short transaction", async () => {
    await store.createRun(newRun("q1", { workflow: "lim", queue: "q" }));
    await store.createRun(newRun("q2", { workflow: "lim", queue: "q" }));
    const plain = await count(() => claim(store, { workflows: ["nothing"] }));
    expect(plain).toBe(1);
    expect(statements.join("\n")).not.toContain("advisory");
    const limits = [{ queue: "q", concurrency: { limit: 1, perKey: false } }];
    expect(await count(() => claim(store, { workflows: ["lim"], limits }))).toBe(5);
    expect(statements[0]).toMatch(/^begin/i);
    expect(statements[1]).toContain("pg_advisory_xact_lock");
    expect(statements.at(-1)).toMatch(/^commit/i);
  });
});
