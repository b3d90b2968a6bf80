import {
  encode,
  type Lease,
  type NewJournalEntry,
  type NewRun,
  type QueueLimit,
  type Store,
  type StoreNotification,
} from "@durable/core";

/** A new run of workflow `w` (or as overridden), due now. */
export function newRun(id: string, overrides: Partial<NewRun> = {}): NewRun {
  return { id, workflow: "w", version: "1", input: encode({ id }, "input"), ...overrides };
}

/** A journal entry of a step that returned `value`. */
export function okEntry(
  seq: number,
  value: unknown = seq,
  overrides: Partial<NewJournalEntry> = {},
): NewJournalEntry {
  return {
    kind: "call",
    seq,
    name: `step-${seq}`,
    order: seq,
    attempts: 1,
    startedAt: new Date(),
    outcome: "ok",
    result: encode(value, "result"),
    ...overrides,
  } as NewJournalEntry;
}

/** A journal entry of a step that failed. */
export function errorEntry(seq: number, order = seq): NewJournalEntry {
  return {
    kind: "call",
    seq,
    name: `step-${seq}`,
    order,
    attempts: 3,
    startedAt: new Date(),
    outcome: "error",
    error: { name: "Error", message: `step ${seq} failed` },
  };
}

/** Claims runs of `workflows` (default `w`) for `owner` (default `o`). */
export function claim(
  store: Store,
  options: {
    workflows?: string[];
    owner?: string;
    limit?: number;
    leaseMs?: number;
    maxRecoveries?: number;
    suspects?: number;
    recoveryBackoffMs?: number;
    limits?: QueueLimit[];
  } = {},
) {
  const request = {
    owner: options.owner ?? "o",
    limit: options.limit ?? 10,
    leaseMs: options.leaseMs ?? 60_000,
    workflows: options.workflows ?? ["w"],
    ...(options.maxRecoveries !== undefined ? { maxRecoveries: options.maxRecoveries } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.suspects !== undefined ? { suspects: options.suspects } : {}),
    ...(options.recoveryBackoffMs !== undefined ? { recoveryBackoffMs: options.recoveryBackoffMs } : {}),
  };
  return store.claimRuns(request);
}

/** Creates a run and claims it; returns its lease. */
export async function running(store: Store, id: string, overrides: Partial<NewRun> = {}): Promise<Lease> {
  const run = newRun(id, { workflow: `wf-${id}`, ...overrides });
  await store.createRun(run);
  const [claimed] = await claim(store, { workflows: [run.workflow] });
  if (!claimed) throw new Error(`could not claim ${id}`);
  return claimed.lease;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** What a subscriber heard. */
export interface Recorder {
  seen: StoreNotification[];
  unsubscribe: () => void;
  waitFor(predicate: (n: StoreNotification) => boolean): Promise<void>;
}

/**
 * Subscribes and waits until notifications really arrive (a LISTEN connection opens asynchronously): a
 * probe run of workflow `probe` is claimed and woken until its `event` is heard.
 */
export async function listen(store: Store): Promise<Recorder> {
  const seen: StoreNotification[] = [];
  const unsubscribe = store.subscribe((n) => seen.push(n));
  await store.createRun(newRun("probe", { workflow: "probe" }));
  await claim(store, { workflows: ["probe"], owner: "probe" });
  await eventually(async () => {
    await store.wakeRun("probe");
    await sleep(20);
    return seen.some((n) => n.type === "event" && n.runId === "probe");
  });
  await sleep(50);
  seen.length = 0;
  return {
    seen,
    unsubscribe,
    waitFor: (predicate) => eventually(() => seen.some(predicate)),
  };
}
