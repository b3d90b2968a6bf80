import {
  type AnyWorkflow,
  formatDuration,
  type QueueLimit,
  queueLimits,
  type RunRecord,
  type Store,
} from "@durable/core";

/** The most runs of each status the page reads. */
export const WORKERS_SCAN = 1000;

/** A lease a worker holds on a running run. */
export interface LeaseRow {
  runId: string;
  workflow: string;
  queue: string;
  owner: string;
  epoch: number;
  expiresAt?: Date;
  /** The lease ran out: its worker stopped heartbeating (crashed, paused); any worker may claim the run. */
  expired: boolean;
  startedAt?: Date;
  recoveries: number;
}

/** A worker, as seen through the leases it holds. */
export interface WorkerRow {
  owner: string;
  leases: LeaseRow[];
  /** Some lease is still being renewed. */
  live: boolean;
  /** The latest lease expiry: each heartbeat moves it forward. */
  lastExpiry?: Date;
}

/** A queue's runs by state, and its limits. */
export interface QueueRow {
  queue: string;
  running: number;
  /** Pending and due now (waiting for a worker or a limit). */
  due: number;
  /** Pending, due later (a delayed start, a retry, a debounce). */
  later: number;
  held: number;
  suspended: number;
  limits: string[];
}

/** Everything the workers and queues page shows. */
export interface WorkersView {
  now: Date;
  workers: WorkerRow[];
  queues: QueueRow[];
  /** Pending runs a flow-control limit holds back, with the limit. */
  held: RunRecord[];
  /** Statuses whose runs were more than `WORKERS_SCAN` (the figures count only that many). */
  truncated: string[];
}

function limitWords(limit: QueueLimit | undefined): string[] {
  if (!limit) return [];
  const words: string[] = [];
  if (limit.concurrency)
    words.push(`concurrency ${limit.concurrency.limit}${limit.concurrency.perKey ? " per key" : ""}`);
  if (limit.rateLimit)
    words.push(
      `rate ${limit.rateLimit.limit} per ${formatDuration(limit.rateLimit.periodMs)}${limit.rateLimit.perKey ? " per key" : ""}`,
    );
  return words;
}

function safeLimits(workflows: readonly AnyWorkflow[]): Map<string, QueueLimit> {
  try {
    return new Map(queueLimits(workflows).map((l) => [l.queue, l]));
  } catch {
    // Conflicting limits are the worker's error to report; the page shows the queues without them.
    return new Map();
  }
}

function leaseOf(run: RunRecord, now: Date): LeaseRow {
  const row: LeaseRow = {
    runId: run.id,
    workflow: run.workflow,
    queue: run.queue ?? run.workflow,
    owner: run.leaseOwner ?? "(none)",
    epoch: run.leaseEpoch,
    expired: run.leaseExpiresAt === undefined || run.leaseExpiresAt <= now,
    recoveries: run.recoveries,
  };
  if (run.leaseExpiresAt) row.expiresAt = run.leaseExpiresAt;
  if (run.startedAt) row.startedAt = run.startedAt;
  return row;
}

function groupWorkers(leases: LeaseRow[]): WorkerRow[] {
  const byOwner = new Map<string, LeaseRow[]>();
  for (const lease of leases) byOwner.set(lease.owner, [...(byOwner.get(lease.owner) ?? []), lease]);
  return [...byOwner.entries()]
    .map(([owner, held]) => {
      const expiries = held.flatMap((l) => (l.expiresAt ? [l.expiresAt.getTime()] : []));
      const row: WorkerRow = { owner, leases: held, live: held.some((l) => !l.expired) };
      if (expiries.length > 0) row.lastExpiry = new Date(Math.max(...expiries));
      return row;
    })
    .sort((a, b) => Number(b.live) - Number(a.live) || a.owner.localeCompare(b.owner));
}

function countQueues(runs: RunRecord[], now: Date, limits: Map<string, QueueLimit>): QueueRow[] {
  const queues = new Map<string, QueueRow>();
  const row = (queue: string): QueueRow => {
    let q = queues.get(queue);
    if (!q) {
      q = {
        queue,
        running: 0,
        due: 0,
        later: 0,
        held: 0,
        suspended: 0,
        limits: limitWords(limits.get(queue)),
      };
      queues.set(queue, q);
    }
    return q;
  };
  for (const name of limits.keys()) row(name);
  for (const run of runs) {
    const q = row(run.queue ?? run.workflow);
    if (run.status === "running") q.running++;
    else if (run.status === "suspended") q.suspended++;
    else if (run.heldBy) q.held++;
    else if (!run.wakeAt || run.wakeAt <= now) q.due++;
    else q.later++;
  }
  return [...queues.values()].sort((a, b) => a.queue.localeCompare(b.queue));
}

/**
 * Reads workers, leases and queues from the runs table: a worker is known by the leases it holds (owner,
 * expiry, epoch of each running run), so a worker that holds nothing is not seen; a lease past its expiry
 * belongs to a worker that stopped heartbeating. Queues count the runs not finished; held runs say which
 * limit holds them.
 * @example
 * const view = await loadWorkers(store, workflows);
 */
export async function loadWorkers(store: Store, workflows: readonly AnyWorkflow[]): Promise<WorkersView> {
  const [now, running, pending, suspended] = await Promise.all([
    store.now(),
    store.listRuns({ status: "running", limit: WORKERS_SCAN }),
    store.listRuns({ status: "pending", limit: WORKERS_SCAN }),
    store.listRuns({ status: "suspended", limit: WORKERS_SCAN }),
  ]);
  const truncated = (
    [
      ["running", running],
      ["pending", pending],
      ["suspended", suspended],
    ] as const
  )
    .filter(([, list]) => list.length >= WORKERS_SCAN)
    .map(([status]) => status);
  const leases = running.map((r) => leaseOf(r, now));
  return {
    now,
    workers: groupWorkers(leases),
    queues: countQueues([...running, ...pending, ...suspended], now, safeLimits(workflows)),
    held: pending.filter((r) => r.heldBy !== undefined),
    truncated,
  };
}
