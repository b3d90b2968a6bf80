import type { ClaimedRun, Lease, RunRecord, Store } from "../store/store.js";
import type { ChildSpec, ChildState } from "../workflow/activation-host.js";
import type { Logger } from "../workflow/context.js";
import { LeaseLostError, toErrorData } from "../workflow/errors.js";
import type { NewJournalEntry } from "../workflow/journal.js";
import type { ReplayEngine } from "../workflow/replay-engine.js";
import { decode } from "../workflow/serialize.js";
import type { AnyWorkflow, Workflow } from "../workflow/workflow.js";
import type { Clock } from "./clock.js";
import { createActivation } from "./create-activation.js";
import { observedStepAttempt } from "./observed-step-attempt.js";
import { Scheduler } from "./scheduler.js";
import type { StepAttemptInterceptor } from "./step-attempt.js";
import { toNewRunFlow } from "./to-new-run-flow.js";
import { toRunOutcome } from "./to-run-outcome.js";
import { inActivationSpan, traceTags } from "./tracing.js";
import { WakeTimers } from "./wake-timers.js";
import { type WorkerOptions, type WorkerSettings, workerSettings } from "./worker-options.js";

interface Active {
  lease: Lease;
  /** Isolated after crashes (see `WorkerOptions.maxRecoveries`): this worker holds at most one. */
  isolated: boolean;
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
  private readonly settings: WorkerSettings;
  private readonly registry: ReadonlyMap<string, Workflow<unknown, unknown>>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly stepInterceptor: StepAttemptInterceptor;
  private readonly active = new Map<string, Active>();
  private readonly drained: Lease[] = [];
  private readonly scheduler: Scheduler | undefined;
  private state: "idle" | "running" | "stopping" | "stopped" = "idle";
  private claiming = false;
  private claimAgain = false;
  private readonly wakeTimers: WakeTimers;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: WorkerOptions) {
    const settings = workerSettings(options);
    this.settings = settings;
    this.id = settings.id;
    this.store = options.store;
    this.registry = settings.registry;
    this.clock = settings.clock;
    this.logger = settings.logger;
    this.stepInterceptor = observedStepAttempt(options.interceptStepAttempt, options.observer);
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
    this.pollTimer = setInterval(() => this.poll(), this.settings.pollMs);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.settings.heartbeatMs);
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
      const free = this.settings.concurrency - this.active.size;
      if (free <= 0 || this.state !== "running") return;
      const claimed = await this.store.claimRuns({
        owner: this.id,
        limit: free,
        leaseMs: this.settings.leaseMs,
        workflows: [...this.registry.keys()],
        maxRecoveries: this.settings.maxRecoveries,
        suspects: this.holdsIsolated() ? 0 : 1,
        recoveryBackoffMs: this.settings.recoveryBackoffMs,
        limits: this.settings.limits,
      });
      this.options.observer?.claimed?.(claimed.length);
      for (const run of claimed) this.execute(run);
      if (claimed.length === free) this.claimAgain = true;
    } while (this.claimAgain);
  }

  private holdsIsolated(): boolean {
    for (const active of this.active.values()) if (active.isolated) return true;
    return false;
  }

  private execute(claimed: ClaimedRun): void {
    const { run, lease } = claimed;
    const workflow = this.registry.get(run.workflow) as Workflow<unknown, unknown>;
    const log = this.logger.child({ runId: run.id, workflow: run.workflow });
    const offset = claimed.now.getTime() - this.clock.now();
    const engine = createActivation({
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
      retryHoldMs: this.settings.retryHoldMs,
      foreignAwaitMs: this.settings.foreignAwaitMs,
      ...(this.settings.scope ? { scope: this.settings.scope } : {}),
      ...(this.options.stepMocks ? { stepMocks: this.options.stepMocks } : {}),
      interceptStepAttempt: this.stepInterceptor,
    });
    const done = this.activate(engine, workflow, run, lease, log, offset).finally(() => {
      if (this.active.get(run.id)?.lease.epoch === lease.epoch) this.active.delete(run.id);
      this.triggerClaim();
    });
    this.active.set(run.id, { lease, isolated: run.isolated === true, engine, done });
  }

  private async activate(
    engine: ReplayEngine,
    workflow: AnyWorkflow,
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
      await this.store.finishRun(lease, toRunOutcome(outcome, run, workflow));
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
      .renewLeases(this.id, leases, this.settings.leaseMs)
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
