import type { AnyWorkflow } from "@durable/core";
import { formatDuration, parseDuration } from "@durable/core";
import type { DashboardDeps } from "../deps.js";
import { type JsonSchema, toJsonSchema } from "../schema/to-json-schema.js";
import { countByStatus, type StatusCounts } from "./count-by-status.js";

/** A declared message of a workflow (an event today), with its payload's JSON Schema. */
export interface MessageSchema {
  name: string;
  /** Undefined when the schema cannot be expressed as JSON Schema. */
  schema?: JsonSchema;
}

/** What the workflows page shows of one workflow. */
export interface WorkflowSummary {
  name: string;
  /** False for a workflow seen only in runs: the dashboard was not given its definition. */
  registered: boolean;
  version?: string;
  queue?: string;
  /** The input's JSON Schema; undefined when the workflow declares none (or it cannot be expressed). */
  input?: JsonSchema;
  /** True when the workflow declares an input schema. */
  hasInput: boolean;
  events: MessageSchema[];
  /** Flow control, in words: `concurrency 5 per key`, `rate 10 per 1m`, ... */
  flow: string[];
  runs: StatusCounts;
}

function period(value: string | number): string {
  try {
    return formatDuration(parseDuration(value, "period"));
  } catch {
    return String(value);
  }
}

function flowOf(wf: AnyWorkflow): string[] {
  const o = wf.options;
  const flow: string[] = [];
  if (o.concurrency) flow.push(`concurrency ${o.concurrency.limit}${o.concurrency.key ? " per key" : ""}`);
  if (o.rateLimit)
    flow.push(
      `rate ${o.rateLimit.limit} per ${period(o.rateLimit.period)}${o.rateLimit.key ? " per key" : ""}`,
    );
  if (o.debounce) flow.push(`debounce ${period(o.debounce.period)}`);
  if (o.priority) flow.push("priority by input");
  return flow;
}

/**
 * The events a workflow declares, each with its payload's JSON Schema.
 * @example
 * eventSchemas(approval); // [{ name: "approved", schema: { type: "object", ... } }]
 */
export function eventSchemas(wf: AnyWorkflow): MessageSchema[] {
  const events = (wf.options.events ?? {}) as Record<string, unknown>;
  return Object.entries(events).map(([name, schema]) => {
    const json = toJsonSchema(schema);
    return json ? { name, schema: json } : { name };
  });
}

/**
 * Describes one registered workflow: version, queue, input and event schemas, flow control, runs per status.
 * @example
 * const summary = await describeWorkflow(deps, onboarding);
 */
export async function describeWorkflow(deps: DashboardDeps, wf: AnyWorkflow): Promise<WorkflowSummary> {
  const input = wf.options.input === undefined ? undefined : toJsonSchema(wf.options.input);
  return {
    name: wf.name,
    registered: true,
    version: wf.version,
    queue: wf.options.queue ?? wf.name,
    ...(input ? { input } : {}),
    hasInput: wf.options.input !== undefined,
    events: eventSchemas(wf),
    flow: flowOf(wf),
    runs: await countByStatus(deps.client, wf.name),
  };
}

/**
 * Every workflow the dashboard knows: those it was given (sorted by name), then names seen among the
 * newest runs that it was not given (shown without schemas or a start form).
 * @example
 * const workflows = await loadWorkflowCatalog(deps);
 */
export async function loadWorkflowCatalog(deps: DashboardDeps): Promise<WorkflowSummary[]> {
  const registered = [...deps.workflows.values()].sort((a, b) => a.name.localeCompare(b.name));
  const recent = await deps.client.list({ limit: 1000 });
  const unknown = [...new Set(recent.map((r) => r.workflow))].filter((n) => !deps.workflows.has(n)).sort();
  return Promise.all([
    ...registered.map((wf) => describeWorkflow(deps, wf)),
    ...unknown.map(async (name) => ({
      name,
      registered: false,
      hasInput: false,
      events: [],
      flow: [],
      runs: await countByStatus(deps.client, name),
    })),
  ]);
}
