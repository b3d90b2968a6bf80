import type { CallOptions, Logger, StepContext, WorkflowContext } from "./context.js";
import {
  CancelledError,
  type CommandDescription,
  type ErrorData,
  NonDeterminismError,
  StepFailedError,
  TimeoutError,
  toErrorData,
  ValidationError,
} from "./errors.js";
import {
  describeCommand,
  type JournalEntry,
  type NewJournalEntry,
  type RetryState,
  type StepRetry,
} from "./journal.js";
import { type Duration, parseDuration } from "./parse-duration.js";
import { Prng } from "./prng.js";
import { isRetryable, type ResolvedRetryPolicy, resolveRetryPolicy, retryDelayMs } from "./retry-policy.js";
import { DEFAULT_PAYLOAD_LIMIT, decode, type Encoded, encode } from "./serialize.js";
import { validateWith } from "./validate-with.js";
import type { StepDefinition, Workflow } from "./workflow.js";

/** Where workflow code and step code run: the runtime wraps them to watch for non-determinism. */
export interface CodeScope {
  workflow<T>(workflowName: string, fn: () => T): T;
  step<T>(fn: () => T): T;
}

/** Which step attempt is about to run. */
export interface StepAttemptInfo {
  runId: string;
  workflow: string;
  kind: "call" | "decide";
  name: string;
  seq: number;
  attempt: number;
  idempotencyKey: string;
}

/** Wraps every live step attempt: for tracing, counting executions, or injecting failures in tests. */
export type StepAttemptInterceptor = (
  info: StepAttemptInfo,
  next: () => Promise<unknown>,
) => Promise<unknown>;

/** Everything one activation of a run needs from the runtime. */
export interface ActivationHost {
  readonly runId: string;
  // biome-ignore lint/suspicious/noExplicitAny: any workflow's input and output
  readonly workflow: Workflow<any, any>;
  readonly input: unknown;
  /** The run's first start: `ctx.now()` before the first journal entry. */
  readonly startedAt: Date;
  readonly journal: readonly JournalEntry[];
  readonly retryState: RetryState;
  readonly cancelReason?: string | undefined;
  /** The current time as the store judges it. */
  now(): number;
  /** Appends one entry (fenced by the lease); resolves to its recorded completion time. */
  append(entry: NewJournalEntry): Promise<Date>;
  /** Calls `fn` at `at` (ms since epoch); returns a function that cancels the timer. */
  setTimer(at: number, fn: () => void): () => void;
  readonly logger: Logger;
  readonly payloadLimit?: number;
  /** Waits between step attempts up to this long are held in process; longer ones suspend (default 5 s). */
  readonly retryHoldMs?: number;
  readonly scope?: CodeScope;
  /** Test doubles: a step (or decision) whose name is here runs this function instead of its own. */
  readonly stepMocks?: ReadonlyMap<string, (step: StepContext) => unknown>;
  readonly interceptStepAttempt?: StepAttemptInterceptor;
  /** How long to wait for a workflow that awaits something outside ctx before blocking it (default 5 s). */
  readonly foreignAwaitMs?: number;
}

/** How an activation ended. */
export type ActivationOutcome =
  | { type: "completed"; output: Encoded }
  | { type: "failed"; error: ErrorData }
  | { type: "cancelled"; output?: Encoded; error?: ErrorData }
  | { type: "suspended"; wakeAt: Date | null; retryState: RetryState; waitingFor: string[] }
  | { type: "blocked"; error: ErrorData }
  | { type: "released" };

