import type {
  ClaimedRun,
  ClaimRequest,
  Encoded,
  EventRecord,
  JournalEntry,
  Lease,
  LeaseRenewal,
  NewJournalEntry,
  NewRun,
  RunChange,
  RunFilter,
  RunOutcome,
  RunRecord,
  Store,
  StoreNotification,
} from "@durable/core";
import type { Kysely } from "kysely";
import { Batcher } from "./batcher.js";
import * as claims from "./claims.js";
import { createRun, createRuns } from "./create-run.js";
import { type DurableDatabase, type SqlContext, sqlContext } from "./database.js";
import * as events from "./events.js";
import { finishRun } from "./finish-run.js";
import { type Finish, finishRuns } from "./finish-runs.js";
import { channelName } from "./identifiers.js";
import * as journal from "./journal.js";
import { releaseRuns, renewLeases } from "./leases.js";
import { migrate } from "./migrations.js";
import { LaterWakes, ListenerSet, type NotificationSource, parseNotification } from "./notifications.js";
import * as control from "./run-control.js";
import * as runs from "./runs.js";

/** What a SQL store is made of; `postgresStore` and `pgliteStore` differ only in these parts. */
export interface SqlStoreParts {
  kind: string;
  db: Kysely<DurableDatabase>;
  schema: string;
  source: NotificationSource;
  /** Migrate before the first statement. */
  autoMigrate: boolean;
  /** Ends the connections this store owns. */
  release: () => Promise<void>;
  /** Group commit: how many statements of one kind (starts, appends, finishes) may run at once. */
  statementsInFlight: number;
}

/** The most appends (or finishes) one statement writes. */
const MAX_BATCH = 500;

/** The `Store` over Postgres or PGlite: one class, the same SQL. */
export class SqlStore implements Store {
  readonly kind: string;
  readonly schema: string;
  private readonly db: Kysely<DurableDatabase>;
  private readonly ctx: SqlContext;
  private readonly listeners = new ListenerSet();
  private readonly laterWakes = new LaterWakes(() => this.listeners.emit({ type: "wake" }));
  private readonly creates: Batcher<NewRun, { run: RunRecord; created: boolean }>;
  private readonly appends: Batcher<journal.Append, Date>;
  private readonly finishes: Batcher<Finish, void>;
  private migrated: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(private readonly parts: SqlStoreParts) {
    this.kind = parts.kind;
    this.schema = parts.schema;
    this.db = parts.db;
    this.ctx = sqlContext(parts.db, parts.schema, channelName(parts.schema));
    const batching = { maxSize: MAX_BATCH, maxInFlight: parts.statementsInFlight };
    this.creates = new Batcher((items) => createRuns(this.ctx, items), batching);
    this.appends = new Batcher((items) => journal.appendJournalEntries(this.ctx, items), batching);
    this.finishes = new Batcher((items) => finishRuns(this.ctx, items), batching);
  }

