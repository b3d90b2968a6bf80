import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { ClaimedRun, Lease, NewRun, RunOutcome, RunRecord, Store } from "../store/store.js";
import type {
  ActivationOutcome,
  ChildSpec,
  ChildState,
  CodeScope,
  StepAttemptInterceptor,
} from "../workflow/activation-host.js";
import type { Logger, StepContext } from "../workflow/context.js";
import { LeaseLostError, toErrorData } from "../workflow/errors.js";
import { queueLimits } from "../workflow/flow-control.js";
import type { NewJournalEntry } from "../workflow/journal.js";
import { type Duration, parseDuration } from "../workflow/parse-duration.js";
import { ReplayEngine } from "../workflow/replay-engine.js";
import { decode } from "../workflow/serialize.js";
import type { AnyWorkflow, Workflow } from "../workflow/workflow.js";
import { type Clock, systemClock } from "./clock.js";
import { determinismGuard } from "./determinism-guard.js";
import { defaultLogger } from "./logger.js";
import type { AnySchedule } from "./schedule.js";
import { Scheduler } from "./scheduler.js";
import { toNewRunFlow } from "./to-new-run-flow.js";
import { inActivationSpan, traceStepAttempt, traceTags } from "./tracing.js";
import { WakeTimers } from "./wake-timers.js";
import type { WorkerObserver } from "./worker-observer.js";

/** Options of `new Worker()`. */
export interface WorkerOptions {
  store: Store;
  workflows: readonly AnyWorkflow[];
  /** Runs executed at once (default 10). */
  concurrency?: number;
  /** How long a claim holds a run without a heartbeat (default 30 s). */
  leaseMs?: number;
  /** How often leases are renewed (default a third of `leaseMs`). */
  heartbeatMs?: number;
  /** Fallback polling when no notification arrives (default 1 s). */
  pollMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Identifies this worker in leases (default host:pid:random). */
  id?: string;
  /** Warn about `Date.now()`, `Math.random()`... in workflow bodies (default: unless NODE_ENV=production). */
  determinismGuard?: boolean;
  /** Payload limit in bytes (default 1 MiB). */
  payloadLimit?: number;
  /** Waits between step attempts up to this are held in process; longer ones suspend (default 5 s). */
  retryHold?: Duration;
  /**
   * Crashes charged to a run, in a row with no new journal entry between them, before it is parked as
   * `blocked` (default 5). A run taken over from a crashed worker is a suspect: each worker holds at most one
   * suspect at a time, and a crash is charged only to the suspect its worker held.
   */
  maxRecoveries?: number;
  /** How long after its lease expired a suspect is taken over, doubled for each crash charged (default 1 s). */
  recoveryBackoff?: Duration;
  /** Test doubles by step name (see `@durable/testing`'s `env.mockStep`). */
  stepMocks?: ReadonlyMap<string, (step: StepContext) => unknown>;
  /**
   * How long a workflow may await something that is not a ctx call (a fetch or timer in its body) before
   * its run is parked as `blocked` (default 5 s).
   */
  foreignAwait?: Duration;
  /** Wraps every live step attempt (tracing, counting, fault injection in tests). */
  interceptStepAttempt?: StepAttemptInterceptor;
  /** Hears claims, activations, step attempts, appends and renewals (metrics). */
  observer?: WorkerObserver;
  /** Schedules whose runs this worker starts at each tick. */
  schedules?: readonly AnySchedule[];
}

interface Active {
  lease: Lease;
  /** Taken over from a crashed worker (see `WorkerOptions.maxRecoveries`). */
  suspect: boolean;
  engine: ReplayEngine;
  done: Promise<void>;
}

/**
 * Claims due runs and executes them: replays each from its journal, runs new steps, and suspends or
 * finishes it. Many workers may share one store.
 * @example
 * const worker = new Worker({ store, workflows: [onboarding], concurrency: 100 });
 * await worker.start();
 * process.on("SIGTERM", () => worker.stop());
 */
