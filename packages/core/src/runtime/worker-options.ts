import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Store } from "../store/store.js";
import type { Logger, StepContext } from "../workflow/context.js";
import { type QueueLimit, queueLimits } from "../workflow/flow-control.js";
import { type Duration, parseDuration } from "../workflow/parse-duration.js";
import type { AnyWorkflow, Workflow } from "../workflow/workflow.js";
import { type Clock, systemClock } from "./clock.js";
import type { CodeScope } from "./create-activation.js";
import { determinismGuard } from "./determinism-guard.js";
import { defaultLogger } from "./logger.js";
import type { AnySchedule } from "./schedule.js";
import type { StepAttemptInterceptor } from "./step-attempt.js";
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
   * `blocked` (default 5). A run taken over from a crashed worker is a suspect; taken over again, it is
   * isolated: each worker holds at most one isolated run at a time, and a crash is charged only to the
   * isolated run its worker held.
   */
  maxRecoveries?: number;
  /** How long after its lease expired an isolated run is taken over, doubled for each crash charged (default 1 s). */
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

/** A worker's options, each parsed and defaulted once, when the worker is built. */
export interface WorkerSettings {
  id: string;
  registry: Map<string, Workflow<unknown, unknown>>;
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  pollMs: number;
  clock: Clock;
  logger: Logger;
  scope: CodeScope | undefined;
  retryHoldMs: number;
  foreignAwaitMs: number;
  maxRecoveries: number;
  recoveryBackoffMs: number;
  limits: QueueLimit[];
}

/**
 * Parses a worker's options: a bad duration (`retryHold`, `foreignAwait`) is a `ValidationError` naming the
 * option, and two workflows with one name are refused, before the worker claims anything.
 * @example
 * const settings = workerSettings({ store, workflows, foreignAwait: "10s" }); // settings.foreignAwaitMs === 10_000
 */
export function workerSettings(options: WorkerOptions): WorkerSettings {
  const registry = new Map<string, Workflow<unknown, unknown>>();
  for (const wf of options.workflows) {
    if (registry.has(wf.name)) {
      throw new TypeError(`two workflows are named "${wf.name}"; workflow names must be unique per worker`);
    }
    registry.set(wf.name, wf as Workflow<unknown, unknown>);
  }
  const leaseMs = options.leaseMs ?? 30_000;
  const logger = (options.logger ?? defaultLogger()).child({ component: "worker" });
  const guard = options.determinismGuard ?? process.env.NODE_ENV !== "production";
  return {
    id: options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    registry,
    concurrency: options.concurrency ?? 10,
    leaseMs,
    // Timers take at most 2^31-1 ms; a lease longer than that still gets a heartbeat.
    heartbeatMs: Math.min(options.heartbeatMs ?? Math.floor(leaseMs / 3), 2_147_483_647),
    pollMs: options.pollMs ?? 1_000,
    clock: options.clock ?? systemClock,
    logger,
    scope: guard ? determinismGuard(logger) : undefined,
    retryHoldMs: parseDuration(options.retryHold ?? "5s", "retryHold"),
    foreignAwaitMs: parseDuration(options.foreignAwait ?? "5s", "foreignAwait"),
    maxRecoveries: options.maxRecoveries ?? 5,
    recoveryBackoffMs: parseDuration(options.recoveryBackoff ?? "1s", "recoveryBackoff"),
    limits: queueLimits(options.workflows),
  };
}
