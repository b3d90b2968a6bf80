import type { NewRun } from "../store/store.js";
import type { FlowFields } from "../workflow/flow-control.js";

/** The flow-control fields of a new run. */
export function toNewRunFlow(
  flow: FlowFields,
): Pick<NewRun, "queue" | "priority" | "concurrencyKey" | "rateKey" | "debounce"> {
  const fields: Pick<NewRun, "queue" | "priority" | "concurrencyKey" | "rateKey" | "debounce"> = {
    queue: flow.queue,
    priority: flow.priority,
  };
  if (flow.concurrencyKey !== undefined) fields.concurrencyKey = flow.concurrencyKey;
  if (flow.rateKey !== undefined) fields.rateKey = flow.rateKey;
  if (flow.debounce !== undefined) fields.debounce = flow.debounce;
  return fields;
}
