import type { ActivationHost } from "../workflow/activation-host.js";
import type { ActivationPort } from "../workflow/activation-port.js";
import type { StepContext } from "../workflow/context.js";
import { ReplayEngine } from "../workflow/replay-engine.js";
import { originalGlobals } from "./global-hooks.js";
import { type StepAttemptInterceptor, startStepAttempt } from "./step-attempt.js";

/** Where workflow code and step code run: the runtime wraps them to watch for non-determinism. */
export interface CodeScope {
  workflow<T>(workflowName: string, fn: () => T): T;
  step<T>(fn: () => T): T;
}

/** An activation's host, and how this process acts for it: its timers, code scope and step doubles. */
export interface ActivationSetup extends ActivationHost {
  /** Calls `fn` at `at` (ms since epoch, the store's clock); returns a function that cancels the timer. */
  setTimer(at: number, fn: () => void): () => void;
  readonly scope?: CodeScope;
  /** Test doubles: a step (or decision) whose name is here runs this function instead of its own. */
  readonly stepMocks?: ReadonlyMap<string, (step: StepContext) => unknown>;
  readonly interceptStepAttempt?: StepAttemptInterceptor;
}

const passThrough: CodeScope = { workflow: (_name, fn) => fn(), step: (fn) => fn() };
const {
  setTimeout: realSetTimeout,
  clearTimeout: realClearTimeout,
  setImmediate: realSetImmediate,
} = originalGlobals;
const nextTurn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * The port that acts for an engine in this process: step code runs here (with `AbortController`s and
 * timeouts), timers are the run's clock, and the engine's next turn is the next macrotask.
 * @example
 * const port = livePort({ setTimer: clock.setTimer.bind(clock), logger });
 */
export function livePort(
  setup: Pick<ActivationSetup, "setTimer" | "logger" | "scope" | "stepMocks" | "interceptStepAttempt">,
): ActivationPort {
  const scope = setup.scope ?? passThrough;
  const attempts = {
    logger: setup.logger,
    setTimer: setup.setTimer,
    runStep: <T>(fn: () => T) => scope.step(fn),
    stepMocks: setup.stepMocks,
    interceptStepAttempt: setup.interceptStepAttempt,
  };
  return {
    nextTurn,
    setTimer: setup.setTimer,
    setGrace(ms, fn) {
      const handle = realSetTimeout(fn, ms);
      return () => realClearTimeout(handle);
    },
    runBody: (workflowName, fn) => scope.workflow(workflowName, fn),
    startAttempt: (request) => startStepAttempt(attempts, request),
  };
}

/**
 * An engine for one activation, acting through this process's live port.
 * @example
 * const outcome = await createActivation({ ...host, setTimer: (at, fn) => clock.setTimer(at, fn) }).run();
 */
export function createActivation(setup: ActivationSetup): ReplayEngine {
  return new ReplayEngine(setup, livePort(setup));
}
