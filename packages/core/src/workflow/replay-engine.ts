import type { ActivationHost, ActivationOutcome, CodeScope, OfferedEvent } from "./activation-host.js";
import type { WorkflowContext } from "./context.js";
import { createContext } from "./create-context.js";
import {
  CancelledError,
  type CommandDescription,
  type ErrorData,
  NonDeterminismError,
  StepFailedError,
  toErrorData,
  WorkflowFailedError,
} from "./errors.js";
import { describeCommand, type JournalEntry, type NewJournalEntry, type StepRetry } from "./journal.js";
import { Prng } from "./prng.js";
import { DEFAULT_PAYLOAD_LIMIT, decode, type Encoded, encode } from "./serialize.js";
import { validateWith } from "./validate-with.js";

/** An issued command that has not been delivered yet (or was, and is kept to match later entries). */
export interface Pending {
  seq: number;
  kind: JournalEntry["kind"];
  name: string;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** A timer (sleep, event timeout, wait before a step's next attempt) and what to do when it is due. */
  dueAt?: number;
  onDue?: () => void;
  /** Held in process (short retry waits): the run does not suspend while it waits. */
  held?: boolean;
  /** Live work not started yet; started at the next quiescent point unless cancelled first. */
  start?: () => void;
  abort?: AbortController;
  /** A completion is queued: nothing else may complete this command. */
  queued?: boolean;
  childId?: string;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A result waiting to be journaled and delivered. */
export interface Completion {
  entry: DistributiveOmit<NewJournalEntry, "order">;
  consumeEvent?: string;
  /** `ctx.transaction`: run in the same database transaction as the journal row. */
  transaction?: (trx: unknown) => Promise<unknown>;
}

type Outcome = { outcome: "ok"; result: Encoded } | { outcome: "error"; error: ErrorData };

/** Thrown by `ctx.continueAsNew` to end the activation with a new input. */
export class ContinueAsNewSignal {
  constructor(readonly input: Encoded) {}
}

// Captured before any determinism guard wraps the globals: the engine's own timing is not workflow code.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const passThrough: CodeScope = { workflow: (_name, fn) => fn(), step: (fn) => fn() };
const JOURNAL_WARNING = 10_000;

/**
 * Runs one activation of a run: calls the workflow from the start, re-delivers journaled results in their
 * recorded order (each after the workflow has run on to its next await), executes the rest live (journaling
 * each result before the workflow sees it), and ends when the workflow returns, throws, or waits only on
 * durable things (timers, events, children).
 * @example
 * const outcome = await new ReplayEngine(host).run(); // { type: "suspended", wakeAt, retryState, waitingFor }
 */
export class ReplayEngine {
  /** @internal */ nextSeq = 0;
  private nextOrder = 0;
  /** @internal */ maxRecordedSeq = -1;
  /** @internal */ readonly recorded = new Map<number, JournalEntry>();
  private readonly replayQueue: JournalEntry[];
  /** @internal */ readonly issued = new Map<number, Pending>();
  private readonly completions: Completion[] = [];
  /** @internal */ inFlight = 0;
  /** @internal */ lastTime: number;
  private wake: (() => void) | undefined;
  private fatal: NonDeterminismError | undefined;
  private crashed: { error: unknown } | undefined;
  private done: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  private cancelReason: string | undefined;
  /** @internal */ cancelDelivered = false;
  private draining = false;
  private awaitingForeign = false;
  /** @internal */ readonly retries: Record<string, StepRetry>;
  private readonly frontier: number;
  private readonly events: OfferedEvent[];
  private readonly takenEvents = new Set<string>();
  /** @internal */ readonly children = new Map<string, "cancel" | "abandon">();
  /** @internal */ readonly prng: Prng;
  /** @internal */ readonly scope: CodeScope;
  /** @internal */ readonly limit: number;
  readonly ctx: WorkflowContext;

  constructor(readonly host: ActivationHost) {
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
    this.events = [...(host.events ?? [])];
    this.prng = new Prng(host.runId);
    this.scope = host.scope ?? passThrough;
    this.limit = host.payloadLimit ?? DEFAULT_PAYLOAD_LIMIT;
    this.ctx = createContext(this);
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

  /** Hands over events that arrived while the run is active. */
  offerEvents(events: readonly OfferedEvent[]): void {
    for (const event of events) {
      if (!this.events.some((e) => e.id === event.id)) this.events.push(event);
    }
    this.matchEvents();
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
      if (this.crashed) throw this.crashed.error;
      if (this.fatal) return { type: "blocked", error: toErrorData(this.fatal) };
      if (this.replayQueue.length > 0) {
        this.replayNext();
        continue;
      }
      if (this.cancelReason !== undefined && !this.cancelDelivered && !this.done) {
        await this.write({
          entry: {
            kind: "cancel",
            seq: this.nextSeq++,
            name: "cancel",
            outcome: "ok",
            result: encode({ reason: this.cancelReason }, "cancel reason"),
            attempts: 1,
            startedAt: new Date(this.host.now()),
          },
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
      // Once the workflow has returned nobody awaits a timer: only running steps still get journaled.
      if (!this.done && this.fireDueTimers()) continue;
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
      this.cancelDelivered = true;
      this.rejectAll(decode<{ reason: string }>(entry.result).reason);
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
    } else if (entry.kind === "child") {
      const childId = pending.childId ?? entry.name;
      pending.reject(
        entry.error.code === "cancelled"
          ? new CancelledError(`child run ${childId} was cancelled: ${entry.error.message}`)
          : new WorkflowFailedError(childId, "failed", entry.error),
      );
    } else {
      pending.reject(new StepFailedError(entry.name, entry.seq, entry.attempts, entry.error));
    }
  }

  /** Every await the workflow is parked on sees the cancellation; running steps are aborted. */
  private rejectAll(reason: string): void {
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
    const order = this.nextOrder++;
    let entry = { ...completion.entry, order } as NewJournalEntry;
    let completedAt: Date;
    if (completion.transaction && this.host.transaction) {
      const what = `run ${this.host.runId} transaction "${entry.name}" (seq ${entry.seq}) result`;
      try {
        let written: NewJournalEntry | undefined;
        const done = await this.host.transaction(completion.transaction, (value) => {
          written = { ...entry, outcome: "ok", result: encode(value, what, this.limit) } as NewJournalEntry;
          return written;
        });
        entry = written as NewJournalEntry;
        completedAt = done.completedAt;
      } catch (error) {
        if ((error as { code?: unknown }).code === "lease_lost") throw error;
        entry = { ...entry, outcome: "error", error: toErrorData(error) } as NewJournalEntry;
        completedAt = await this.host.append(entry);
      }
    } else {
      const options =
        completion.consumeEvent === undefined ? undefined : { consumeEvent: completion.consumeEvent };
      completedAt = await this.host.append(entry, options);
    }
    this.lastTime = completedAt.getTime();
    if (entry.kind === "cancel") {
      this.cancelDelivered = true;
      const reason = this.cancelReason ?? "cancelled";
      await this.cancelChildren(reason);
      this.rejectAll(reason);
      return;
    }
    const pending = this.issued.get(entry.seq);
    if (pending) this.deliver(pending, entry as Outcome & typeof entry);
  }

  private async cancelChildren(reason: string): Promise<void> {
    const cancelRun = this.host.cancelRun;
    if (!cancelRun) return;
    const ids = [...this.children].filter(([, close]) => close === "cancel").map(([id]) => id);
    await Promise.all(
      ids.map((id) => cancelRun(id, `parent run ${this.host.runId} was cancelled: ${reason}`)),
    );
  }

  /** @internal Queues a result to journal and deliver at the next quiescent point. */
  complete(completion: Completion, pending?: Pending): void {
    if (pending) pending.queued = true;
    this.completions.push(completion);
    this.signal();
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

  /** @internal Matches unconsumed events to waiting `waitForEvent` commands, oldest first. */
  matchEvents(): void {
    for (const pending of [...this.issued.values()].sort((a, b) => a.seq - b.seq)) {
      if (pending.kind !== "event" || pending.settled || pending.queued || this.recorded.has(pending.seq))
        continue;
      const event = this.events.find((e) => e.name === pending.name && !this.takenEvents.has(e.id));
      if (!event) continue;
      this.takenEvents.add(event.id);
      delete pending.dueAt;
      this.complete(
        {
          entry: {
            kind: "event",
            seq: pending.seq,
            name: pending.name,
            outcome: "ok",
            result: event.payload,
            attempts: 1,
            startedAt: new Date(this.lastTime),
          },
          consumeEvent: event.id,
        },
        pending,
      );
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

  /** @internal Ends the activation with an infrastructure error (the store failed); the run is retried. */
  crash(error: unknown): void {
    this.crashed ??= { error };
    this.signal();
  }

  /** @internal Wakes the loop. */
  signal(): void {
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
      if (done.error instanceof ContinueAsNewSignal) return { type: "continued", input: done.error.input };
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

  /** @internal Parks the run: the code no longer replays its journal. */
  fail(message: string, detail: { recorded?: CommandDescription; issued?: CommandDescription }): void {
    if (this.fatal) return;
    const runId = this.host.runId;
    const seq = detail.recorded?.seq ?? detail.issued?.seq ?? this.nextSeq;
    this.fatal = new NonDeterminismError(runId, {
      ...detail,
      message: `run ${runId} no longer replays: ${message}; deploy code that replays it and retry the run, or fork it (durable fork ${runId} --from ${seq})`,
    });
    this.signal();
  }

  /** @internal Registers an issued command; checks it against the journal. */
  issue(
    kind: Pending["kind"],
    name: string,
  ): { promise: Promise<never>; pending: Pending; replayed: boolean } {
    const seq = this.nextSeq++;
    if (seq === JOURNAL_WARNING) {
      this.host.logger.warn(
        { runId: this.host.runId, seq },
        `run ${this.host.runId} has issued ${JOURNAL_WARNING} commands; long-lived loops should call ctx.continueAsNew(input) to start afresh with an empty journal`,
      );
    }
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
        { recorded: command(recorded), issued: { seq, kind, name } },
      );
      pending.settled = true;
      return { promise: new Promise<never>(() => {}), pending, replayed: true };
    }
    return { promise, pending, replayed: recorded !== undefined };
  }
}

function command(entry: JournalEntry): CommandDescription {
  return { seq: entry.seq, kind: entry.kind, name: entry.name };
}
