import type { Activation } from "./activation.js";
import type { ActivationHost, ActivationOutcome, OfferedEvent } from "./activation-host.js";
import type { ActivationPort } from "./activation-port.js";
import { CommandTable } from "./command-table.js";
import { cancelDelivery, eventReceived } from "./commands/deliveries.js";
import type { WorkflowContext } from "./context.js";
import { createContext } from "./create-context.js";
import { CancelledError, type NonDeterminismError, toErrorData } from "./errors.js";
import { EventInbox } from "./event-inbox.js";
import type { JournalEntry, StepRetry } from "./journal.js";
import { JournalCursor } from "./journal-cursor.js";
import {
  foreignAwait,
  issuedMismatch,
  type Mismatch,
  misplacedCancel,
  nonDeterminism,
  unissuedResult,
} from "./mismatch.js";
import { type Deliverable, deliver, type Settled, settledOutcome } from "./outcome.js";
import {
  type CommandKind,
  type CommandView,
  type Completion,
  createPending,
  type Issued,
  type Pending,
  type PendingOf,
} from "./pending.js";
import { Prng } from "./prng.js";
import { cancelledMessage, parentCancelledReason } from "./run-messages.js";
import { DEFAULT_PAYLOAD_LIMIT, decode } from "./serialize.js";
import { writeCompletion } from "./write-completion.js";

const JOURNAL_WARNING = 10_000;

/**
 * Runs one activation of a run: calls the workflow from the start, re-delivers journaled results in their
 * recorded order (each after the workflow has run on to its next await), has the rest done live through
 * its port (journaling each result before the workflow sees it), and ends when the workflow returns, throws,
 * or waits only on durable things (timers, events, children). It decides; the port acts.
 * @example
 * const outcome = await new ReplayEngine(host, port).run(); // { type: "suspended", wakeAt, retryState, waitingFor }
 */
export class ReplayEngine {
  readonly #host: ActivationHost;
  readonly #port: ActivationPort;
  readonly #journal: JournalCursor;
  readonly #commands = new CommandTable();
  readonly #inbox: EventInbox;
  readonly #completions: Completion[] = [];
  readonly #retries: Record<string, StepRetry>;
  readonly #children = new Map<string, "cancel" | "abandon">();
  readonly #frontier: number;
  readonly #limit: number;
  readonly #ctx: WorkflowContext;
  #nextSeq = 0;
  #inFlight = 0;
  #lastTime: number;
  #wake: (() => void) | undefined;
  #fatal: NonDeterminismError | undefined;
  #crashed: { error: unknown } | undefined;
  #done: Settled | undefined;
  #cancelReason: string | undefined;
  #cancelDelivered = false;
  #draining = false;
  #awaitingForeign = false;

  constructor(host: ActivationHost, port: ActivationPort) {
    this.#host = host;
    this.#port = port;
    this.#journal = new JournalCursor(host.journal);
    this.#lastTime = host.startedAt.getTime();
    this.#cancelReason = host.cancelReason;
    this.#retries = { ...host.retryState.steps };
    this.#frontier = host.retryState.issued ?? 0;
    this.#inbox = new EventInbox(host.events ?? []);
    this.#limit = host.payloadLimit ?? DEFAULT_PAYLOAD_LIMIT;
    this.#ctx = createContext(this.#activation(new Prng(host.runId)));
  }

  /** True while recorded results remain to deliver, or the code has not yet reached where it last suspended. */
  get isReplaying(): boolean {
    return this.#journal.delivering || this.#nextSeq < this.#frontier;
  }

  /** True while the activation only waits for a timer (nothing running, nothing to write or deliver). */
  get waitingOnTimers(): boolean {
    return (
      this.#wake !== undefined &&
      !this.#awaitingForeign &&
      this.#inFlight === 0 &&
      this.#completions.length === 0
    );
  }

  /**
   * Every command the code has issued so far, by seq: kind, name, whether its result arrived, its timer.
   * @example
   * const waiting = engine.commands().filter((c) => !c.settled);
   */
  commands(): CommandView[] {
    return this.#commands.views();
  }

  /**
   * The commands still waiting for their result, by seq.
   * @example
   * engine.openCommands(); // [{ seq: 3, kind: "event", name: "approved", settled: false }]
   */
  openCommands(): CommandView[] {
    return this.#commands.views().filter((c) => !c.settled);
  }

