import { workflow } from "@durable/core";
import type { ExecutionProof, ExecutionRecorder } from "./step-executions.js";

/** The shape of one run: how long each step works, and where it sleeps. */
export interface ProcessRunInput {
  /** One step a number: its work in milliseconds. Steps are named `step-0`, `step-1`, ... */
  stepMs: number[];
  /** Sleep after this many steps (none when absent). */
  sleepAfter?: number;
  /** The sleep, e.g. "200ms". */
  sleep?: string;
}

export const PROCESS_WORKFLOW = "process-steps";

/**
 * The workflow the process tests run: steps that record their executions in `step_executions`, with an
 * optional sleep between them (so runs suspend and are replayed by whichever worker claims them next).
 * @example
 * const wf = processWorkflow(new ExecutionRecorder(url));
 * await client.start(wf, { stepMs: [5, 5, 5], sleepAfter: 1, sleep: "200ms" });
 */
export function processWorkflow(recorder: Pick<ExecutionRecorder, "record">) {
  return workflow<ProcessRunInput, ExecutionProof[]>({ name: PROCESS_WORKFLOW }, async (ctx, input) => {
    const proofs: ExecutionProof[] = [];
    for (const [index, ms] of input.stepMs.entries()) {
      if (index === input.sleepAfter && input.sleep !== undefined) await ctx.sleep(input.sleep);
      const step = `step-${index}`;
      proofs.push(
        await ctx.call(step, (s) =>
          recorder.record({ runId: s.runId, step, seq: s.seq, attempt: s.attempt }, ms),
        ),
      );
    }
    return proofs;
  });
}
