import type { NewRun, RunOutcome, RunRecord } from "../store/store.js";
import type { ActivationOutcome } from "../workflow/activation-host.js";
import type { AnyWorkflow } from "../workflow/workflow.js";

/**
 * What the store records for how an activation ended; a continued run names the next run of its chain.
 * @example
 * await store.finishRun(lease, toRunOutcome(outcome, run, workflow));
 */
export function toRunOutcome(
  outcome: Exclude<ActivationOutcome, { type: "released" }>,
  run: RunRecord,
  workflow: AnyWorkflow,
): RunOutcome {
  switch (outcome.type) {
    case "continued": {
      const next: NewRun = {
        id: nextRunId(run.id),
        workflow: run.workflow,
        version: workflow.version,
        input: outcome.input,
        tags: run.tags,
        priority: run.priority,
      };
      if (run.parentId !== undefined) next.parentId = run.parentId;
      if (run.queue !== undefined) next.queue = run.queue;
      if (run.concurrencyKey !== undefined) next.concurrencyKey = run.concurrencyKey;
      if (run.rateKey !== undefined) next.rateKey = run.rateKey;
      return { status: "continued", next };
    }
    case "completed":
      return { status: "completed", output: outcome.output };
    case "failed":
      return { status: "failed", error: outcome.error };
    case "blocked":
      return { status: "blocked", error: outcome.error };
    case "suspended":
      return {
        status: "suspended",
        wakeAt: outcome.wakeAt,
        retryState: outcome.retryState,
        waitingFor: outcome.waitingFor,
      };
    case "cancelled": {
      const result: RunOutcome = { status: "cancelled" };
      if (outcome.output !== undefined) result.output = outcome.output;
      if (outcome.error !== undefined) result.error = outcome.error;
      return result;
    }
  }
}

/** `order:42` → `order:42~1` → `order:42~2`: the continue-as-new chain. */
function nextRunId(id: string): string {
  const match = /^(.*)~(\d+)$/.exec(id);
  return match ? `${match[1]}~${Number(match[2]) + 1}` : `${id}~1`;
}