  /** Delivers a cancellation at the workflow's current await (once). */
  cancel(reason: string): void {
    if (this.#cancelReason === undefined) this.#cancelReason = reason;
    this.#signal();
  }

  /** Hands over events that arrived while the run is active. */
  offerEvents(events: readonly OfferedEvent[]): void {
    this.#inbox.offer(events);
    this.#matchEvents();
    this.#signal();
  }

  /**
   * Stops starting new work: steps already running finish and are journaled, then the activation ends
   * `released` (unless the run finishes or suspends first), for a worker's graceful stop.
   */
  drain(): void {
    this.#draining = true;
    this.#signal();
  }

  /** Drives the activation to its outcome. Rejects with `LeaseLostError` when a write is fenced off. */
  async run(): Promise<ActivationOutcome> {
    const { workflow, input } = this.#host;
    try {
      const promise = this.#port.runBody(workflow.name, () => workflow.fn(this.#ctx, input));
      promise.then(
        (value) => this.#finishWith({ ok: true, value }),
        (error: unknown) => this.#finishWith({ ok: false, error }),
      );
    } catch (error) {
      this.#finishWith({ ok: false, error });
    }
    try {
      return await this.#loop();
    } finally {
      this.#commands.abortAttempts(() => new CancelledError("activation ended"));
    }
  }

  /** The narrow interface the context and the step code use; everything else stays private here. */
  #activation(prng: Prng): Activation {
    const engine = this;
    return {
      host: this.#host,
      port: this.#port,
      limit: this.#limit,
      prng,
      get isReplaying() {
        return engine.isReplaying;
      },
      get lastTime() {
        return engine.#lastTime;
      },
      get nextSeq() {
        return engine.#nextSeq;
      },
      maxRecordedSeq: this.#journal.maxSeq,
      get cancelDelivered() {
        return engine.#cancelDelivered;
      },
      recorded: (seq) => this.#journal.at(seq),
      issue: (kind, name) => this.#issue(kind, name),
      complete: (completion, pending) => this.#complete(completion, pending),
      matchEvents: () => this.#matchEvents(),
      adoptChild: (childId, parentClose) => this.#children.set(childId, parentClose),
      retryOf: (seq) => this.#retries[String(seq)],
      awaitRetry: (seq, retry) => {
        this.#retries[String(seq)] = retry;
      },
      workStarted: () => {
        this.#inFlight++;
      },
      workEnded: () => {
        this.#inFlight--;
      },
      crash: (error) => {
        this.#crashed ??= { error };
        this.#signal();
      },
      signal: () => this.#signal(),
    };
  }

