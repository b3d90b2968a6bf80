import { encode, type Lease, type NewJournalEntry } from "@durable/core";
import type { BenchDatabase } from "../bench-database.js";

const RUNS = 1_000;
const ENTRIES = 5;

/** Calls per second of the two hot-path writes, each alone, from `lanes` concurrent callers. */
export interface StoreCallsResult {
  lanes: number;
  appendsPerSecond: number;
  finishesPerSecond: number;
}

function entry(seq: number): NewJournalEntry {
  return {
    kind: "call",
    seq,
    name: `step-${seq}`,
    outcome: "ok",
    result: encode(seq, "result"),
    order: seq,
    attempts: 1,
    startedAt: new Date(),
  } as NewJournalEntry;
}

async function inLanes(lanes: number, count: number, call: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * The store without the engine: 1,000 runs are created and claimed, then `appendJournal` (5 entries a run)
 * and `finishRun` (completed, which NOTIFYs) are timed apart, `lanes` calls in flight.
 * @example
 * const { appendsPerSecond } = await measureStoreCalls(db, 10);
 */
export async function measureStoreCalls(db: BenchDatabase, lanes: number): Promise<StoreCallsResult> {
  await inLanes(16, RUNS, (n) =>
    db.clientStore.createRun({ id: `r-${n}`, workflow: "w", version: "1", input: encode(null, "input") }),
  );
  const leases: Lease[] = [];
  while (leases.length < RUNS) {
    const claimed = await db.store.claimRuns({
      owner: "bench",
      limit: RUNS,
      leaseMs: 600_000,
      workflows: ["w"],
    });
    leases.push(...claimed.map((c) => c.lease));
  }
  const lease = (n: number) => leases[n % RUNS] as Lease;
  const appendsPerSecond = await inLanes(lanes, RUNS * ENTRIES, (n) =>
    db.store.appendJournal(lease(n), entry(Math.floor(n / RUNS))),
  );
  const finishesPerSecond = await inLanes(lanes, RUNS, (n) =>
    db.store.finishRun(lease(n), { status: "completed", output: encode(n, "output") }),
  );
  return { lanes, appendsPerSecond, finishesPerSecond };
}