interface Pending {
  seq: number;
  kind: JournalEntry["kind"];
  name: string;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** A timer (sleep, or a wait before a step's next attempt) and what to do when it is due. */
  dueAt?: number;
  onDue?: () => void;
  /** Held in process (short retry waits): the run does not suspend while it waits. */
  held?: boolean;
  /** Live work not started yet; started at the next quiescent point unless cancelled first. */
  start?: () => void;
  abort?: AbortController;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Completion = DistributiveOmit<NewJournalEntry, "order">;

// Captured before any determinism guard wraps the globals: the engine's own timing is not workflow code.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const passThrough: CodeScope = { workflow: (_name, fn) => fn(), step: (fn) => fn() };

/**
 * Runs one activation of a run: calls the workflow from the start, re-delivers journaled results in their
 * recorded order, executes the rest live (journaling each result before the workflow sees it), and ends
 * when the workflow returns, throws, or waits only on durable timers.
 * @example
 * const outcome = await new ReplayEngine(host).run(); // { type: "suspended", wakeAt, retryState }
 */
export class ReplayEngine {
  private nextSeq = 0;
  private nextOrder = 0;
  private maxRecordedSeq = -1;
  private readonly recorded = new Map<number, JournalEntry>();
  private readonly replayQueue: JournalEntry[];
  private readonly issued = new Map<number, Pending>();
  private readonly completions: Completion[] = [];
  private inFlight = 0;
  private lastTime: number;
  private wake: (() => void) | undefined;
  private fatal: NonDeterminismError | undefined;
  private done: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  private cancelReason: string | undefined;
  private cancelDelivered = false;
  private draining = false;
  private awaitingForeign = false;
  private readonly retries: Record<string, StepRetry>;
  private readonly frontier: number;
  private readonly prng: Prng;
  private readonly scope: CodeScope;
  private readonly limit: number;
  readonly ctx: WorkflowContext;

  constructor(private readonly host: ActivationHost) {
    this.replayQueue = [...host.journal].sort((a, b) => a.order - b.order);
    for (const entry of this.replayQueue) {
      this.recorded.set(entry.seq, entry);
      this.maxRecordedSeq = Math.max(this.maxRecordedSeq, entry.seq);
      this.nextOrder = Math.max(this.nextOrder, entry.order + 1);
    }
    this.lastTime = host.startedAt.getTime();
    this.cancelReason = host.cancelReason;
    this.retries = { ...host.retryState.steps };
    this.frontier = host.retryState.issued ?? 0;
    this.prng = new Prng(host.runId);
    this.scope = host.scope ?? passThrough;
    this.limit = host.payloadLimit ?? DEFAULT_PAYLOAD_LIMIT;
    this.ctx = this.createContext();
  }

  /** True while recorded results remain to deliver, or the code has not yet reached where it last suspended. */
  get isReplaying(): boolean {
    return this.replayQueue.length > 0 || this.nextSeq < this.frontier;
  }

  /** True while the activation only waits for a timer (nothing running, nothing to write or deliver). */
  get waitingOnTimers(): boolean {
    return (
      this.wake !== undefined && !this.awaitingForeign && this.inFlight === 0 && this.completions.length === 0
    );
  }

  /** Delivers a cancellation at the workflow's current await (once). */
  cancel(reason: string): void {
    if (this.cancelReason === undefined) this.cancelReason = reason;
    this.signal();
  }

  /**
   * Stops starting new work: steps already running finish and are journaled, then the activation ends
   * `released` (unless the run finishes or suspends first), for a worker's graceful stop.
   */
  drain(): void {
    this.draining = true;
    this.signal();
  }

  /** Drives the activation to its outcome. Rejects with `LeaseLostError` when a write is fenced off. */
  async run(): Promise<ActivationOutcome> {
    const { workflow, input } = this.host;
    try {
      const promise = this.scope.workflow(workflow.name, () => workflow.fn(this.ctx, input));
      promise.then(
        (value) => this.finishWith({ ok: true, value }),
        (error: unknown) => this.finishWith({ ok: false, error }),
      );
    } catch (error) {
      this.finishWith({ ok: false, error });
    }
    try {
      return await this.loop();
    } finally {
      for (const pending of this.issued.values())
        pending.abort?.abort(new CancelledError("activation ended"));
    }
  }

  private finishWith(result: NonNullable<ReplayEngine["done"]>): void {
    this.done = result;
    this.signal();
  }

  private async loop(): Promise<ActivationOutcome> {
    for (;;) {
      await macrotask();
      if (this.fatal) return { type: "blocked", error: toErrorData(this.fatal) };
      if (this.replayQueue.length > 0) {
        this.replayNext();
        continue;
      }
      if (this.cancelReason !== undefined && !this.cancelDelivered && !this.done) {
        await this.write({
          kind: "cancel",
          seq: this.nextSeq++,
          name: "cancel",
          outcome: "ok",
          result: encode({ reason: this.cancelReason }, "cancel reason"),
          attempts: 1,
          startedAt: new Date(this.host.now()),
        });
        continue;
      }
      if (!this.draining) this.startIssued();
      const completion = this.completions.shift();
      if (completion) {
        await this.write(completion);
        continue;
      }
      if (this.draining && !this.done && this.inFlight === 0) return { type: "released" };
      if (this.fireDueTimers()) continue;
      if (this.done) {
        if (this.inFlight === 0) return this.finish(this.done);
        await this.waitForSignal();
        continue;
      }
      if (this.inFlight > 0 || this.hasHeldTimer()) {
        await this.waitForSignal();
        continue;
      }
      if (this.hasUnsettledCommand()) return this.suspend();
      // Nothing durable is awaited, yet the workflow has not returned: it awaits something outside ctx
      // (a fetch, a setTimeout). Give it a moment, then park the run rather than lose track of it.
      if (await this.waitForForeign()) continue;
      this.fail(
        `the workflow awaits something that is not a ctx call (a fetch, a timer or another promise in the workflow body) after seq ${this.nextSeq - 1}; move it into ctx.call`,
        {},
      );
    }
  }

  private hasUnsettledCommand(): boolean {
    for (const pending of this.issued.values()) if (!pending.settled) return true;
    return false;
  }

  private async waitForForeign(): Promise<boolean> {
    const before = this.nextSeq;
    this.awaitingForeign = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.waitForSignal(),
      new Promise<void>((resolve) => {
        timer = realSetTimeout(resolve, this.host.foreignAwaitMs ?? 5_000);
      }),
    ]);
    realClearTimeout(timer);
    this.wake = undefined;
    this.awaitingForeign = false;
    return this.nextSeq !== before || this.done !== undefined || this.fatal !== undefined;
  }

