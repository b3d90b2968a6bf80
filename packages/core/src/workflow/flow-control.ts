import { ValidationError } from "./errors.js";
import { parseDuration } from "./parse-duration.js";
import type { AnyWorkflow } from "./workflow.js";

/** The flow-control fields a run carries, computed from its workflow and input when it is started. */
export interface FlowFields {
  queue: string;
  priority: number;
  concurrencyKey?: string;
  rateKey?: string;
  debounce?: { key: string; periodMs: number };
}

/** The limits of one queue, handed to the store's claim. */
export interface QueueLimit {
  queue: string;
  concurrency?: { limit: number; perKey: boolean };
  rateLimit?: { limit: number; periodMs: number; perKey: boolean };
}

/**
 * Computes a run's queue, priority and flow-control keys from its input; a key function that throws or
 * returns a non-string is a `ValidationError` before anything is written.
 * @example
 * flowFields(emails, { userId: "u1" }); // { queue: "emails", priority: 0, concurrencyKey: "u1" }
 */
export function flowFields(workflow: AnyWorkflow, input: unknown): FlowFields {
  const o = workflow.options;
  const fields: FlowFields = { queue: o.queue ?? workflow.name, priority: 0 };
  const call = <T>(what: string, fn: () => T, check: (v: unknown) => boolean): T => {
    let value: T;
    try {
      value = fn();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ValidationError(`workflow "${workflow.name}": ${what} threw: ${why}`, [
        { path: what, message: why },
      ]);
    }
    if (!check(value)) {
      throw new ValidationError(`workflow "${workflow.name}": ${what} returned ${String(value)}`, [
        { path: what, message: "has the wrong type" },
      ]);
    }
    return value;
  };
  const isKey = (v: unknown) => typeof v === "string" && v.length > 0;
  if (o.priority)
    fields.priority = call(
      "priority(input)",
      () => o.priority?.(input),
      (v) => Number.isFinite(v),
    ) as number;
  if (o.concurrency?.key)
    fields.concurrencyKey = call(
      "concurrency.key(input)",
      () => o.concurrency?.key?.(input),
      isKey,
    ) as string;
  if (o.rateLimit?.key)
    fields.rateKey = call("rateLimit.key(input)", () => o.rateLimit?.key?.(input), isKey) as string;
  if (o.debounce) {
    fields.debounce = {
      key: call("debounce.key(input)", () => o.debounce?.key(input), isKey) as string,
      periodMs: parseDuration(o.debounce.period, `workflow "${workflow.name}" debounce.period`),
    };
  }
  return fields;
}

/**
 * The limits of every queue the workflows run on. Two workflows on one queue with different limits are
 * refused.
 * @example
 * queueLimits([emails]); // [{ queue: "emails", concurrency: { limit: 5, perKey: true } }]
 */
export function queueLimits(workflows: readonly AnyWorkflow[]): QueueLimit[] {
  const byQueue = new Map<string, { limit: QueueLimit; from: string }>();
  for (const wf of workflows) {
    const o = wf.options;
    if (!o.concurrency && !o.rateLimit) continue;
    const limit: QueueLimit = { queue: o.queue ?? wf.name };
    if (o.concurrency) {
      if (!Number.isInteger(o.concurrency.limit) || o.concurrency.limit < 1) {
        throw new ValidationError(
          `workflow "${wf.name}": concurrency.limit must be a whole number of at least 1`,
        );
      }
      limit.concurrency = { limit: o.concurrency.limit, perKey: o.concurrency.key !== undefined };
    }
    if (o.rateLimit) {
      if (!Number.isInteger(o.rateLimit.limit) || o.rateLimit.limit < 1) {
        throw new ValidationError(
          `workflow "${wf.name}": rateLimit.limit must be a whole number of at least 1`,
        );
      }
      limit.rateLimit = {
        limit: o.rateLimit.limit,
        periodMs: parseDuration(o.rateLimit.period, `workflow "${wf.name}" rateLimit.period`),
        perKey: o.rateLimit.key !== undefined,
      };
    }
    const seen = byQueue.get(limit.queue);
    if (seen && JSON.stringify(seen.limit) !== JSON.stringify(limit)) {
      throw new ValidationError(
        `workflows "${seen.from}" and "${wf.name}" share queue "${limit.queue}" with different limits; give the queue one set of limits`,
      );
    }
    byQueue.set(limit.queue, { limit, from: wf.name });
  }
  return [...byQueue.values()].map((v) => v.limit);
}

/**
 * Why a limit holds a run: `concurrency:emails/key=u1` or `rateLimit:emails`.
 * @example
 * heldBy("concurrency", "emails", "u1"); // "concurrency:emails/key=u1"
 */
export function heldBy(kind: "concurrency" | "rateLimit", queue: string, key?: string): string {
  return key === undefined ? `${kind}:${queue}` : `${kind}:${queue}/key=${key}`;
}