  #finishWith(result: Settled): void {
    this.#done = result;
    this.#signal();
  }

  async #loop(): Promise<ActivationOutcome> {
    for (;;) {
      await this.#port.nextTurn();
      if (this.#crashed) throw this.#crashed.error;
      if (this.#fatal) return { type: "blocked", error: toErrorData(this.#fatal) };
      if (this.#journal.delivering) {
        this.#replayNext();
        continue;
      }
      if (this.#cancelReason !== undefined && !this.#cancelDelivered && !this.#done) {
        await this.#write(cancelDelivery(this.#nextSeq++, this.#cancelReason, this.#host.now()));
        continue;
      }
      if (!this.#draining) this.#commands.startDeferred();
      const completion = this.#completions.shift();
      if (completion) {
        await this.#write(completion);
        continue;
      }
      if (this.#draining && !this.#done && this.#inFlight === 0) return { type: "released" };
      // Once the workflow has returned nobody awaits a timer: only running steps still get journaled.
      if (!this.#done && this.#commands.fireDue(this.#host.now())) continue;
      if (this.#done) {
        if (this.#inFlight === 0) return this.#finish(this.#done);
        await this.#waitForSignal();
        continue;
      }
      if (this.#inFlight > 0 || this.#commands.hasHeldTimer()) {
        await this.#waitForSignal();
        continue;
      }
      if (this.#commands.hasUnsettled()) return this.#suspend();
      // Nothing durable is awaited, yet the workflow has not returned: it awaits something outside ctx
      // (a fetch, a setTimeout). Give it a moment, then park the run rather than lose track of it.
      if (await this.#waitForForeign()) continue;
      this.#fail(foreignAwait(this.#nextSeq));
    }
  }

  async #waitForForeign(): Promise<boolean> {
    const before = this.#nextSeq;
    this.#awaitingForeign = true;
    let cancelGrace: (() => void) | undefined;
    await Promise.race([
      this.#waitForSignal(),
      new Promise<void>((resolve) => {
        cancelGrace = this.#port.setGrace(this.#host.foreignAwaitMs ?? 5_000, resolve);
      }),
    ]);
    cancelGrace?.();
    this.#wake = undefined;
    this.#awaitingForeign = false;
    return this.#nextSeq !== before || this.#done !== undefined || this.#fatal !== undefined;
  }

  #replayNext(): void {
    const entry = this.#journal.peek() as JournalEntry;
    if (entry.kind === "cancel") {
      if (entry.seq !== this.#nextSeq) {
        this.#fail(misplacedCancel(entry, this.#nextSeq));
        return;
      }
      this.#nextSeq++;
      this.#journal.advance();
      this.#lastTime = entry.completedAt.getTime();
      this.#cancelDelivered = true;
      this.#rejectAll(decode<{ reason: string }>(entry.result).reason);
      return;
    }
    const pending = this.#commands.get(entry.seq);
    if (!pending) {
      this.#fail(unissuedResult(entry, this.#done !== undefined, this.#nextSeq));
      return;
    }
    this.#journal.advance();
    this.#lastTime = entry.completedAt.getTime();
    this.#deliver(pending, entry);
  }

  #deliver(pending: Pending, entry: Deliverable): void {
    if (pending.settled) return;
    delete this.#retries[String(pending.seq)];
    deliver(pending, entry);
  }

  /** Every await the workflow is parked on sees the cancellation; running steps are aborted. */
  #rejectAll(reason: string): void {
    this.#commands.cancelAll(() => new CancelledError(cancelledMessage(this.#host.runId, reason), reason));
  }

  async #write(completion: Completion): Promise<void> {
    const { entry, completedAt } = await writeCompletion(
      this.#host,
      completion,
      this.#journal.takeOrder(),
      this.#limit,
    );
    this.#lastTime = completedAt.getTime();
    if (entry.kind === "cancel") {
      this.#cancelDelivered = true;
      const reason = this.#cancelReason ?? "cancelled";
      await this.#cancelChildren(reason);
      this.#rejectAll(reason);
      return;
    }
    const pending = this.#commands.get(entry.seq);
    if (pending) this.#deliver(pending, entry);
  }

  async #cancelChildren(reason: string): Promise<void> {
    const cancelRun = this.#host.cancelRun;
    if (!cancelRun) return;
    const ids = [...this.#children].filter(([, close]) => close === "cancel").map(([id]) => id);
    await Promise.all(ids.map((id) => cancelRun(id, parentCancelledReason(this.#host.runId, reason))));
  }

  #complete(completion: Completion, pending?: Pending): void {
    if (pending?.kind === "event") pending.queued = true;
    this.#completions.push(completion);
    this.#signal();
  }

  #matchEvents(): void {
    for (const pending of this.#commands.eventWaits()) {
      if (pending.queued || this.#journal.at(pending.seq) !== undefined) continue;
      const event = this.#inbox.take(pending.name);
      if (!event) continue;
      delete pending.dueAt;
      this.#complete(eventReceived(pending, event, this.#lastTime), pending);
    }
  }

  async #waitForSignal(): Promise<void> {
    const at = this.#commands.earliestTimer();
    let cancelTimer: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      if (at !== undefined) cancelTimer = this.#port.setTimer(at, () => this.#signal());
    });
    cancelTimer?.();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #suspend(): ActivationOutcome {
    const at = this.#commands.earliestTimer();
    return {
      type: "suspended",
      wakeAt: at === undefined ? null : new Date(at),
      retryState: { steps: this.#retries, issued: this.#nextSeq },
      waitingFor: this.#commands.awaitedEvents(),
    };
  }

  #finish(done: Settled): ActivationOutcome {
    return settledOutcome(done, this.#cancelDelivered, this.#host, this.#limit);
  }

  /** Parks the run: the code no longer replays its journal. */
  #fail(mismatch: Mismatch): void {
    if (this.#fatal) return;
    this.#fatal = nonDeterminism(this.#host.runId, mismatch, this.#nextSeq);
    this.#signal();
  }

  /** Registers an issued command; checks it against the journal. */
  #issue<K extends CommandKind>(kind: K, name: string): Issued<PendingOf<K>> {
    const seq = this.#nextSeq++;
    if (seq === JOURNAL_WARNING) {
      this.#host.logger.warn(
        { runId: this.#host.runId, seq },
        `run ${this.#host.runId} has issued ${JOURNAL_WARNING} commands; long-lived loops should call ctx.continueAsNew(input) to start afresh with an empty journal`,
      );
    }
    const issued = createPending(seq, kind, name);
    this.#commands.add(issued.pending);
    this.#signal();
    const recorded = this.#journal.at(seq);
    if (recorded && (recorded.kind !== kind || recorded.name !== name)) {
      this.#fail(issuedMismatch({ seq, kind, name }, recorded));
      issued.pending.settled = true;
      issued.promise = new Promise<never>(() => {});
    }
    issued.replayed = recorded !== undefined;
    return issued;
  }
}
