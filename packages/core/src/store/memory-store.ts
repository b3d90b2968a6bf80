import { type Clock, systemClock } from "../runtime/clock.js";
import { DuplicateSeqError, EventConsumedError } from "../workflow/errors.js";
import type { JournalEntry, NewJournalEntry } from "../workflow/journal.js";
import { cancelledError } from "../workflow/run-messages.js";
import { claimRuns, dueStats, fenced, nextWakeAt, releaseRuns, renewLeases } from "./memory-claims.js";
import { clone, lastFailureOrder, type MemoryState, unconsumed } from "./memory-state.js";
import type {
  ClaimedRun,
  ClaimRequest,
  EventRecord,
  Lease,
  LeaseRenewal,
  NewRun,
  RunChange,
  RunFilter,
  RunOutcome,
  RunRecord,
  Store,
  StoreNotification,
} from "./store.js";
import { TERMINAL_STATUSES } from "./store.js";

/** Options of `memoryStore`. */
export interface MemoryStoreOptions {
  /** The clock that judges what is due (a `TestClock` in tests). */
  clock?: Clock;
}

/**
 * A store in this process's memory, for unit and property tests. Same contract as the Postgres stores.
 * @example
 * const store = memoryStore({ clock: new TestClock() });
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  return new MemoryStore(options.clock ?? systemClock);
}

class MemoryStore implements Store {
  readonly kind = "memory";
  private readonly state: MemoryState;
  private eventSeq = 0;
  private readonly listeners = new Set<(n: StoreNotification) => void>();
  private createdSeq = 0;
  private readonly createdOrder = new Map<string, number>();

  constructor(clock: Clock) {
    this.state = {
      clock,
      runs: new Map(),
      journals: new Map(),
      events: new Map(),
      wakePending: new Set(),
      crashMarks: new Map(),
      recoveryDelays: new Map(),
    };
  }

  async migrate(): Promise<void> {}
  async close(): Promise<void> {
    this.listeners.clear();
  }

  async now(): Promise<Date> {
    return new Date(this.state.clock.now());
  }

  async createRun(input: NewRun): Promise<{ run: RunRecord; created: boolean }> {
    const result = this.insert(input);
    if (result.created) this.notify({ type: "wake" });
    return result;
  }

  private insert(input: NewRun, journal: JournalEntry[] = []): { run: RunRecord; created: boolean } {
    const existing = this.state.runs.get(input.id);
    if (existing) return { run: clone(existing), created: false };
    const now = this.state.clock.now();
    if (input.debounce) {
      const key = input.debounce.key;
      const waiting = [...this.state.runs.values()].find(
        (r) =>
          r.workflow === input.workflow &&
          r.debounceKey === key &&
          r.status === "pending" &&
          r.attempts === 0,
      );
      if (waiting) {
        waiting.input = input.input;
        waiting.wakeAt = new Date(now + input.debounce.periodMs);
        waiting.updatedAt = new Date(now);
        return { run: clone(waiting), created: false };
      }
    }
    const wakeAt = input.debounce
      ? now + input.debounce.periodMs
      : input.startAt
        ? input.startAt.getTime()
        : now + (input.delayMs ?? 0);
    const run: RunRecord = {
      id: input.id,
      workflow: input.workflow,
      version: input.version,
      status: "pending",
      input: input.input,
      tags: { ...(input.tags ?? {}) },
      wakeAt: new Date(wakeAt),
      leaseEpoch: 0,
      attempts: 0,
      recoveries: 0,
      retryState: {},
      priority: input.priority ?? 0,
      waitingFor: [],
      createdAt: new Date(now),
      updatedAt: new Date(now),
    };
    if (input.parentId !== undefined) run.parentId = input.parentId;
    if (input.queue !== undefined) run.queue = input.queue;
    if (input.concurrencyKey !== undefined) run.concurrencyKey = input.concurrencyKey;
    if (input.rateKey !== undefined) run.rateKey = input.rateKey;
    if (input.debounce) run.debounceKey = input.debounce.key;
    if (input.continuedFrom !== undefined) run.continuedFrom = input.continuedFrom;
    this.state.runs.set(run.id, run);
    this.createdOrder.set(run.id, this.createdSeq++);
    this.state.journals.set(run.id, journal);
    return { run: clone(run), created: true };
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const run = this.state.runs.get(id);
    return run ? clone(run) : undefined;
  }

  async listRuns(filter: RunFilter): Promise<RunRecord[]> {
    const statuses = filter.status === undefined ? undefined : [filter.status].flat();
    return [...this.state.runs.values()]
      .filter(
        (r) =>
          (!statuses || statuses.includes(r.status)) &&
          (filter.workflow === undefined || r.workflow === filter.workflow) &&
          (filter.parentId === undefined || r.parentId === filter.parentId) &&
          (filter.before === undefined || r.createdAt < filter.before) &&
          Object.entries(filter.tags ?? {}).every(([k, v]) => r.tags[k] === v),
      )
      .sort(
        (a, b) =>
          b.createdAt.getTime() - a.createdAt.getTime() ||
          (this.createdOrder.get(b.id) ?? 0) - (this.createdOrder.get(a.id) ?? 0),
      )
      .slice(0, filter.limit)
      .map(clone);
  }

  async readJournal(runId: string): Promise<JournalEntry[]> {
    return (this.state.journals.get(runId) ?? []).map(clone).sort((a, b) => a.seq - b.seq);
  }

  async claimRuns(request: ClaimRequest): Promise<ClaimedRun[]> {
    return claimRuns(this.state, request);
  }

  async renewLeases(owner: string, leases: readonly Lease[], leaseMs: number): Promise<LeaseRenewal> {
    return renewLeases(this.state, owner, leases, leaseMs);
  }

  async appendJournal(
    lease: Lease,
    entry: NewJournalEntry,
    options?: { consumeEvent?: string },
  ): Promise<Date> {
    fenced(this.state, lease);
    const journal = this.state.journals.get(lease.runId) ?? [];
    if (journal.some((e) => e.seq === entry.seq)) {
      throw new DuplicateSeqError(lease.runId, entry.seq);
    }
    if (options?.consumeEvent !== undefined) {
      const event = this.state.events.get(lease.runId)?.find((e) => e.id === options.consumeEvent);
      if (!event || event.consumedSeq !== undefined) {
        throw new EventConsumedError(lease.runId, options.consumeEvent);
      }
      event.consumedSeq = entry.seq;
    }
    const completedAt = new Date(this.state.clock.now());
    journal.push(clone({ ...entry, runId: lease.runId, completedAt } as JournalEntry));
    this.state.journals.set(lease.runId, journal);
    return completedAt;
  }

  async finishRun(lease: Lease, outcome: RunOutcome): Promise<void> {
    const run = fenced(this.state, lease);
    const now = this.state.clock.now();
    delete run.leaseOwner;
    delete run.leaseExpiresAt;
    delete run.suspect;
    delete run.isolated;
    this.state.recoveryDelays.delete(run.id);
    run.updatedAt = new Date(now);
    if (outcome.status === "continued") {
      run.status = "completed";
      run.continuedAs = outcome.next.id;
      run.finishedAt = new Date(now);
      run.retryState = {};
      await this.createRun({ ...outcome.next, continuedFrom: run.id });
      this.finished(run);
      return;
    }
    run.status = outcome.status;
    if (outcome.status === "suspended") {
      run.retryState = clone(outcome.retryState);
      run.waitingFor = [...outcome.waitingFor];
      const woken =
        this.state.wakePending.delete(run.id) ||
        run.cancelReason !== undefined ||
        unconsumed(this.state, run.id).some((e) => run.waitingFor.includes(e.name));
      const wake = woken ? now : outcome.wakeAt?.getTime();
      if (wake === undefined) delete run.wakeAt;
      else run.wakeAt = new Date(wake);
      if (wake !== undefined) this.notify({ type: "wake" });
      this.freeSlot(run);
      return;
    }
    if ("output" in outcome && outcome.output !== undefined) run.output = outcome.output;
    if ("error" in outcome && outcome.error !== undefined) run.error = outcome.error;
    if (outcome.status !== "blocked") {
      run.finishedAt = new Date(now);
      delete run.cancelReason;
    }
    run.retryState = {};
    this.finished(run);
  }

  private finished(run: RunRecord): void {
    this.notify({ type: "finished", runId: run.id });
    this.freeSlot(run);
    if (run.parentId !== undefined) this.poke(run.parentId);
  }

  /** A run stopped running: runs its queue's limit held back may go now. */
  private freeSlot(run: RunRecord): void {
    const queue = run.queue ?? run.workflow;
    if (
      [...this.state.runs.values()].some((r) => r.heldBy !== undefined && (r.queue ?? r.workflow) === queue)
    ) {
      this.notify({ type: "wake" });
    }
  }

  /** Wakes a suspended run now, or remembers the wake for a running one. */
  private poke(runId: string): boolean {
    const run = this.state.runs.get(runId);
    if (!run) return false;
    if (run.status === "suspended") {
      run.wakeAt = new Date(this.state.clock.now());
      this.notify({ type: "wake" });
    } else if (run.status === "running") {
      this.state.wakePending.add(runId);
      this.notify({ type: "event", runId });
    }
    return true;
  }

  async wakeRun(runId: string): Promise<void> {
    this.poke(runId);
  }

  async sendEvent(
    runId: string,
    name: string,
    payload: EventRecord["payload"],
    options?: { key?: string },
  ): Promise<EventRecord | undefined> {
    const run = this.state.runs.get(runId);
    if (!run) return undefined;
    const key = options?.key;
    const earlier = key === undefined ? undefined : this.state.events.get(runId)?.find((e) => e.key === key);
    if (earlier) return clone(earlier);
    const event: EventRecord = {
      id: String(++this.eventSeq).padStart(12, "0"),
      runId,
      name,
      payload: clone(payload),
      createdAt: new Date(this.state.clock.now()),
    };
    if (key !== undefined) event.key = key;
    const list = this.state.events.get(runId) ?? [];
    list.push(event);
    this.state.events.set(runId, list);
    if (run.status === "running" || run.waitingFor.includes(name)) this.poke(runId);
    return clone(event);
  }

  async readEvents(runId: string): Promise<EventRecord[]> {
    return unconsumed(this.state, runId);
  }

  async forkRun(sourceId: string, run: NewRun, fromSeq: number): Promise<RunRecord> {
    if (this.state.runs.has(run.id)) return clone(this.state.runs.get(run.id) as RunRecord);
    // The journal is in place before the run is announced: a worker may claim it at once.
    const copied = (this.state.journals.get(sourceId) ?? [])
      .filter((e) => e.seq < fromSeq)
      .sort((a, b) => a.order - b.order)
      .map((e, order) => clone({ ...e, runId: run.id, order }));
    const { run: created } = this.insert(run, copied);
    this.notify({ type: "wake" });
    return created;
  }

  async pruneRuns(olderThan: Date): Promise<number> {
    let pruned = 0;
    for (const run of [...this.state.runs.values()]) {
      if (!TERMINAL_STATUSES.includes(run.status) || !run.finishedAt || run.finishedAt >= olderThan) continue;
      this.state.runs.delete(run.id);
      this.state.journals.delete(run.id);
      this.state.events.delete(run.id);
      this.state.crashMarks.delete(run.id);
      pruned++;
    }
    return pruned;
  }

  async releaseRuns(leases: readonly Lease[]): Promise<void> {
    releaseRuns(this.state, leases);
    if (leases.length > 0) this.notify({ type: "wake" });
  }

  async requestCancel(id: string, reason: string): Promise<RunChange | undefined> {
    const run = this.state.runs.get(id);
    if (!run) return undefined;
    if (TERMINAL_STATUSES.includes(run.status)) return { run: clone(run), changed: false };
    const now = this.state.clock.now();
    run.updatedAt = new Date(now);
    if (run.status === "blocked" || (run.status === "pending" && run.attempts === 0)) {
      run.status = "cancelled";
      run.error = cancelledError(id, reason);
      run.finishedAt = new Date(now);
      delete run.wakeAt;
      this.finished(run);
      return { run: clone(run), changed: true };
    }
    run.cancelReason ??= reason;
    if (run.status === "running") {
      this.notify({ type: "cancel", runId: id });
    } else {
      run.wakeAt = new Date(now);
      this.notify({ type: "wake" });
    }
    return { run: clone(run), changed: true };
  }

  async retryRun(id: string): Promise<RunChange | undefined> {
    const run = this.state.runs.get(id);
    if (!run) return undefined;
    if (run.status !== "blocked" && run.status !== "failed") return { run: clone(run), changed: false };
    if (run.status === "failed") {
      const journal = this.state.journals.get(id) ?? [];
      const cut = lastFailureOrder(journal);
      if (cut !== undefined) {
        this.state.journals.set(
          id,
          journal.filter((e) => e.order < cut),
        );
      }
    }
    const now = this.state.clock.now();
    run.status = "pending";
    run.wakeAt = new Date(now);
    run.recoveries = 0;
    delete run.suspect;
    delete run.isolated;
    this.state.crashMarks.delete(id);
    run.retryState = {};
    delete run.error;
    delete run.finishedAt;
    run.updatedAt = new Date(now);
    this.notify({ type: "wake" });
    return { run: clone(run), changed: true };
  }

  async nextWakeAt(workflows: readonly string[]): Promise<Date | undefined> {
    return nextWakeAt(this.state, workflows);
  }

  async dueStats(workflows: readonly string[]): Promise<{ count: number; oldestDueAt?: Date }> {
    return dueStats(this.state, workflows);
  }

  subscribe(listener: (notification: StoreNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(notification: StoreNotification): void {
    for (const listener of this.listeners) queueMicrotask(() => listener(notification));
  }
}
