import { heldBy, type QueueLimit } from "../workflow/flow-control.js";

/** A due run a limited claim considers, in claim order. `queue` is the run's queue or, without one, its workflow. */
export interface FlowCandidate {
  id: string;
  status: "pending" | "suspended" | "running";
  queue: string;
  concurrencyKey: string | null;
  rateKey: string | null;
  attempts: number;
  recoveries: number;
  /** Taken over from an expired lease and not yet through an activation. */
  suspect: boolean;
  /** A suspect taken over again: claimed one per worker. */
  isolated: boolean;
}

/**
 * What the database counted for one group of candidates: running runs of a queue (per key), or first starts
 * of a queue (per key) within the rate window, newest first in microseconds since the epoch. Both are capped
 * at the limit: more is never needed to decide.
 */
export type FlowGroupCount =
  | { kind: "concurrency"; queue: string; key: string | null; running: number }
  | { kind: "rateLimit"; queue: string; key: string | null; starts: number[] };

/**
 * What becomes of a candidate: claimed (a run charged too many crashes is parked by the claim instead: see
 * packages/postgres `claimDue` and the memory store's `takeOver`), or held by a limit (and due again at
 * `wakeAtUs`).
 */
export type FlowVerdict =
  | { id: string; action: "claim" }
  | { id: string; action: "hold"; heldBy: string; wakeAtUs?: number };

/**
 * Decides, candidate by candidate, which due runs a claim may take under its queues' limits. Both stores
 * claim through it: the memory store counts its own runs, packages/postgres reads the counts in SQL, and
 * the runs this batch already took are added on top:
 * - a run that is not running yet waits while its queue (or its concurrency key, for a per-key limit) has
 *   `limit` running runs: `concurrency:<queue>[/key=<k>]`;
 * - a run that never started waits while its queue (or rate key) had `limit` first starts within the
 *   period: `rateLimit:<queue>[/key=<k>]`, due again when the oldest of those leaves the window.
 * A run the claim parks stays counted as running for the rest of the batch: never more than the limit, at worst a
 * held run waits for the next claim.
 * @example
 * const flow = new FlowLimits(request.limits, nowUs);
 * flow.addCounts(counts);
 * const verdicts = candidates.map((c) => flow.judge(c));
 */
export class FlowLimits {
  private readonly limits: ReadonlyMap<string, QueueLimit>;
  private readonly counted = new Map<string, FlowGroupCount>();
  /** Runs this batch took (or started for the first time), per group. */
  private readonly taken = new Map<string, number>();
  private readonly started = new Map<string, number>();
  private readonly full = new Set<string>();

  constructor(
    limits: readonly QueueLimit[],
    private readonly nowUs: number,
  ) {
    this.limits = new Map(limits.map((limit) => [limit.queue, limit]));
  }

  /** Takes the database's counts; the database cannot see this batch's picks, so a known group keeps its. */
  addCounts(counts: readonly FlowGroupCount[]): void {
    for (const count of counts) {
      const id = groupId(count.kind, count.queue, count.key);
      if (!this.counted.has(id)) this.counted.set(id, count);
    }
  }

  /** The `heldBy` of every group found full so far: later pages of candidates can skip their runs. */
  saturated(): string[] {
    return [...this.full];
  }

  /** The verdict on the next candidate; a claim counts towards the limits of the candidates after it. */
  judge(run: FlowCandidate): FlowVerdict {
    const hold = this.holdBack(run);
    if (hold) return { id: run.id, ...hold };
    if (run.status === "running") return { id: run.id, action: "claim" };
    for (const key of new Set([null, run.concurrencyKey])) bump(this.taken, "concurrency", run.queue, key);
    if (run.attempts === 0) {
      for (const key of new Set([null, run.rateKey])) bump(this.started, "rateLimit", run.queue, key);
    }
    return { id: run.id, action: "claim" };
  }

  private holdBack(run: FlowCandidate): Omit<Extract<FlowVerdict, { action: "hold" }>, "id"> | undefined {
    const limit = this.limits.get(run.queue);
    if (limit?.concurrency && run.status !== "running") {
      const key = limit.concurrency.perKey ? run.concurrencyKey : null;
      const id = groupId("concurrency", run.queue, key);
      const count = this.counted.get(id);
      const running = (count?.kind === "concurrency" ? count.running : 0) + (this.taken.get(id) ?? 0);
      if (running >= limit.concurrency.limit) return this.held("concurrency", run.queue, key);
    }
    if (limit?.rateLimit && run.attempts === 0) {
      const key = limit.rateLimit.perKey ? run.rateKey : null;
      const id = groupId("rateLimit", run.queue, key);
      const count = this.counted.get(id);
      const earlier = count?.kind === "rateLimit" ? count.starts : [];
      const { limit: max, periodMs } = limit.rateLimit;
      const now = this.started.get(id) ?? 0;
      if (now + earlier.length >= max) {
        // Due again when the oldest of the last `max` starts (this batch's are the newest) leaves the window.
        const oldest = now >= max ? this.nowUs : (earlier[max - 1 - now] as number);
        return { ...this.held("rateLimit", run.queue, key), wakeAtUs: Math.ceil(oldest + periodMs * 1_000) };
      }
    }
    return undefined;
  }

  private held(kind: "concurrency" | "rateLimit", queue: string, key: string | null) {
    const by = heldBy(kind, queue, key ?? undefined);
    this.full.add(by);
    return { action: "hold" as const, heldBy: by };
  }
}

function groupId(kind: string, queue: string, key: string | null): string {
  return JSON.stringify([kind, queue, key]);
}

function bump(counts: Map<string, number>, kind: string, queue: string, key: string | null): void {
  const id = groupId(kind, queue, key);
  counts.set(id, (counts.get(id) ?? 0) + 1);
}
