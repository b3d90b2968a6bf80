import { type Clock, systemClock } from "../runtime/clock.js";
import { LeaseLostError } from "../workflow/errors.js";
import { heldBy, type QueueLimit } from "../workflow/flow-control.js";
import type { JournalEntry, NewJournalEntry } from "../workflow/journal.js";
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
  private readonly runs = new Map<string, RunRecord>();
  private readonly journals = new Map<string, JournalEntry[]>();
  private readonly events = new Map<string, EventRecord[]>();
  private readonly wakePending = new Set<string>();
  /** The journal's length at a run's last charged crash (see `RunRecord.recoveries`). */
  private readonly crashMarks = new Map<string, number>();
  /** How long after its lease expires a running suspect may be taken over (its backoff). */
  private readonly recoveryDelays = new Map<string, number>();
  private eventSeq = 0;
  private readonly listeners = new Set<(n: StoreNotification) => void>();
  private createdSeq = 0;
  private readonly createdOrder = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async migrate(): Promise<void> {}
  async close(): Promise<void> {
    this.listeners.clear();
  }

  async now(): Promise<Date> {
    return new Date(this.clock.now());
  }

  async createRun(input: NewRun): Promise<{ run: RunRecord; created: boolean }> {
    const result = this.insert(input);
    if (result.created) this.notify({ type: "wake" });
    return result;
  }

  private insert(input: NewRun, journal: JournalEntry[] = []): { run: RunRecord; created: boolean } {
    const existing = this.runs.get(input.id);
    if (existing) return { run: clone(existing), created: false };
    const now = this.clock.now();
    if (input.debounce) {
      const key = input.debounce.key;
      const waiting = [...this.runs.values()].find(
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
    this.runs.set(run.id, run);
    this.createdOrder.set(run.id, this.createdSeq++);
    this.journals.set(run.id, journal);
    return { run: clone(run), created: true };
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const run = this.runs.get(id);
    return run ? clone(run) : undefined;
  }

  async listRuns(filter: RunFilter): Promise<RunRecord[]> {
    const statuses = filter.status === undefined ? undefined : [filter.status].flat();
    return [...this.runs.values()]
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
    return (this.journals.get(runId) ?? []).map(clone).sort((a, b) => a.seq - b.seq);
  }

  async claimRuns(request: ClaimRequest): Promise<ClaimedRun[]> {
    const now = this.clock.now();
    const due = [...this.runs.values()]
      .filter((r) => request.workflows.includes(r.workflow) && this.isDue(r, now))
      .sort((a, b) => b.priority - a.priority || this.dueTime(a) - this.dueTime(b));
    const limits = new Map((request.limits ?? []).map((l) => [l.queue, l]));
    const claimed: ClaimedRun[] = [];
    let suspects = Math.min(request.limit, request.suspects ?? 1);
    for (const run of due) {
      if (claimed.length >= request.limit) break;
      const risky = run.status === "running" || run.suspect === true;
      if (risky && suspects <= 0) continue;
      const held = this.holdBack(run, limits, now);
      if (held) {
        run.heldBy = held;
        continue;
      }
      delete run.heldBy;
      if (risky) suspects--;
      if (run.status === "running" && this.takeOver(run, request)) {
        this.park(run, now);
        continue;
      }
      if (run.suspect) {
        this.recoveryDelays.set(run.id, (request.recoveryBackoffMs ?? 0) * 2 ** Math.min(run.recoveries, 6));
      }
      run.status = "running";
      run.leaseOwner = request.owner;
      run.leaseExpiresAt = new Date(now + request.leaseMs);
      run.leaseEpoch++;
      run.attempts++;
      run.startedAt ??= new Date(now);
      run.updatedAt = new Date(now);
      run.waitingFor = [];
      delete run.wakeAt;
      this.wakePending.delete(run.id);
      claimed.push({
        run: clone(run),
        journal: (this.journals.get(run.id) ?? []).map(clone),
        events: this.unconsumed(run.id),
        lease: { runId: run.id, owner: request.owner, epoch: run.leaseEpoch },
        now: new Date(now),
      });
    }
    return claimed;
  }

  /**
   * A takeover from an expired lease: the run becomes a suspect; when it was one already, the crash is
   * charged to it (starting again at 1 when its journal grew since the last charge). True when it is
   * charged more than `maxRecoveries` times and must be parked.
   */
  private takeOver(run: RunRecord, request: ClaimRequest): boolean {
    const charged = run.suspect === true;
    run.suspect = true;
    if (!charged) return false;
    const length = this.journals.get(run.id)?.length ?? 0;
    const mark = this.crashMarks.get(run.id);
    run.recoveries = mark !== undefined && length > mark ? 1 : run.recoveries + 1;
    this.crashMarks.set(run.id, length);
    return request.maxRecoveries !== undefined && run.recoveries > request.maxRecoveries;
  }

  /** Which limit, if any, holds this due run back right now. */
  private holdBack(run: RunRecord, limits: Map<string, QueueLimit>, now: number): string | undefined {
    const queue = run.queue ?? run.workflow;
    const limit = limits.get(queue);
    if (!limit) return undefined;
    const sameQueue = [...this.runs.values()].filter(
      (r) => (r.queue ?? r.workflow) === queue && r.id !== run.id,
    );
    if (limit.concurrency && run.status !== "running") {
      const key = limit.concurrency.perKey ? run.concurrencyKey : undefined;
      const running = sameQueue.filter(
        (r) => r.status === "running" && (key === undefined || r.concurrencyKey === key),
      );
      if (running.length >= limit.concurrency.limit) return heldBy("concurrency", queue, key);
    }
    if (limit.rateLimit && run.attempts === 0) {
      const { periodMs } = limit.rateLimit;
      const key = limit.rateLimit.perKey ? run.rateKey : undefined;
      const started = sameQueue
        .filter(
          (r) =>
            r.startedAt && r.startedAt.getTime() > now - periodMs && (key === undefined || r.rateKey === key),
        )
        .map((r) => (r.startedAt as Date).getTime())
        .sort((a, b) => a - b);
      if (started.length >= limit.rateLimit.limit) {
        // Due again when the oldest start in the window leaves it.
        run.wakeAt = new Date((started[started.length - limit.rateLimit.limit] as number) + periodMs);
        return heldBy("rateLimit", queue, key);
      }
    }
    return undefined;
  }

  private park(run: RunRecord, now: number): void {
    run.status = "blocked";
    run.error = {
      name: "CrashLoopError",
      code: "crash_loop",
      message: `run ${run.id} crashed its worker ${run.recoveries} times in a row with no new journal entry; fix the cause and retry it (durable retry ${run.id})`,
    };
    delete run.leaseOwner;
    delete run.leaseExpiresAt;
    delete run.wakeAt;
    run.updatedAt = new Date(now);
  }

  /** Due now; a suspect whose lease expired only after its backoff (see `ClaimRequest.recoveryBackoffMs`). */
  private isDue(run: RunRecord, now: number): boolean {
    if (run.status === "pending" || run.status === "suspended") {
      return run.wakeAt !== undefined && run.wakeAt.getTime() <= now;
    }
    const takeover = this.takeoverAt(run);
    return takeover !== undefined && takeover <= now;
  }

  /** When a running run may be taken over: its lease's expiry, after the backoff for a suspect. */
  private takeoverAt(run: RunRecord): number | undefined {
    if (run.status !== "running" || run.leaseExpiresAt === undefined) return undefined;
    return run.leaseExpiresAt.getTime() + (run.suspect ? (this.recoveryDelays.get(run.id) ?? 0) : 0);
  }

  private dueTime(run: RunRecord): number {
    return (run.wakeAt ?? run.leaseExpiresAt ?? new Date(0)).getTime();
  }

  async renewLeases(owner: string, leases: readonly Lease[], leaseMs: number): Promise<LeaseRenewal> {
    const now = this.clock.now();
    const renewal: LeaseRenewal = { lost: [], cancelled: [] };
    for (const lease of leases) {
      const run = this.runs.get(lease.runId);
      if (!run || !this.holds(run, lease, now) || run.leaseOwner !== owner) {
        renewal.lost.push(lease.runId);
        continue;
      }
      run.leaseExpiresAt = new Date(now + leaseMs);
      if (run.cancelReason !== undefined) renewal.cancelled.push({ runId: run.id, reason: run.cancelReason });
    }
    return renewal;
  }

  private holds(run: RunRecord, lease: Lease, now: number): boolean {
    return (
      run.status === "running" &&
      run.leaseEpoch === lease.epoch &&
      run.leaseOwner === lease.owner &&
      run.leaseExpiresAt !== undefined &&
      run.leaseExpiresAt.getTime() > now
    );
  }

  private fenced(lease: Lease): RunRecord {
    const run = this.runs.get(lease.runId);
    if (!run || !this.holds(run, lease, this.clock.now())) throw new LeaseLostError(lease.runId);
    return run;
  }

  async appendJournal(
    lease: Lease,
    entry: NewJournalEntry,
    options?: { consumeEvent?: string },
  ): Promise<Date> {
    this.fenced(lease);
    const journal = this.journals.get(lease.runId) ?? [];
    if (journal.some((e) => e.seq === entry.seq)) {
      throw new Error(`journal of run ${lease.runId} already has seq ${entry.seq}`);
    }
    if (options?.consumeEvent !== undefined) {
      const event = this.events.get(lease.runId)?.find((e) => e.id === options.consumeEvent);
      if (!event || event.consumedSeq !== undefined) {
        throw new Error(`event ${options.consumeEvent} of run ${lease.runId} is missing or already consumed`);
      }
      event.consumedSeq = entry.seq;
    }
    const completedAt = new Date(this.clock.now());
    journal.push(clone({ ...entry, runId: lease.runId, completedAt } as JournalEntry));
    this.journals.set(lease.runId, journal);
    return completedAt;
  }

  async finishRun(lease: Lease, outcome: RunOutcome): Promise<void> {
    const run = this.fenced(lease);
    const now = this.clock.now();
    delete run.leaseOwner;
    delete run.leaseExpiresAt;
    delete run.suspect;
    this.recoveryDelays.delete(run.id);
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
        this.wakePending.delete(run.id) ||
        run.cancelReason !== undefined ||
        this.unconsumed(run.id).some((e) => run.waitingFor.includes(e.name));
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
    if ([...this.runs.values()].some((r) => r.heldBy !== undefined && (r.queue ?? r.workflow) === queue)) {
      this.notify({ type: "wake" });
    }
  }

  /** Wakes a suspended run now, or remembers the wake for a running one. */
  private poke(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    if (run.status === "suspended") {
      run.wakeAt = new Date(this.clock.now());
      this.notify({ type: "wake" });
    } else if (run.status === "running") {
      this.wakePending.add(runId);
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
  ): Promise<EventRecord | undefined> {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    const event: EventRecord = {
      id: String(++this.eventSeq).padStart(12, "0"),
      runId,
      name,
      payload: clone(payload),
      createdAt: new Date(this.clock.now()),
    };
    const list = this.events.get(runId) ?? [];
    list.push(event);
    this.events.set(runId, list);
    if (run.status === "running" || run.waitingFor.includes(name)) this.poke(runId);
    return clone(event);
  }

  async readEvents(runId: string): Promise<EventRecord[]> {
    return this.unconsumed(runId);
  }

  private unconsumed(runId: string): EventRecord[] {
    return (this.events.get(runId) ?? []).filter((e) => e.consumedSeq === undefined).map(clone);
  }

  async forkRun(sourceId: string, run: NewRun, fromSeq: number): Promise<RunRecord> {
    if (this.runs.has(run.id)) return clone(this.runs.get(run.id) as RunRecord);
    // The journal is in place before the run is announced: a worker may claim it at once.
    const copied = (this.journals.get(sourceId) ?? [])
      .filter((e) => e.seq < fromSeq)
      .sort((a, b) => a.order - b.order)
      .map((e, order) => clone({ ...e, runId: run.id, order }));
    const { run: created } = this.insert(run, copied);
    this.notify({ type: "wake" });
    return created;
  }

  async pruneRuns(olderThan: Date): Promise<number> {
    let pruned = 0;
    for (const run of [...this.runs.values()]) {
      if (!TERMINAL_STATUSES.includes(run.status) || !run.finishedAt || run.finishedAt >= olderThan) continue;
      this.runs.delete(run.id);
      this.journals.delete(run.id);
      this.events.delete(run.id);
      this.crashMarks.delete(run.id);
      pruned++;
    }
    return pruned;
  }

  async releaseRuns(leases: readonly Lease[]): Promise<void> {
    const now = this.clock.now();
    for (const lease of leases) {
      const run = this.runs.get(lease.runId);
      if (!run || run.leaseEpoch !== lease.epoch || run.status !== "running") continue;
      run.status = "pending";
      run.wakeAt = new Date(now);
      delete run.leaseOwner;
      delete run.leaseExpiresAt;
      run.updatedAt = new Date(now);
    }
    if (leases.length > 0) this.notify({ type: "wake" });
  }

  async requestCancel(id: string, reason: string): Promise<RunChange | undefined> {
    const run = this.runs.get(id);
    if (!run) return undefined;
    if (TERMINAL_STATUSES.includes(run.status)) return { run: clone(run), changed: false };
    const now = this.clock.now();
    run.updatedAt = new Date(now);
    if (run.status === "blocked" || (run.status === "pending" && run.attempts === 0)) {
      run.status = "cancelled";
      run.error = {
        name: "CancelledError",
        code: "cancelled",
        message: `run ${id} was cancelled: ${reason}`,
      };
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
    const run = this.runs.get(id);
    if (!run) return undefined;
    if (run.status !== "blocked" && run.status !== "failed") return { run: clone(run), changed: false };
    if (run.status === "failed") {
      const journal = this.journals.get(id) ?? [];
      const cut = lastFailureOrder(journal);
      if (cut !== undefined) {
        this.journals.set(
          id,
          journal.filter((e) => e.order < cut),
        );
      }
    }
    const now = this.clock.now();
    run.status = "pending";
    run.wakeAt = new Date(now);
    run.recoveries = 0;
    delete run.suspect;
    this.crashMarks.delete(id);
    run.retryState = {};
    delete run.error;
    delete run.finishedAt;
    run.updatedAt = new Date(now);
    this.notify({ type: "wake" });
    return { run: clone(run), changed: true };
  }

  async nextWakeAt(workflows: readonly string[]): Promise<Date | undefined> {
    let earliest: number | undefined;
    for (const run of this.runs.values()) {
      // A run held by a concurrency limit is due when a slot frees, not at a time.
      if (!workflows.includes(run.workflow) || run.heldBy?.startsWith("concurrency:")) continue;
      const at =
        run.status === "pending" || run.status === "suspended"
          ? run.wakeAt?.getTime()
          : this.takeoverAt(run);
      if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
    }
    return earliest === undefined ? undefined : new Date(earliest);
  }

  async dueStats(workflows: readonly string[]): Promise<{ count: number; oldestDueAt?: Date }> {
    const now = this.clock.now();
    const due = [...this.runs.values()].filter((r) => workflows.includes(r.workflow) && this.isDue(r, now));
    const oldest = Math.min(...due.map((r) => this.dueTime(r)));
    return due.length === 0 ? { count: 0 } : { count: due.length, oldestDueAt: new Date(oldest) };
  }

  subscribe(listener: (notification: StoreNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(notification: StoreNotification): void {
    for (const listener of this.listeners) queueMicrotask(() => listener(notification));
  }
}

/**
 * The delivery order of the last failed step, call or child in a journal: where `retry` of a failed run
 * cuts the journal so that step runs again with a fresh retry budget.
 */
export function lastFailureOrder(journal: readonly JournalEntry[]): number | undefined {
  let cut: number | undefined;
  for (const entry of journal) {
    if (entry.outcome === "error" && (cut === undefined || entry.order > cut)) cut = entry.order;
  }
  return cut;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
