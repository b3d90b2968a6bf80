import type { Activation } from "../activation.js";
import type { ChildState } from "../activation-host.js";
import type { AnyWorkflow, ChildOptions } from "../context.js";
import { DurableError } from "../errors.js";
import { type FlowFields, flowFields } from "../flow-control.js";
import type { ChildPending } from "../pending.js";
import { childCancelledMessage } from "../run-messages.js";
import { isTerminalStatus } from "../run-status.js";
import { type Encoded, encode } from "../serialize.js";
import { validateWith } from "../validate-with.js";

/**
 * `ctx.child` (`wait`) and `ctx.startChild`: validates the input, issues the command, and creates the child
 * run at the next quiescent point; a waiting parent is woken when the child finishes.
 * @example
 * const receipt = await startChild(activation, payment, { cents: 1200 }, { id: "pay:42" }, true);
 */
export function startChild(
  activation: Activation,
  wf: AnyWorkflow,
  input: unknown,
  options: ChildOptions | undefined,
  wait: boolean,
): Promise<never> {
  const childId = options?.id ?? `${activation.host.runId}:${activation.nextSeq}`;
  let encoded: Encoded;
  let flow: FlowFields;
  try {
    const value = wf.options.input ? validateWith(wf.options.input, input, `child ${childId} input`) : input;
    encoded = encode(value, `input of child run ${childId}`, activation.limit);
    flow = flowFields(wf, value);
  } catch (error) {
    return Promise.reject(error);
  }
  const { promise, pending, replayed } = activation.issue("child", wait ? wf.name : `start:${wf.name}`);
  pending.childId = childId;
  activation.adoptChild(childId, options?.parentClose ?? "cancel");
  if (replayed) return promise;
  const start = activation.host.startChild;
  if (!start) return Promise.reject(new DurableError("validation", "this runtime cannot start child runs"));
  pending.start = () => {
    activation.workStarted();
    const startedAt = new Date(activation.lastTime);
    start({ id: childId, workflow: wf, input: encoded, flow })
      .then((child) => completeChild(activation, pending, child, wait, startedAt))
      .catch((error: unknown) => activation.crash(error))
      .finally(() => {
        activation.workEnded();
        activation.signal();
      });
  };
  return promise;
}

function completeChild(
  activation: Activation,
  pending: ChildPending,
  child: ChildState,
  wait: boolean,
  startedAt: Date,
): void {
  const childId = pending.childId as string;
  const base = { kind: "child" as const, seq: pending.seq, name: pending.name, attempts: 1, startedAt };
  if (!wait) {
    activation.complete({ entry: { ...base, outcome: "ok", result: encode(childId, "child id") } }, pending);
  } else if (child.status === "completed") {
    const result = child.output ?? encode(undefined, "child output");
    activation.complete({ entry: { ...base, outcome: "ok", result } }, pending);
  } else if (isTerminalStatus(child.status)) {
    const error = child.error ?? { name: "CancelledError", message: childCancelledMessage(childId) };
    const data = child.status === "cancelled" ? { ...error, code: "cancelled" } : error;
    activation.complete({ entry: { ...base, outcome: "error", error: data } }, pending);
  }
  // Otherwise the child is still going: the parent waits durably and is woken when it finishes.
}
