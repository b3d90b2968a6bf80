import { AsyncLocalStorage } from "node:async_hooks";
import { fileURLToPath } from "node:url";
import { hookGlobals, type WatchedGlobal, type Workflow, workflow } from "@durable/core";
import { callerLocation } from "./caller-location.js";

/** What sets one simulated process apart from another: its `Math.random` stream and its wall clock. */
export interface ProcessIdentity {
  /** Seeds the process's `Math.random`. */
  seed: number;
  /** Added to the real time that `Date.now()` and `new Date()` report inside the process. */
  clockOffsetMs: number;
  /** Reports `1 - x` for each draw `x`, so that any threshold on `Math.random()` tips the other way. */
  mirrorRandom?: boolean;
}

/** A call of a nondeterministic global inside a workflow body (outside any step). */
export interface BodyCall {
  api: WatchedGlobal;
  location: string;
}

interface ProcessState {
  random: () => number;
  offsetMs: number;
}

const processes = new AsyncLocalStorage<ProcessState>();
const bodies = new AsyncLocalStorage<(call: BodyCall) => void>();
const ownFile = fileURLToPath(import.meta.url);
let installed = false;

/**
 * Runs `fn` as one simulated process: everything it starts (workers, steps, workflow bodies) sees a
 * `Math.random` seeded by `identity.seed` and a wall clock shifted by `identity.clockOffsetMs`. Code outside
 * is untouched, so other tests in the same file are not affected.
 * @example
 * await asProcess({ seed: 7, clockOffsetMs: 86_400_000 }, () => worker.start());
 */
export function asProcess<T>(identity: ProcessIdentity, fn: () => T): T {
  install();
  const draw = mulberry32(identity.seed);
  const random = identity.mirrorRandom ? () => (1 - draw()) % 1 : draw;
  return processes.run({ random, offsetMs: identity.clockOffsetMs }, fn);
}

/**
 * The workflow with its body watched: each `Date.now()`, `new Date()`, `Math.random()` or `setTimeout` the
 * body itself makes (not its steps, not durable's own code) is reported with the user's source line.
 * @example
 * const watched = watchWorkflowBody(onboarding, (call) => calls.push(call));
 */
export function watchWorkflowBody<I, O>(
  wf: Workflow<I, O>,
  report: (call: BodyCall) => void,
): Workflow<I, O> {
  install();
  return workflow(wf.options, (ctx, input) => bodies.run(report, () => wf.fn(ctx, input)));
}

/**
 * Runs step code outside the body watch (steps may read the clock and roll dice).
 * @example
 * interceptStepAttempt: (info, next) => outsideBody(next)
 */
export function outsideBody<T>(fn: () => T): T {
  return bodies.exit(fn);
}

function note(api: WatchedGlobal): void {
  const report = bodies.getStore();
  if (!report) return;
  const location = callerLocation(ownFile);
  if (location !== undefined) report({ api, location });
}

function install(): void {
  if (installed) return;
  installed = true;
  hookGlobals({
    called: note,
    clockOffset: () => processes.getStore()?.offsetMs ?? 0,
    random: () => processes.getStore()?.random(),
  });
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
