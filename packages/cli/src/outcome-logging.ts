import type { Logger, NewJournalEntry, RunOutcome, Store } from "@durable/core";

function failedStep(entry: NewJournalEntry): boolean {
  return entry.outcome === "error" && (entry.kind === "call" || entry.kind === "transaction");
}

/**
 * The store a CLI worker runs on, reporting outcomes at the default log level: a step that failed for good
 * (its retries spent) at warn, a failed run at error, each with its error; a cancelled run at info. It
 * watches what the worker writes, so every run and step of every workflow is covered without hooks in
 * the workflows.
 * @example
 * const worker = new Worker({ store: withOutcomeLogging(store, logger), workflows });
 */
export function withOutcomeLogging(store: Store, logger: Logger): Store {
  const workflowOf = new Map<string, string>();
  const fields = (runId: string) => ({ runId, workflow: workflowOf.get(runId) });
  const wrapped: Partial<Store> = {
    claimRuns: async (request) => {
      const claimed = await store.claimRuns(request);
      for (const { run } of claimed) workflowOf.set(run.id, run.workflow);
      return claimed;
    },
    appendJournal: async (lease, entry, options) => {
      const at = await store.appendJournal(lease, entry, options);
      if (failedStep(entry) && entry.outcome === "error") {
        const { name, message } = entry.error;
        logger.warn(
          {
            ...fields(lease.runId),
            step: entry.name,
            seq: entry.seq,
            attempts: entry.attempts,
            error: entry.error,
          },
          `step "${entry.name}" (seq ${entry.seq}) of run ${lease.runId} failed after ${entry.attempts} attempt${entry.attempts === 1 ? "" : "s"}: ${name}: ${message}`,
        );
      }
      return at;
    },
    finishRun: async (lease, outcome) => {
      await store.finishRun(lease, outcome);
      logOutcome(logger, fields(lease.runId), outcome);
      workflowOf.delete(lease.runId);
    },
    releaseRuns: async (leases) => {
      await store.releaseRuns(leases);
      for (const lease of leases) workflowOf.delete(lease.runId);
    },
  };
  return new Proxy(store, {
    get(target, property) {
      if (Object.hasOwn(wrapped, property)) return wrapped[property as keyof Store];
      const value = Reflect.get(target, property);
      // The store's own methods run on the store itself (private fields do not resolve on a proxy).
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function logOutcome(
  logger: Logger,
  fields: { runId: string; workflow: string | undefined },
  outcome: RunOutcome,
): void {
  const run = `run ${fields.runId}${fields.workflow ? ` (${fields.workflow})` : ""}`;
  if (outcome.status === "failed") {
    const { name, message } = outcome.error;
    logger.error({ ...fields, error: outcome.error }, `${run} failed: ${name}: ${message}`);
  } else if (outcome.status === "cancelled") {
    const why = outcome.error?.message;
    logger.info({ ...fields, ...(why ? { reason: why } : {}) }, why ?? `${run} cancelled`);
  }
}
