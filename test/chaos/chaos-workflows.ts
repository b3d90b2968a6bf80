import { workflow } from "@durable/core";
import type { ExecutionProof, ExecutionRecorder } from "../support/step-executions.js";

/** The input of one chaos run: each step's work, the sleep, and whether it has a child. */
export interface ChaosOrderInput {
  /** Five numbers: the work of `step-0` … `step-4` in milliseconds. */
  stepMs: number[];
  /** The durable sleep after `step-1`, in milliseconds (1–3 s in the chaos suite). */
  sleepMs: number;
  /** Start a child run after `step-3` and wait for it. */
  child: boolean;
}

/** What every chaos step returns (and so journals): who executed it, and the key it presented. */
export interface ChaosProof extends ExecutionProof {
  key: string;
}

export const ORDER_WORKFLOW = "chaos-order";
export const CHILD_WORKFLOW = "chaos-child";
export const POISON_WORKFLOW = "chaos-poison";
/** The event every order run waits for after its sleep. */
export const GO_EVENT = "go";

type Recorder = Pick<ExecutionRecorder, "record" | "applyEffect">;

/**
 * The chaos suite's workflows: an order (five keyed steps, a sleep, a wait for `go`, a child for some), its
 * child (two keyed steps), and a poison run whose only step kills its own worker process every time.
 * @example
 * const { order } = chaosWorkflows(new ExecutionRecorder(url));
 * await client.start(order, { stepMs: [5, 5, 5, 5, 5], sleepMs: 1_500, child: false });
 */
export function chaosWorkflows(recorder: Recorder) {
  const keyedStep = async (
    s: { runId: string; seq: number; attempt: number; idempotencyKey: string },
    step: string,
    ms: number,
  ): Promise<ChaosProof> => {
    const proof = await recorder.record({ runId: s.runId, step, seq: s.seq, attempt: s.attempt }, ms);
    await recorder.applyEffect(s.idempotencyKey, s.runId, step);
    return { ...proof, key: s.idempotencyKey };
  };

  const child = workflow<{ stepMs: number[] }, ChaosProof[]>({ name: CHILD_WORKFLOW }, async (ctx, input) => {
    const proofs: ChaosProof[] = [];
    for (const [index, ms] of input.stepMs.entries()) {
      const step = `child-${index}`;
      proofs.push(await ctx.call(step, (s) => keyedStep(s, step, ms)));
    }
    return proofs;
  });

  const order = workflow<ChaosOrderInput, number>({ name: ORDER_WORKFLOW }, async (ctx, input) => {
    const work = (index: number) => {
      const step = `step-${index}`;
      return ctx.call(step, (s) => keyedStep(s, step, input.stepMs[index] ?? 0));
    };
    await work(0);
    await work(1);
    await ctx.sleep(input.sleepMs);
    await work(2);
    await ctx.waitForEvent(GO_EVENT);
    await work(3);
    if (input.child) await ctx.child(child, { stepMs: [input.stepMs[0] ?? 0, input.stepMs[1] ?? 0] });
    await work(4);
    return input.stepMs.length;
  });

  const poison = workflow<Record<string, never>, never>({ name: POISON_WORKFLOW }, async (ctx) => {
    await ctx.call("poison", async (s) => {
      // The execution row is the proof that this process was killed by the workload, not by a defect.
      await recorder.record({ runId: s.runId, step: "poison", seq: s.seq, attempt: s.attempt }, 0);
      process.kill(process.pid, "SIGKILL");
      await new Promise(() => {});
    });
    throw new Error("unreachable: the poison step kills its process");
  });

  return { order, child, poison };
}