export class Worker {
  readonly id: string;
  private readonly store: Store;
  private readonly registry = new Map<string, Workflow<unknown, unknown>>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly scope: CodeScope | undefined;
  private readonly retryHoldMs: number;
  private readonly recoveryBackoffMs: number;
  private readonly active = new Map<string, Active>();
  private readonly drained: Lease[] = [];
  private readonly limits: ReturnType<typeof queueLimits>;
  private readonly scheduler: Scheduler | undefined;
  private state: "idle" | "running" | "stopping" | "stopped" = "idle";
  private claiming = false;
  private claimAgain = false;
  private readonly wakeTimers: WakeTimers;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.store = options.store;
    for (const wf of options.workflows) {
      if (this.registry.has(wf.name)) {
        throw new TypeError(`two workflows are named "${wf.name}"; workflow names must be unique per worker`);
      }
      this.registry.set(wf.name, wf as Workflow<unknown, unknown>);
    }
    this.concurrency = options.concurrency ?? 10;
    this.leaseMs = options.leaseMs ?? 30_000;
    // Timers take at most 2^31-1 ms; a lease longer than that still gets a heartbeat.
    this.heartbeatMs = Math.min(options.heartbeatMs ?? Math.floor(this.leaseMs / 3), 2_147_483_647);
    this.pollMs = options.pollMs ?? 1_000;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? defaultLogger()).child({ component: "worker" });
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    const guard = options.determinismGuard ?? process.env.NODE_ENV !== "production";
    this.scope = guard ? determinismGuard(this.logger) : undefined;
    this.retryHoldMs = parseDuration(options.retryHold ?? "5s", "retryHold");
    this.recoveryBackoffMs = parseDuration(options.recoveryBackoff ?? "1s", "recoveryBackoff");
    this.limits = queueLimits(options.workflows);
    this.wakeTimers = new WakeTimers(this.clock, () => this.triggerClaim());
    this.scheduler =
      options.schedules && options.schedules.length > 0
        ? new Scheduler(this.store, options.schedules, this.clock, this.logger)
        : undefined;
  }

  /** The number of runs this worker is executing now. */
  get activeRuns(): number {
    return this.active.size;
  }

  /** True when this worker is not claiming and every run it holds only waits for a timer. */
  isQuiescent(): boolean {
    if (this.claiming) return false;
    for (const active of this.active.values()) if (!active.engine.waitingOnTimers) return false;
    return true;
  }

  /** Claims due runs now instead of at the next notification or poll. */
  poke(): void {
    this.triggerClaim();
  }

  /** Starts claiming and executing due runs. */
  async start(): Promise<void> {
    if (this.state !== "idle") throw new Error(`worker ${this.id} was already started`);
    this.state = "running";
    this.unsubscribe = this.store.subscribe((n) => {
      if (n.type === "wake") this.triggerClaim();
      else if (n.type === "cancel") this.deliverCancel(n.runId);
      else if (n.type === "event") this.deliverEvents(n.runId);
    });
    this.pollTimer = setInterval(() => this.poll(), this.pollMs);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
    this.logger.info({ workerId: this.id, workflows: [...this.registry.keys()] }, "worker started");
    this.poll();
    await this.scheduler?.start();
  }

  /**
   * Stops claiming, lets running steps finish and journal within `graceMs` (default 30 s), then releases
   * every lease at once so another worker can take the runs without waiting for expiry.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.state !== "running") return;
    this.state = "stopping";
    this.scheduler?.stop();
    this.unsubscribe?.();
    clearInterval(this.pollTimer);
    this.wakeTimers.stop();
    for (const active of this.active.values()) active.engine.drain();
    const graceMs = options.graceMs ?? 30_000;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all([...this.active.values()].map((a) => a.done)),
      new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(graceTimer);
    clearInterval(this.heartbeatTimer);
    const leases = [...this.drained, ...[...this.active.values()].map((a) => a.lease)];
    this.active.clear();
    if (leases.length > 0)
      await this.store.releaseRuns(leases).catch((e) => this.logger.error({ err: e }, "release failed"));
    this.state = "stopped";
    this.logger.info({ workerId: this.id, released: leases.length }, "worker stopped");
  }

  private poll(): void {
    this.triggerClaim();
    this.store
      .nextWakeAt([...this.registry.keys()])
      .then((at) => at && this.armWake(at.getTime()))
      .catch((error) => this.logger.warn({ err: error }, "could not read the next wake-up time"));
  }

  private armWake(at: number): void {
    if (this.state === "running") this.wakeTimers.add(at);
  }

  private triggerClaim(): void {
    if (this.state !== "running") return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = true;
    this.claimLoop()
      .catch((error) => this.logger.error({ err: error }, "claiming runs failed; retrying at the next poll"))
      .finally(() => {
        this.claiming = false;
      });
  }

  private async claimLoop(): Promise<void> {
    do {
      this.claimAgain = false;
      const free = this.concurrency - this.active.size;
      if (free <= 0 || this.state !== "running") return;
      const claimed = await this.store.claimRuns({
        owner: this.id,
        limit: free,
        leaseMs: this.leaseMs,
        workflows: [...this.registry.keys()],
        maxRecoveries: this.options.maxRecoveries ?? 5,
        suspects: this.holdsSuspect() ? 0 : 1,
        recoveryBackoffMs: this.recoveryBackoffMs,
        limits: this.limits,
      });
      this.options.observer?.claimed?.(claimed.length);
      for (const run of claimed) this.execute(run);
      if (claimed.length === free) this.claimAgain = true;
    } while (this.claimAgain);
  }

  private holdsSuspect(): boolean {
    for (const active of this.active.values()) if (active.suspect) return true;
    return false;
  }

  private execute(claimed: ClaimedRun): void {
    const { run, lease } = claimed;
    const workflow = this.registry.get(run.workflow) as Workflow<unknown, unknown>;
    const log = this.logger.child({ runId: run.id, workflow: run.workflow });
    const offset = claimed.now.getTime() - this.clock.now();
    const engine = new ReplayEngine({
      runId: run.id,
      workflow,
      input: decode(run.input),
      startedAt: run.startedAt ?? claimed.now,
      journal: claimed.journal,
      retryState: run.retryState,
      cancelReason: run.cancelReason,
      events: claimed.events,
      now: () => this.clock.now() + offset,
      append: (entry, options) => this.append(lease, entry, options),
      setTimer: (at, fn) => this.clock.setTimer(at - offset, fn),
      startChild: (spec) => this.startChild(run.id, spec),
      cancelRun: async (id, reason) => {
        await this.store.requestCancel(id, reason);
      },
      ...(this.store.transaction
        ? {
            transaction: (fn, entry) =>
              (this.store.transaction as NonNullable<Store["transaction"]>)(lease, fn, entry),
          }
        : {}),
      logger: log,
      ...(this.options.payloadLimit !== undefined ? { payloadLimit: this.options.payloadLimit } : {}),
      retryHoldMs: this.retryHoldMs,
      foreignAwaitMs: parseDuration(this.options.foreignAwait ?? "5s", "foreignAwait"),
      ...(this.scope ? { scope: this.scope } : {}),
      ...(this.options.stepMocks ? { stepMocks: this.options.stepMocks } : {}),
      interceptStepAttempt: this.stepInterceptor,
    });
    const done = this.activate(engine, run, lease, log, offset).finally(() => {
      if (this.active.get(run.id)?.lease.epoch === lease.epoch) this.active.delete(run.id);
      this.triggerClaim();
    });
    this.active.set(run.id, { lease, suspect: run.suspect === true, engine, done });
  }

  private async activate(
    engine: ReplayEngine,
    run: RunRecord,
    lease: Lease,
    log: Logger,
    offset: number,
  ): Promise<void> {
    try {
      const attributes = { runId: run.id, workflow: run.workflow, attempt: run.attempts };
      this.options.observer?.activationStarted?.(run.workflow, run.attempts === 1);
      const outcome = await inActivationSpan(attributes, run.tags, () => engine.run());
      this.options.observer?.activationEnded?.(run.workflow, outcome.type);
      if (outcome.type === "released") {
        this.drained.push(lease);
        return;
      }
      await this.store.finishRun(lease, toRunOutcome(outcome, run, engine.host.workflow));
      if (outcome.type === "suspended" && outcome.wakeAt) this.armWake(outcome.wakeAt.getTime() - offset);
      if (outcome.type === "blocked") log.warn({ error: outcome.error }, outcome.error.message);
      else log.debug({ outcome: outcome.type }, "activation ended");
    } catch (error) {
      if (error instanceof LeaseLostError) {
        log.warn({ runId: lease.runId }, error.message);
        return;
      }
      log.error({ err: toErrorData(error) }, "activation failed; the run is retried when its lease expires");
    }
  }

  private heartbeat(): void {
    const leases = [...this.active.values()].map((a) => a.lease);
    if (leases.length === 0) return;
    const epochs = new Map(leases.map((l) => [l.runId, l.epoch]));
    // Only the activation the snapshot was taken of: the run may have ended and been claimed again since.
    const current = (runId: string) => {
      const active = this.active.get(runId);
      return active && active.lease.epoch === epochs.get(runId) ? active : undefined;
    };
    this.store
      .renewLeases(this.id, leases, this.leaseMs)
      .then(({ lost, cancelled }) => {
        this.options.observer?.leasesRenewed?.(leases.length - lost.length);
        for (const runId of lost) {
          const active = current(runId);
          if (!active) continue;
          this.logger.warn({ runId }, `lost the lease on run ${runId}; dropping it`);
          active.engine.drain();
          this.active.delete(runId);
        }
        for (const { runId, reason } of cancelled) current(runId)?.engine.cancel(reason);
      })
      .catch((error) =>
        this.logger.warn({ err: error }, "renewing leases failed; retrying at the next heartbeat"),
      );
  }

  private async append(
    lease: Lease,
    entry: NewJournalEntry,
    options?: { consumeEvent?: string },
  ): Promise<Date> {
    const observer = this.options.observer;
    if (!observer?.journalAppended) return this.store.appendJournal(lease, entry, options);
    const started = performance.now();
    const at = await this.store.appendJournal(lease, entry, options);
    observer.journalAppended(performance.now() - started);
    return at;
  }

  /** Tracing around the observer's timing around the user's interceptor around the step. */
  private readonly stepInterceptor: StepAttemptInterceptor = (info, next) => {
    const user = this.options.interceptStepAttempt;
    const observer = this.options.observer;
    const inner = user ? () => user(info, next) : next;
    const observed = observer?.stepAttempt
      ? async () => {
          const started = performance.now();
          let ok = false;
          try {
            const value = await inner();
            ok = true;
            return value;
          } finally {
            observer.stepAttempt?.(info.workflow, info.name, ok, performance.now() - started);
          }
        }
      : inner;
    return traceStepAttempt(info, observed);
  };

  private async startChild(parentId: string, spec: ChildSpec): Promise<ChildState> {
    const { run } = await this.store.createRun({
      id: spec.id,
      workflow: spec.workflow.name,
      version: spec.workflow.version,
      input: spec.input,
      parentId,
      tags: traceTags(),
      ...toNewRunFlow(spec.flow),
    });
    const state: ChildState = { status: run.status };
    if (run.output !== undefined) state.output = run.output;
    if (run.error !== undefined) state.error = run.error;
    return state;
  }

  private deliverEvents(runId: string): void {
    const active = this.active.get(runId);
    if (!active) return;
    this.store
      .readEvents(runId)
      .then((events) => active.engine.offerEvents(events))
      .catch((error) => this.logger.warn({ err: error, runId }, "could not read events"));
  }

  private deliverCancel(runId: string): void {
    const active = this.active.get(runId);
    if (!active) return;
    this.store
      .getRun(runId)
      .then((run) => run?.cancelReason !== undefined && active.engine.cancel(run.cancelReason))
      .catch((error) => this.logger.warn({ err: error, runId }, "could not read a cancellation"));
  }
}

