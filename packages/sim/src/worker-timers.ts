import type { Clock, Worker } from "@durable/core";

/** The worker's fallback poll and heartbeat, which it runs on real intervals (not on its clock). */
interface WorkerInternals {
  poll(): void;
  heartbeat(): void;
}

/** Longest interval Node accepts: the worker's own real-time intervals never fire during a simulation. */
export const NEVER_MS = 2_147_483_647;

/**
 * Runs a worker's fallback poll and its heartbeat on its (virtual) clock. The Worker schedules both with
 * real `setInterval`, which a simulation cannot order; built with `pollMs` and `heartbeatMs` of
 * `NEVER_MS`, the worker leaves them to this. Returns the function that stops them.
 * @example
 * const stop = driveWorkerTimers(worker, clock, { pollMs: 1_000, heartbeatMs: 1_500 });
 */
export function driveWorkerTimers(
  worker: Worker,
  clock: Clock,
  every: { pollMs: number; heartbeatMs: number },
): () => void {
  const internals = worker as unknown as WorkerInternals;
  let stopped = false;
  const cancels = new Set<() => void>();
  const repeat = (ms: number, fn: () => void) => {
    const arm = () => {
      if (stopped) return;
      const cancel = clock.setTimer(clock.now() + ms, () => {
        cancels.delete(cancel);
        fn();
        arm();
      });
      cancels.add(cancel);
    };
    arm();
  };
  repeat(every.pollMs, () => internals.poll());
  repeat(every.heartbeatMs, () => internals.heartbeat());
  return () => {
    stopped = true;
    for (const cancel of cancels) cancel();
  };
}