  private replayNext(): void {
    const entry = this.replayQueue[0] as JournalEntry;
    if (entry.kind === "cancel") {
      if (entry.seq !== this.nextSeq) {
        this.fail(
          `the journal delivered a cancellation at seq ${entry.seq}, but the code is at seq ${this.nextSeq}`,
          {
            recorded: command(entry),
          },
        );
        return;
      }
      this.nextSeq++;
      this.replayQueue.shift();
      this.lastTime = entry.completedAt.getTime();
      this.deliverCancel(decode<{ reason: string }>(entry.result).reason);
      return;
    }
    const pending = this.issued.get(entry.seq);
    if (!pending) {
      const what = this.done ? "the workflow returned without issuing it" : "the code has not issued it";
      this.fail(
        `the journal's next result is seq ${entry.seq} ${describeCommand(entry)}, but ${what} (the code issued ${this.nextSeq} command${this.nextSeq === 1 ? "" : "s"})`,
        { recorded: command(entry) },
      );
      return;
    }
    this.replayQueue.shift();
    this.lastTime = entry.completedAt.getTime();
    this.deliver(pending, entry);
  }

  private deliver(
    pending: Pending,
    entry: Pick<JournalEntry, "kind" | "name" | "seq" | "attempts"> & Outcome,
  ): void {
    if (pending.settled) return;
    pending.settled = true;
    delete this.retries[String(pending.seq)];
    if (entry.outcome === "ok") {
      pending.resolve(entry.kind === "sleep" ? undefined : decode(entry.result));
    } else {
      pending.reject(new StepFailedError(entry.name, entry.seq, entry.attempts, entry.error));
    }
  }

  private deliverCancel(reason: string): void {
    this.cancelDelivered = true;
    // Every await the workflow is parked on sees the cancellation now; steps still running are aborted
    // through their signal and journaled when they end, like any step that lost a race.
    for (const pending of this.issued.values()) {
      if (pending.settled) continue;
      const error = new CancelledError(`run ${this.host.runId} was cancelled: ${reason}`, reason);
      pending.settled = true;
      delete pending.start;
      pending.abort?.abort(error);
      pending.reject(error);
    }
  }

  private async write(completion: Completion): Promise<void> {
    const entry = { ...completion, order: this.nextOrder++ } as NewJournalEntry;
    const completedAt = await this.host.append(entry);
    this.lastTime = completedAt.getTime();
    if (entry.kind === "cancel") {
      this.deliverCancel(this.cancelReason ?? "cancelled");
      return;
    }
    const pending = this.issued.get(entry.seq);
    if (pending) this.deliver(pending, entry as Outcome & typeof entry);
  }

  private startIssued(): void {
    for (const pending of this.issued.values()) {
      const start = pending.start;
      if (start && !pending.settled) {
        delete pending.start;
        start();
      }
    }
  }

