import { encode, type Lease, type Store, silentLogger } from "@durable/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";
import { claim, eventually, newRun } from "./helpers.js";

/**
 * Lost wake-ups (issue 10, G1): an event, a finished child or a cancellation racing a claim or a suspend of
 * the same run. Each test forces one interleaving: a trigger installed by the test makes one statement wait
 * on an advisory lock the test holds (after the statement took its snapshot), the other statements run,
 * then the test lets it go. Nothing waits on time.
 */
describe.runIf(DATABASE_URL)("Postgres: no wake-up lost to a concurrent claim or suspend", () => {
  let database: TestDatabase;
  let admin: pg.Client;
  const stores: Store[] = [];
  const PAUSE = 4242;

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await admin.end();
    await database.drop();
  });

  /** A fresh schema, with a trigger on `table` that pauses the statement firing it when `when` holds. */
  const setup = async (schema: string, table: "runs" | "events", event: string, when: string) => {
    const store = postgresStore({ connectionString: database.url, schema, logger: silentLogger });
    stores.push(store);
    await store.migrate();
    await admin.query(`
      CREATE FUNCTION "${schema}".pause() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(${PAUSE}); RETURN NEW; END $$;
      CREATE TRIGGER pause BEFORE ${event} ON "${schema}".${table}
        FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION "${schema}".pause();`);
    return store;
  };
  const hold = () => admin.query("SELECT pg_advisory_lock($1)", [PAUSE]);
  const letGo = () => admin.query("SELECT pg_advisory_unlock($1)", [PAUSE]);
  /** Until a statement waits on the pause lock (it has taken its snapshot and fired the trigger). */
  const paused = () =>
    eventually(async () => {
      const { rows } = await admin.query(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
        [PAUSE],
      );
      return rows.length > 0;
    });
  /** Until a statement whose text contains `text` waits for a row lock. */
  const waitsForRow = (text: string) =>
    eventually(async () => {
      const { rows } = await admin.query(
        "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'transactionid' AND query LIKE $1",
        [`%${text}%`],
      );
      return rows.length > 0;
    });
  const settled = (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    return () => done;
  };

  /** r1 suspended on a timer that is due now, waiting for no event. */
  const sleepingRun = async (store: Store): Promise<void> => {
    await store.createRun(newRun("r1"));
    const [claimed] = await claim(store);
    if (!claimed) throw new Error("setup: r1 not claimed");
    await store.finishRun(claimed.lease, {
      status: "suspended",
      wakeAt: null,
      retryState: {},
      waitingFor: [],
    });
    await store.wakeRun("r1");
  };
  const suspendFor = (store: Store, lease: Lease, name: string) =>
    store.finishRun(lease, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [name] });

  it("wakes a run whose claim and suspend both committed while an older event statement was in flight", async () => {
    const store = await setup("ev_old", "events", "INSERT", "NEW.name = 'go'");
    await sleepingRun(store);
    await hold();
    const sent = store.sendEvent("r1", "go", encode(1, "payload"));
    await paused();
    const [claimed] = await claim(store);
    expect(claimed?.events).toEqual([]);
    if (!claimed) throw new Error("r1 not claimed");
    await suspendFor(store, claimed.lease, "go");
    await letGo();
    await sent;
    const [again] = await claim(store);
    expect(again?.run.id).toBe("r1");
    expect(again?.events.map((e) => e.name)).toEqual(["go"]);
  });

  it("wakes a run whose claim read its events before an event committed that was sent during the claim", async () => {
    const store = await setup(
      "ev_claim",
      "runs",
      "UPDATE",
      "OLD.status = 'suspended' AND NEW.status = 'running'",
    );
    await sleepingRun(store);
    await hold();
    const claiming = claim(store);
    await paused();
    const sent = store.sendEvent("r1", "go", encode(1, "payload"));
    const sentDone = settled(sent);
    // The event either waits for the claim's row lock (then sees the run running) or has gone by.
    await Promise.race([waitsForRow("INSERT INTO"), eventually(sentDone)]);
    await letGo();
    const [claimed] = await claiming;
    await sent;
    expect(claimed?.events).toEqual([]);
    if (!claimed) throw new Error("r1 not claimed");
    await suspendFor(store, claimed.lease, "go");
    const [again] = await claim(store);
    expect(again?.run.id).toBe("r1");
    expect(again?.events.map((e) => e.name)).toEqual(["go"]);
  });

  it("wakes a parent whose claim committed while the statement finishing its child was in flight", async () => {
    const store = await setup("child", "runs", "UPDATE", "OLD.id = 'kid' AND NEW.status = 'completed'");
    await store.createRun(newRun("parent"));
    const [parent] = await claim(store);
    await store.createRun(newRun("kid", { workflow: "k", parentId: "parent" }));
    const [kid] = await claim(store, { workflows: ["k"] });
    if (!parent || !kid) throw new Error("setup");
    // A released parent is pending: due now, and taken by the next claim.
    await store.releaseRuns([parent.lease]);
    await hold();
    const finishing = store.finishRun(kid.lease, { status: "completed", output: encode(1, "output") });
    await paused();
    const [again] = await claim(store);
    if (!again) throw new Error("parent not claimed");
    expect((await store.getRun("kid"))?.status).toBe("running");
    await store.finishRun(again.lease, { status: "suspended", wakeAt: null, retryState: {}, waitingFor: [] });
    await letGo();
    await finishing;
    expect((await claim(store)).map((c) => c.run.id)).toEqual(["parent"]);
  });

  it("wakes a run cancelled while its suspend was committing", async () => {
    const store = await setup(
      "cancel",
      "runs",
      "UPDATE",
      "OLD.status = 'running' AND NEW.status = 'suspended'",
    );
    await store.createRun(newRun("r1"));
    const [claimed] = await claim(store);
    if (!claimed) throw new Error("setup");
    await hold();
    const suspending = suspendFor(store, claimed.lease, "go");
    await paused();
    const cancelling = store.requestCancel("r1", "customer left");
    await Promise.race([waitsForRow("cancel_reason"), eventually(settled(cancelling))]);
    await letGo();
    await suspending;
    await cancelling;
    const [again] = await claim(store);
    expect(again?.run.cancelReason).toBe("customer left");
  });
});
