import type { Logger } from "@durable/core";

/** The exit code when a second signal cuts a graceful stop short. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Resolves on the first SIGINT or SIGTERM (so the caller can stop gracefully); a second one exits at once
 * with code 130.
 * @example
 * const signal = await shutdownSignal(log); await worker.stop({ graceMs });
 */
export function shutdownSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        log.warn({ signal }, "second signal: exiting now without waiting for running steps");
        process.exit(INTERRUPTED_EXIT_CODE);
      }
      received = true;
      log.info(
        { signal },
        "stopping: finishing running steps, then releasing leases (again to exit at once)",
      );
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