  private fireDueTimers(): boolean {
    const now = this.host.now();
    const due = [...this.issued.values()]
      .filter((p) => !p.settled && p.dueAt !== undefined && p.dueAt <= now)
      .sort((a, b) => (a.dueAt as number) - (b.dueAt as number) || a.seq - b.seq);
    for (const pending of due) {
      delete pending.dueAt;
      delete pending.held;
      pending.onDue?.();
    }
    return due.length > 0;
  }

  private hasHeldTimer(): boolean {
    for (const p of this.issued.values()) if (!p.settled && p.held) return true;
    return false;
  }

  private earliestTimer(): number | undefined {
    let earliest: number | undefined;
    for (const p of this.issued.values()) {
      if (!p.settled && p.dueAt !== undefined && (earliest === undefined || p.dueAt < earliest))
        earliest = p.dueAt;
    }
    return earliest;
  }

  private async waitForSignal(): Promise<void> {
    const at = this.earliestTimer();
    let cancelTimer: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      if (at !== undefined) cancelTimer = this.host.setTimer(at, () => this.signal());
    });
    cancelTimer?.();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private suspend(): ActivationOutcome {
    const at = this.earliestTimer();
    const waitingFor = [...this.issued.values()]
      .filter((p) => !p.settled && p.kind === "event")
      .map((p) => p.name);
    return {
      type: "suspended",
      wakeAt: at === undefined ? null : new Date(at),
      retryState: { steps: this.retries, issued: this.nextSeq },
      waitingFor: [...new Set(waitingFor)],
    };
  }

  private finish(done: NonNullable<ReplayEngine["done"]>): ActivationOutcome {
    const runId = this.host.runId;
    if (!done.ok) {
      const error = toErrorData(done.error);
      return this.cancelDelivered ? { type: "cancelled", error } : { type: "failed", error };
    }
    let output: Encoded;
    try {
      const schema = this.host.workflow.options.output;
      const value = schema ? validateWith(schema, done.value, `run ${runId} output`) : done.value;
      output = encode(value, `run ${runId} output`, this.limit);
    } catch (error) {
      return { type: this.cancelDelivered ? "cancelled" : "failed", error: toErrorData(error) };
    }
    return this.cancelDelivered ? { type: "cancelled", output } : { type: "completed", output };
  }

  private fail(
    message: string,
    detail: { recorded?: CommandDescription; issued?: CommandDescription },
  ): void {
    if (this.fatal) return;
    const runId = this.host.runId;
    const seq = detail.recorded?.seq ?? detail.issued?.seq ?? this.nextSeq;
    this.fatal = new NonDeterminismError(runId, {
      ...detail,
      message: `run ${runId} no longer replays: ${message}; deploy code that replays it and retry the run, or fork it (durable fork ${runId} --from ${seq})`,
    });
    this.signal();
  }

  /** Registers an issued command; checks it against the journal. Returns its promise and record. */
  private issue(
    kind: Pending["kind"],
    name: string,
  ): { promise: Promise<never>; pending: Pending; replayed: boolean } {
    const seq = this.nextSeq++;
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<never>((res, rej) => {
      resolve = res as (value: unknown) => void;
      reject = rej;
    });
    const pending: Pending = { seq, kind, name, settled: false, resolve, reject };
    this.issued.set(seq, pending);
    this.signal();
    const recorded = this.recorded.get(seq);
    if (recorded && (recorded.kind !== kind || recorded.name !== name)) {
      this.fail(
        `seq ${seq} was issued as ${describeCommand({ kind, name })} but the journal has ${describeCommand(recorded)}`,
        {
          recorded: command(recorded),
          issued: { seq, kind, name },
        },
      );
      pending.settled = true;
      return { promise: new Promise<never>(() => {}), pending, replayed: true };
    }
    return { promise, pending, replayed: recorded !== undefined };
  }

  private callStep(
    kind: "call" | "decide",
    name: string,
    fn: (step: StepContext) => unknown,
    options: CallOptions | undefined,
    stepPolicy?: ResolvedRetryPolicy,
  ): Promise<never> {
    if (typeof name !== "string" || name === "") {
      return Promise.reject(new ValidationError(`ctx.${kind}: the step name must be a non-empty string`));
    }
    const policy = stepPolicy ?? resolveRetryPolicy(options?.retry, this.host.workflow.options.retry);
    const timeoutMs =
      options?.timeout === undefined ? undefined : parseDuration(options.timeout, `${name}.timeout`);
    const { promise, pending, replayed } = this.issue(kind, name);
    if (replayed) return promise;
    const startedAt = new Date(this.host.now());
    const attempt = (n: number) => this.runAttempt(pending, fn, n, { policy, timeoutMs, startedAt });
    const waiting = this.retries[String(pending.seq)];
    if (waiting) {
      pending.dueAt = Date.parse(waiting.nextAt);
      pending.onDue = () => {
        pending.start = () => attempt(waiting.attempts + 1);
      };
    } else {
      pending.start = () => attempt(1);
    }
    return promise;
  }

  private runAttempt(
    pending: Pending,
    fn: (step: StepContext) => unknown,
    attempt: number,
    opts: { policy: ResolvedRetryPolicy; timeoutMs: number | undefined; startedAt: Date },
  ): void {
    const { seq, name, kind } = pending;
    const runId = this.host.runId;
    const abort = new AbortController();
    pending.abort = abort;
    this.inFlight++;
    const stepContext: StepContext = {
      runId,
      stepName: name,
      seq,
      attempt,
      idempotencyKey: `${runId}:${seq}`,
      signal: abort.signal,
      log: this.host.logger.child({ step: name, seq, attempt }),
    };
    const cancelTimeout =
      opts.timeoutMs === undefined
        ? undefined
        : this.host.setTimer(this.host.now() + opts.timeoutMs, () =>
            abort.abort(new TimeoutError(`step "${name}" (seq ${seq}) attempt ${attempt} timed out`)),
          );
    const aborted = new Promise<never>((_, reject) => {
      abort.signal.addEventListener("abort", () => reject(abort.signal.reason), { once: true });
    });
    aborted.catch(() => {});
    const body = this.host.stepMocks?.get(name) ?? fn;
    const execute = () => Promise.resolve(this.scope.step(() => body(stepContext)));
    const intercept = this.host.interceptStepAttempt;
    const info = {
      runId,
      workflow: this.host.workflow.name,
      kind: kind as "call" | "decide",
      name,
      seq,
      attempt,
    };
    const work = Promise.resolve().then(() =>
      intercept ? intercept({ ...info, idempotencyKey: stepContext.idempotencyKey }, execute) : execute(),
    );
    void Promise.race([work, aborted])
      .then((value) => ({
        ok: true as const,
        result: encode(value, `run ${runId} step "${name}" (seq ${seq}) result`, this.limit),
      }))
      .catch((error: unknown) => ({ ok: false as const, error }))
      .then((settled) => {
        cancelTimeout?.();
        this.inFlight--;
        delete pending.abort;
        const base = { kind, seq, name, attempts: attempt, startedAt: opts.startedAt };
        if (settled.ok) {
          this.completions.push({ ...base, outcome: "ok", result: settled.result } as Completion);
        } else if (
          this.cancelDelivered ||
          !isRetryable(opts.policy, settled.error) ||
          attempt >= opts.policy.maxAttempts
        ) {
          this.completions.push({
            ...base,
            outcome: "error",
            error: toErrorData(settled.error),
          } as Completion);
        } else {
          this.scheduleRetry(pending, settled.error, attempt, opts, fn);
        }
        this.signal();
      });
  }

  private scheduleRetry(
    pending: Pending,
    error: unknown,
    attempt: number,
    opts: { policy: ResolvedRetryPolicy; timeoutMs: number | undefined; startedAt: Date },
    fn: (step: StepContext) => unknown,
  ): void {
    const delay = retryDelayMs(opts.policy, attempt);
    const nextAt = this.host.now() + delay;
    pending.dueAt = nextAt;
    pending.onDue = () => {
      pending.start = () => this.runAttempt(pending, fn, attempt + 1, opts);
    };
    if (delay <= (this.host.retryHoldMs ?? 5_000)) {
      pending.held = true;
    } else {
      this.retries[String(pending.seq)] = {
        attempts: attempt,
        nextAt: new Date(nextAt).toISOString(),
        lastError: toErrorData(error),
      };
    }
  }

  private timer(until: number): Promise<void> {
    const { promise, pending, replayed } = this.issue("sleep", "sleep");
    if (!replayed) {
      pending.dueAt = until;
      pending.onDue = () =>
        this.completions.push({
          kind: "sleep",
          seq: pending.seq,
          name: "sleep",
          outcome: "ok",
          result: encode({ until: new Date(until) }, "sleep"),
          attempts: 1,
          startedAt: new Date(this.lastTime),
        });
    }
    return promise;
  }

  private patched(changeId: string): boolean {
    const seq = this.nextSeq;
    const recorded = this.recorded.get(seq);
    if (recorded?.kind === "patch" && recorded.name === changeId) {
      this.issue("patch", changeId).pending.settled = true;
      return true;
    }
    if (seq <= this.maxRecordedSeq) return false;
    const { pending } = this.issue("patch", changeId);
    pending.settled = true;
    this.completions.push({
      kind: "patch",
      seq,
      name: changeId,
      outcome: "ok",
      result: encode(true, "patch"),
      attempts: 1,
      startedAt: new Date(this.lastTime),
    });
    return true;
  }

  private createContext(): WorkflowContext {
    const engine = this;
    const host = this.host;
    const log = silentWhileReplaying(host.logger, () => engine.isReplaying);
    const ctx: WorkflowContext = {
      runId: host.runId,
      workflowName: host.workflow.name,
      get isReplaying() {
        return engine.isReplaying;
      },
      log,
      call(nameOrStep: string | StepDefinition, fnOrInput?: unknown, options?: CallOptions): Promise<never> {
        if (typeof nameOrStep === "string") {
          if (typeof fnOrInput !== "function") {
            return Promise.reject(
              new ValidationError(`ctx.call("${nameOrStep}"): the second argument must be a function`),
            );
          }
          return engine.callStep("call", nameOrStep, fnOrInput as (s: StepContext) => unknown, options);
        }
        const def = nameOrStep;
        const policy = resolveRetryPolicy(options?.retry, def.options.retry, host.workflow.options.retry);
        const run = (s: StepContext) => {
          const input = def.options.input
            ? validateWith(def.options.input, fnOrInput, `step "${def.name}" input`)
            : fnOrInput;
          return def.fn(s, input);
        };
        return engine.callStep("call", def.name, run, options, policy);
      },
      sleep(duration: Duration) {
        let ms: number;
        try {
          ms = parseDuration(duration, "ctx.sleep duration");
        } catch (error) {
          return Promise.reject(error);
        }
        return engine.timer(engine.lastTime + ms);
      },
      sleepUntil(date: Date) {
        if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
          return Promise.reject(new ValidationError("ctx.sleepUntil: expected a valid Date"));
        }
        return engine.timer(date.getTime());
      },
      decide(name, fn) {
        return engine.callStep("decide", name, () => fn(), undefined);
      },
      async waitUntil(name, condition, options) {
        const everyMs = parseDuration(options.every, "waitUntil every");
        const timeoutMs =
          options.timeout === undefined ? undefined : parseDuration(options.timeout, "waitUntil timeout");
        const deadline = timeoutMs === undefined ? undefined : engine.lastTime + timeoutMs;
        for (;;) {
          if (await ctx.decide(name, condition)) return true;
          const now = engine.lastTime;
          if (deadline !== undefined && now >= deadline) return false;
          await engine.timer(deadline === undefined ? now + everyMs : Math.min(now + everyMs, deadline));
        }
      },
      patched: (changeId) => engine.patched(changeId),
      now: () => new Date(engine.lastTime),
      random: () => engine.prng.next(),
      uuid: () => engine.prng.uuid(),
    };
    return ctx;
  }
}

type Outcome = { outcome: "ok"; result: Encoded } | { outcome: "error"; error: ErrorData };

function command(entry: JournalEntry): CommandDescription {
  return { seq: entry.seq, kind: entry.kind, name: entry.name };
}

function silentWhileReplaying(logger: Logger, replaying: () => boolean): Logger {
  const wrap = (target: Logger): Logger => ({
    trace: (o, m) => replaying() || target.trace(o, m),
    debug: (o, m) => replaying() || target.debug(o, m),
    info: (o, m) => replaying() || target.info(o, m),
    warn: (o, m) => replaying() || target.warn(o, m),
    error: (o, m) => replaying() || target.error(o, m),
    child: (bindings) => wrap(target.child(bindings)),
  });
  return wrap(logger);
}
