import type { ActivationHost } from "./activation-host.js";
import type { ActivationPort } from "./activation-port.js";
import type { JournalEntry, StepRetry } from "./journal.js";
import type { CommandKind, Completion, Issued, Pending, PendingOf } from "./pending.js";
import type { Prng } from "./prng.js";

/**
 * What the context and the step code may do with the activation they belong to: issue commands, queue
 * their results, and read the few facts they decide by. The engine's own state stays private to it.
 */
export interface Activation {
  readonly host: ActivationHost;
  readonly port: ActivationPort;
  /** The payload limit in bytes. */
  readonly limit: number;
  /** Seeded by the run id: `ctx.random()` and `ctx.uuid()`. */
  readonly prng: Prng;
  /** True while recorded results remain to deliver, or the code has not reached where it last suspended. */
  readonly isReplaying: boolean;
  /** The time recorded with the latest entry delivered (`ctx.now()`), ms since epoch. */
  readonly lastTime: number;
  /** The seq the next command gets. */
  readonly nextSeq: number;
  /** The highest recorded seq, -1 for an empty journal. */
  readonly maxRecordedSeq: number;
  /** A cancellation has reached the workflow: a failed attempt is final. */
  readonly cancelDelivered: boolean;
  /** The recorded entry of `seq`, if the journal has one. */
  recorded(seq: number): JournalEntry | undefined;
  /** Registers a command under the next seq and checks it against the journal. */
  issue<K extends CommandKind>(kind: K, name: string): Issued<PendingOf<K>>;
  /** Queues a result to journal and deliver at the next quiescent point. */
  complete(completion: Completion, pending?: Pending): void;
  /** Matches unconsumed events to waiting `waitForEvent` commands, oldest first. */
  matchEvents(): void;
  /** Remembers a child run, to cancel it with its parent unless it is abandoned. */
  adoptChild(childId: string, parentClose: "cancel" | "abandon"): void;
  /** The durable wait of step `seq` before its next attempt, carried over from an earlier activation. */
  retryOf(seq: number): StepRetry | undefined;
  /** Records a durable wait before the next attempt of step `seq`: the run may suspend meanwhile. */
  awaitRetry(seq: number, retry: StepRetry): void;
  /** Live work began (a step attempt, a child start): the run does not suspend while any runs. */
  workStarted(): void;
  workEnded(): void;
  /** Ends the activation with an infrastructure error (the store failed); the run is retried. */
  crash(error: unknown): void;
  /** Wakes the engine's loop. */
  signal(): void;
}