  async migrate(): Promise<void> {
    await migrate(this.db, this.schema);
    this.migrated ??= Promise.resolve();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.listeners.clear();
      this.laterWakes.clear();
      await this.parts.source.close();
      await this.parts.release();
    })();
    return this.closed;
  }

  /** Migrates once before the first statement (unless told not to); a failed attempt is retried next call. */
  private ready(): Promise<void> {
    if (!this.parts.autoMigrate) return Promise.resolve();
    this.migrated ??= this.migrate().catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  /**
   * `ctx.transaction`: runs `fn` in one database transaction (it gets the Kysely transaction) and appends
   * the journal entry built from its value in that same transaction, fenced by the lease. A lost lease
   * rolls the user's writes back with the entry. On PGlite the transaction holds the one session: `fn` must
   * use `trx`, not this store.
   */
  async transaction<T>(
    lease: Lease,
    fn: (trx: unknown) => Promise<T>,
    entry: (value: T) => NewJournalEntry,
  ): Promise<{ value: T; completedAt: Date }> {
    await this.ready();
    return this.db.transaction().execute(async (trx) => {
      const value = await fn(trx);
      const ctx = sqlContext(trx, this.schema, this.ctx.channel);
      const completedAt = await journal.appendJournal(ctx, lease, entry(value));
      return { value, completedAt };
    });
  }

  async now(): Promise<Date> {
    await this.ready();
    return runs.databaseNow(this.ctx);
  }

  /** Group commit: the starts of one turn of the event loop share a statement (debounced starts go alone). */
  async createRun(run: NewRun): Promise<{ run: RunRecord; created: boolean }> {
    await this.ready();
    return run.debounce ? createRun(this.ctx, run) : this.creates.add(run);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    await this.ready();
    return runs.getRun(this.ctx, id);
  }

  async listRuns(filter: RunFilter): Promise<RunRecord[]> {
    await this.ready();
    return runs.listRuns(this.ctx, filter);
  }

  async readJournal(runId: string): Promise<JournalEntry[]> {
    await this.ready();
    return journal.readJournal(this.ctx, runId);
  }

  async claimRuns(request: ClaimRequest): Promise<ClaimedRun[]> {
    await this.ready();
    return claims.claimRuns(this.ctx, request);
  }

  async renewLeases(owner: string, leases: readonly Lease[], leaseMs: number): Promise<LeaseRenewal> {
    await this.ready();
    return renewLeases(this.ctx, owner, leases, leaseMs);
  }

  /** Group commit: the appends of one turn of the event loop share a statement (see `appendJournalEntries`). */
  async appendJournal(
    lease: Lease,
    entry: NewJournalEntry,
    options?: { consumeEvent?: string },
  ): Promise<Date> {
    await this.ready();
    const append: journal.Append = { lease, entry };
    if (options?.consumeEvent !== undefined) append.consumeEvent = options.consumeEvent;
    return this.appends.add(append);
  }

  /** Group commit: the suspends and ends of one turn of the event loop share a statement (see `finishRuns`). */
  async finishRun(lease: Lease, outcome: RunOutcome): Promise<void> {
    await this.ready();
    if (outcome.status === "continued") return finishRun(this.ctx, lease, outcome);
    return this.finishes.add({ lease, outcome });
  }

  async releaseRuns(leases: readonly Lease[]): Promise<void> {
    await this.ready();
    return releaseRuns(this.ctx, leases);
  }

  async requestCancel(id: string, reason: string): Promise<RunChange | undefined> {
    await this.ready();
    return control.requestCancel(this.ctx, id, reason);
  }

  async retryRun(id: string): Promise<RunChange | undefined> {
    await this.ready();
    return control.retryRun(this.ctx, id);
  }

  async nextWakeAt(workflows: readonly string[]): Promise<Date | undefined> {
    await this.ready();
    return runs.nextWakeAt(this.ctx, workflows);
  }

  async dueStats(workflows: readonly string[]): Promise<{ count: number; oldestDueAt?: Date }> {
    await this.ready();
    return runs.dueStats(this.ctx, workflows);
  }

  async sendEvent(
    runId: string,
    name: string,
    payload: Encoded,
    options?: { key?: string },
  ): Promise<EventRecord | undefined> {
    await this.ready();
    return events.sendEvent(this.ctx, runId, name, payload, options);
  }

  async readEvents(runId: string): Promise<EventRecord[]> {
    await this.ready();
    return events.readEvents(this.ctx, runId);
  }

  async wakeRun(runId: string): Promise<void> {
    await this.ready();
    return control.wakeRun(this.ctx, runId);
  }

  async forkRun(sourceId: string, run: NewRun, fromSeq: number): Promise<RunRecord> {
    await this.ready();
    return runs.forkRun(this.ctx, sourceId, run, fromSeq);
  }

  async pruneRuns(olderThan: Date): Promise<number> {
    await this.ready();
    return runs.pruneRuns(this.ctx, olderThan);
  }

  /**
   * Listens for announcements. The first subscriber opens the listening connection; once it listens (and
   * again after every reconnect) subscribers get a `wake`, so nothing announced meanwhile is missed for long.
   */
  subscribe(listener: (notification: StoreNotification) => void): () => void {
    const unsubscribe = this.listeners.add(listener);
    if (this.closed === undefined) {
      this.parts.source.start(
        (payload) => {
          const notification = parseNotification(payload);
          if (notification?.type === "wake-later") {
            this.laterWakes.arm(notification.inMs);
          } else if (notification) this.listeners.emit(notification);
        },
        () => this.listeners.emit({ type: "wake" }),
      );
    }
    return unsubscribe;
  }
}
