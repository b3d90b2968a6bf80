import type { StepAttemptInfo } from "./activation-host.js";
import type { StepContext } from "./context.js";

/** One live step attempt the engine asks for. */
export interface StepAttemptRequest {
  readonly info: StepAttemptInfo;
  readonly fn: (step: StepContext) => unknown;
  /** When the attempt times out (its signal fires), ms since epoch by the store's clock. */
  readonly timeoutAt: number | undefined;
}

/** How an attempt ended: the value the step returned, or what it threw (or why it was aborted). */
export type AttemptResult = { ok: true; value: unknown } | { ok: false; error: unknown };

/** An attempt under way: its result, and a way to abort it (its `signal` fires). */
export interface LiveAttempt {
  readonly result: Promise<AttemptResult>;
  abort(reason: unknown): void;
}

/**
 * Everything the engine asks the runtime to do. The engine decides (what runs, when, what is journaled);
 * the port acts: it runs step code, keeps timers and schedules the engine's next turn. `workflow/` holds no
 * timer, no I/O and no clock of its own.
 */
export interface ActivationPort {
  /** Resolves once the workflow's pending microtasks and the runtime's I/O callbacks have had their turn. */
  nextTurn(): Promise<void>;
  /** Calls `fn` at `at` (ms since epoch, the store's clock); returns a function that cancels the timer. */
  setTimer(at: number, fn: () => void): () => void;
  /** Calls `fn` after `ms` of real time (the grace given a body that awaits something outside ctx). */
  setGrace(ms: number, fn: () => void): () => void;
  /** Calls the workflow body in the runtime's code scope (the determinism guard watches it there). */
  runBody<T>(workflowName: string, fn: () => T): T;
  /** Starts one live attempt of a step or decision. */
  startAttempt(request: StepAttemptRequest): LiveAttempt;
}
