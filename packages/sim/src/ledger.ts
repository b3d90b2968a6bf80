import type { ClaimedRun, Lease } from "@durable/core";

interface LeaseTruth {
  epoch: number;
  owner: string;
  expiresAt: number;
  ended: boolean;
}

/** One live attempt of a step, as the worker that ran it saw it. */
export interface StepAttempt {
  runId: string;
  seq: number;
  name: string;
  attempt: number;
  worker: string;
  epoch: number;
  /** The claim of this activation had this seq journaled already. */
  journaledAtClaim: boolean;
}

/**
 * What the simulation saw, kept apart from the store: who held which lease when (the truth the store's
 * answers are checked against as they come), every step attempt and execution, every event consumed, and
 * the faults injected. Lease violations are found as they happen; the rest is checked after the run.
 * @example
 * const ledger = new Ledger(5_000); ledger.claimed("w1", claims, now);
 */
export class Ledger {
  readonly violations: string[] = [];
  readonly attempts: StepAttempt[] = [];
  /** Executions of each step body, by `runId#seq` (counted inside the bodies). */
  readonly executions = new Map<string, number>();
  readonly consumed = new Map<string, number>();
  readonly faults: string[] = [];
  private readonly leases = new Map<string, LeaseTruth>();
  /** The seqs each activation's claim read, by `runId@epoch`. */
  private readonly claimedJournals = new Map<string, Set<number>>();
  /** The epoch a worker holds for a run, by `worker/runId`. */
  private readonly held = new Map<string, number>();

  constructor(private readonly leaseMs: number) {}

  claimed(worker: string, claims: readonly ClaimedRun[], at: number): void {
    for (const c of claims) {
      const { runId, epoch } = c.lease;
      const before = this.leases.get(runId);
      if (before && !before.ended && before.expiresAt > at) {
        this.violations.push(
          `run ${runId} was claimed by ${worker} (epoch ${epoch}) at +${at} while ${before.owner} held epoch ${before.epoch} until +${before.expiresAt}`,
        );
      }
      if (before && epoch <= before.epoch) {
        this.violations.push(`run ${runId} was claimed with epoch ${epoch}, not above ${before.epoch}`);
      }
      this.leases.set(runId, { epoch, owner: worker, expiresAt: at + this.leaseMs, ended: false });
      this.claimedJournals.set(`${runId}@${epoch}`, new Set(c.journal.map((e) => e.seq)));
      this.held.set(`${worker}/${runId}`, epoch);
    }
  }

  /** A write (append, finish, renewal) the store accepted under `lease` at `at`. */
  accepted(what: string, lease: Lease, at: number): void {
    const truth = this.leases.get(lease.runId);
    const lost =
      !truth ||
      truth.epoch !== lease.epoch ||
      truth.owner !== lease.owner ||
      truth.ended ||
      truth.expiresAt <= at;
    if (lost) {
      const held = truth
        ? `epoch ${truth.epoch} of ${truth.owner}, ${truth.ended ? "ended" : `until +${truth.expiresAt}`}`
        : "no lease";
      this.violations.push(
        `${what} of run ${lease.runId} by ${lease.owner} (epoch ${lease.epoch}) was accepted at +${at} from a lost lease (${held})`,
      );
    }
  }

  renewed(lease: Lease, at: number): void {
    this.accepted("a lease renewal", lease, at);
    const truth = this.leases.get(lease.runId);
    if (truth && truth.epoch === lease.epoch) truth.expiresAt = at + this.leaseMs;
  }

  ended(lease: Lease): void {
    const truth = this.leases.get(lease.runId);
    if (truth && truth.epoch === lease.epoch) truth.ended = true;
  }

  consumedEvent(eventId: string): void {
    this.consumed.set(eventId, (this.consumed.get(eventId) ?? 0) + 1);
  }

  /** A live step attempt began on `worker`: which activation it belongs to, and whether it was journaled. */
  attemptStarted(worker: string, info: { runId: string; seq: number; name: string; attempt: number }): void {
    const epoch = this.held.get(`${worker}/${info.runId}`) ?? -1;
    const journaled = this.claimedJournals.get(`${info.runId}@${epoch}`)?.has(info.seq) ?? false;
    this.attempts.push({ ...info, worker, epoch, journaledAtClaim: journaled });
  }

  executed(runId: string, seq: number): void {
    const key = `${runId}#${seq}`;
    this.executions.set(key, (this.executions.get(key) ?? 0) + 1);
  }

  /** Steps whose attempts ran in more than one activation. */
  reexecutedSteps(): number {
    const epochs = new Map<string, Set<number>>();
    for (const a of this.attempts) {
      const key = `${a.runId}#${a.seq}`;
      epochs.set(key, (epochs.get(key) ?? new Set()).add(a.epoch));
    }
    return [...epochs.values()].filter((set) => set.size > 1).length;
  }

  fault(text: string): void {
    this.faults.push(text);
  }
}
