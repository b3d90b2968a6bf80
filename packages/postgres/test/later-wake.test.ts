import { type Store, silentLogger } from "@durable/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteStore, postgresStore } from "../src/index.js";
import { parseNotification } from "../src/notifications.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";
import { eventually, listen, newRun, sleep } from "./helpers.js";

describe("parseNotification", () => {
  it("reads wake, wake later, and the run notifications whose ids hold colons", () => {
    expect(parseNotification("wake")).toEqual({ type: "wake" });
    expect(parseNotification("wake:250")).toEqual({ type: "wake-later", inMs: 250 });
    expect(parseNotification("wake:soon")).toBeUndefined();
    expect(parseNotification("finished:order:42")).toEqual({ type: "finished", runId: "order:42" });
    expect(parseNotification("unknown:x")).toBeUndefined();
  });
});

function describeLaterWakes(name: string, make: () => Store): void {
  describe(`wake-ups announced ahead on ${name}`, () => {
    it("announces a run that starts soon with a wake when it is due, not at once", async () => {
      const store = make();
      try {
        const rec = await listen(store);
        const created = Date.now();
        const startAt = new Date((await store.now()).getTime() + 400);
        await store.createRun(newRun("soon", { startAt }));
        await sleep(150);
        expect(rec.seen.filter((n) => n.type === "wake")).toEqual([]);
        await rec.waitFor((n) => n.type === "wake");
        expect(Date.now() - created).toBeGreaterThanOrEqual(350);
        rec.unsubscribe();
      } finally {
        await store.close();
      }
    });

    it("announces a debounced run again at its new due time when a later start pushes it", async () => {
      const store = make();
      try {
        const rec = await listen(store);
        const wakes: number[] = [];
        const stop = store.subscribe((n) => n.type === "wake" && wakes.push(Date.now()));
        const debounce = { key: "doc", periodMs: 300 };
        await store.createRun(newRun("d1", { debounce }));
        await sleep(200);
        const pushed = Date.now();
        await store.createRun(newRun("d2", { debounce }));
        await eventually(() => wakes.some((at) => at - pushed >= 250), 2_000);
        stop();
        rec.unsubscribe();
      } finally {
        await store.close();
      }
    });
  });
}

describeLaterWakes("pgliteStore", () => pgliteStore());

describe.runIf(DATABASE_URL)("on Postgres", () => {
  let database: TestDatabase;
  let schemas = 0;
  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
  });
  afterAll(() => database.drop());
  describeLaterWakes("postgresStore", () =>
    postgresStore({ connectionString: database.url, schema: `later_${++schemas}`, logger: silentLogger }),
  );
});
