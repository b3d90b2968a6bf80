import type { Logger } from "@durable/core";

/** The exit code when a second signal cuts a graceful stop short. */
export const INTERRUPTED_EXIT_CODE = 130;

// One Ctrl-C can arrive twice: from the terminal to the whole process group, and forwarded by a parent such
// as npx or timeout. Repeats this close together are that one press, not a second one.
const SAME_PRESS_MS = 300;

/**
 * Resolves on the first SIGINT or SIGTERM (so the caller can stop gracefully); a second one exits at once
 * with code 130.
 * @example
 * const signal = await shutdownSignal(log); await worker.stop({ graceMs });
 */
export function shutdownSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received !== undefined && Date.now() - received < SAME_PRESS_MS) return;
      if (received !== undefined) {
        log.warn({ signal }, "second signal: exiting now without waiting for running steps");
        process.exit(INTERRUPTED_EXIT_CODE);
      }
      received = Date.now();
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