function toRunOutcome(
  outcome: Exclude<ActivationOutcome, { type: "released" }>,
  run: RunRecord,
  workflow: AnyWorkflow,
): RunOutcome {
  switch (outcome.type) {
    case "continued": {
      const next: NewRun = {
        id: nextRunId(run.id),
        workflow: run.workflow,
        version: workflow.version,
        input: outcome.input,
        tags: run.tags,
        priority: run.priority,
      };
      if (run.parentId !== undefined) next.parentId = run.parentId;
      if (run.queue !== undefined) next.queue = run.queue;
      if (run.concurrencyKey !== undefined) next.concurrencyKey = run.concurrencyKey;
      if (run.rateKey !== undefined) next.rateKey = run.rateKey;
      return { status: "continued", next };
    }
    case "completed":
      return { status: "completed", output: outcome.output };
    case "failed":
      return { status: "failed", error: outcome.error };
    case "blocked":
      return { status: "blocked", error: outcome.error };
    case "suspended":
      return {
        status: "suspended",
        wakeAt: outcome.wakeAt,
        retryState: outcome.retryState,
        waitingFor: outcome.waitingFor,
      };
    case "cancelled": {
      const result: RunOutcome = { status: "cancelled" };
      if (outcome.output !== undefined) result.output = outcome.output;
      if (outcome.error !== undefined) result.error = outcome.error;
      return result;
    }
  }
}

/** `order:42` → `order:42~1` → `order:42~2`: the continue-as-new chain. */
function nextRunId(id: string): string {
  const match = /^(.*)~(\d+)$/.exec(id);
  return match ? `${match[1]}~${Number(match[2]) + 1}` : `${id}~1`;
}
