import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemClock, TestClock } from "@durable/core";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { pgliteStore } from "../src/index.js";
import { CLOCK_FUNCTIONS } from "../src/pglite-clock.js";
import { claim, newRun, okEntry } from "./helpers.js";
import { describeStoreContract } from "./store-contract.js";

const pglite = new PGlite();
let schemas = 0;
afterAll(() => pglite.close());

// The whole contract on a clock the store is told to follow (here the real one, as the contract's waits
// are real): the option changes where time comes from, nothing else.
describeStoreContract("pgliteStore on a clock", async () =>
  pgliteStore({ pglite, schema: `clock_contract_${++schemas}`, clock: systemClock }),
);

const at = (iso: string) => new Date(iso).getTime();

describe("pgliteStore({ clock })", () => {
  it("reads every time function from the clock, in and out of transactions", async () => {
    const own = new PGlite();
    const clock = new TestClock(new Date("2031-05-06T07:08:09.123Z"));
    const store = pgliteStore({ pglite: own, clock });
    expect((await store.now()).toISOString()).toBe("2031-05-06T07:08:09.123Z");
    clock.advance("90d");
    expect((await store.now()).toISOString()).toBe("2031-08-04T07:08:09.123Z");
    const functions = CLOCK_FUNCTIONS.map((f) => `${f}() AS ${f}`).join(", ");
    const read = async () => (await own.query<Record<string, Date>>(`SELECT ${functions}`)).rows[0];
    for (const value of Object.values((await read()) ?? {}))
      expect(value.toISOString()).toBe("2031-08-04T07:08:09.123Z");
    // A setting made in a transaction that rolls back is undone: the store sets it again.
    await own.exec("BEGIN");
    clock.advance("1h");
    await store.now();
    await own.exec("ROLLBACK");
    clock.advance("1h");
    expect((await store.now()).toISOString()).toBe("2031-08-04T09:08:09.123Z");
    await store.close();
    await own.close();
  });

  it("stamps runs, claims, leases and journal entries with the clock's time", async () => {
    const clock = new TestClock(new Date("2031-01-01T00:00:00.000Z"));
    const store = pgliteStore({ clock });
    const { run } = await store.createRun(newRun("r1", { delayMs: 60_000 }));
    expect(run.createdAt.toISOString()).toBe("2031-01-01T00:00:00.000Z");
    expect(run.wakeAt?.toISOString()).toBe("2031-01-01T00:01:00.000Z");
    expect(await claim(store)).toHaveLength(0);
    clock.advance("1m");
    const [claimed] = await claim(store, { leaseMs: 30_000 });
    expect(claimed?.now.getTime()).toBe(at("2031-01-01T00:01:00.000Z"));
    expect(claimed?.run.leaseExpiresAt?.toISOString()).toBe("2031-01-01T00:01:30.000Z");
    if (!claimed) return;
    clock.advance("5s");
    const completedAt = await store.appendJournal(claimed.lease, okEntry(0));
    expect(completedAt.toISOString()).toBe("2031-01-01T00:01:05.000Z");
    await store.close();
  });
});

describe("a run due months ahead", () => {
  it("is announced once when due, not as a wake-up every millisecond until then", async () => {
    const store = pgliteStore({ pglite, schema: `clock_far_${++schemas}`, clock: new TestClock() });
    let wakes = 0;
    const stop = store.subscribe((n) => {
      if (n.type === "wake") wakes++;
    });
    await store.createRun(newRun("far", { delayMs: 90 * 86_400_000 }));
    // A timer past 2^31 - 1 ms fired at once and rearmed itself: hundreds of wake-ups a second.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(wakes).toBeLessThanOrEqual(1);
    stop();
    await store.close();
  });
});

// Postgres searches pg_catalog first unless the search path names it, and keywords such as CURRENT_TIMESTAMP
// are not functions at all: a statement that reads time any other way would keep the database's clock.
describe("the store's statements", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const sources = [
    ...readdirSync(join(root, "src"))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "pglite-clock.ts")
      .map((f) => join(root, "src", f)),
    ...readdirSync(join(root, "migrations")).map((f) => join(root, "migrations", f)),
  ];

  it("read time only through the functions the clock shadows", () => {
    const found: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /\b(current_timestamp|localtimestamp|current_date|current_time|localtime|pg_catalog\.\w+)\b/gi,
      )) {
        found.push(`${file}: ${m[0]}`);
      }
      for (const m of text.matchAll(/\b(\w*timestamp|now)\(\)/gi)) {
        if (!CLOCK_FUNCTIONS.includes((m[1] as string).toLowerCase())) found.push(`${file}: ${m[0]}`);
      }
    }
    expect(found).toEqual([]);
  });
});
