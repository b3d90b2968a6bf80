import { type AnyWorkflow, isTerminalStatus } from "@durable/core";
import { schemaForm } from "../forms/schema-form.js";
import { html, type SafeHtml } from "../html/escape-html.js";
import type { JsonSchema } from "../schema/to-json-schema.js";
import type { RunView } from "../views/load-run-view.js";
import { eventSchemas } from "../views/workflow-catalog.js";

/** A form that sends one kind of message to a running run. */
export interface MessageFormSpec {
  /** `event` today; updates and callbacks (issue #13) add their kinds. */
  kind: string;
  name: string;
  /** The payload's JSON Schema (undefined: a JSON editor). */
  schema?: JsonSchema;
  /** The API path under the run, e.g. `events` for `POST /api/runs/<id>/events`. */
  action: string;
  /** Constant members of the body beside the payload, e.g. `{ name: "approved" }`. */
  bodyExtra: Record<string, unknown>;
  /** The body's key for the payload. */
  bodyKey: string;
  /** How the server prefixes payload fields in validation errors. */
  issuePrefix: string;
  submitLabel: string;
  /** The run waits for this message now (its form opens first). */
  waiting: boolean;
}

/** Builds the forms of one kind of message from the run and its workflow's declared schemas. */
export type MessageFormBuilder = (view: RunView, workflow: AnyWorkflow) => MessageFormSpec[];

/**
 * One form per event the workflow declares, with the payload's fields from its schema.
 * @example
 * eventForms(view, approval); // [{ kind: "event", name: "approved", ... }]
 */
export const eventForms: MessageFormBuilder = (view, workflow) => {
  const waiting = new Set(view.waiting?.events ?? []);
  return eventSchemas(workflow).map((e) => ({
    kind: "event",
    name: e.name,
    ...(e.schema ? { schema: e.schema } : {}),
    action: "events",
    bodyExtra: { name: e.name },
    bodyKey: "payload",
    issuePrefix: `event "${e.name}" payload`,
    submitLabel: `Send ${e.name}`,
    waiting: waiting.has(e.name),
  }));
};

// Each kind of message a run can receive has a builder here. Updates (`workflow.options.updates`,
// `POST /api/runs/<id>/updates`) and callbacks join this list when their primitives land (issue #13).
const BUILDERS: readonly MessageFormBuilder[] = [eventForms];

function specForm(base: string, view: RunView, spec: MessageFormSpec, index: number): SafeHtml {
  const id = `msg-${index}`;
  const form = schemaForm({
    id,
    endpoint: `${base}/api/runs/${encodeURIComponent(view.run.id)}/${spec.action}`,
    schema: spec.schema,
    bodyKey: spec.bodyKey,
    bodyExtra: spec.bodyExtra,
    issuePrefix: spec.issuePrefix,
    submitLabel: spec.submitLabel,
    confirm: `Send ${spec.kind} "${spec.name}" to run ${view.run.id}?`,
    after: "reload",
    jsonLabel: "Payload (JSON)",
  });
  return html`<details class="message-form" data-kind="${spec.kind}" data-name="${spec.name}"${spec.waiting ? html` open` : ""}>
<summary><span class="kind kind-event">${spec.kind}</span> <b>${spec.name}</b>${spec.waiting ? html` <span class="waiting-tag">waiting</span>` : ""}</summary>
${form}</details>`;
}

// For a workflow the dashboard does not know, or one that declares no events: any name, any JSON.
function anyEventForm(base: string, view: RunView): SafeHtml {
  const waitingFor = view.waiting?.events ?? [];
  const name = html`<div class="field"><label for="any-event-name">Name</label>
<input id="any-event-name" data-option="name" required list="waiting-events" value="${waitingFor[0] ?? ""}" placeholder="approved" autocomplete="off">
<datalist id="waiting-events">${waitingFor.map((n) => html`<option value="${n}"></option>`)}</datalist>
<span class="field-error" data-error-path="name" role="alert"></span></div>`;
  return schemaForm({
    id: "any-event",
    endpoint: `${base}/api/runs/${encodeURIComponent(view.run.id)}/events`,
    schema: undefined,
    bodyKey: "payload",
    issuePrefix: "payload",
    submitLabel: "Send event",
    confirm: `Send this event to run ${view.run.id}?`,
    after: "reload",
    extra: name,
    jsonLabel: "Payload (JSON, optional)",
    jsonPlaceholder: '{ "by": "ann" }',
  });
}

/**
 * The run's message forms, for a run that has not finished: one per message its workflow declares (the
 * ones it waits for open first), or a free form (name and JSON payload) when the dashboard does not know
 * the workflow's declarations.
 * @example
 * html`<div class="side">${messageForms("", view, workflows.get(view.run.workflow))}</div>`;
 */
export function messageForms(base: string, view: RunView, workflow: AnyWorkflow | undefined): SafeHtml {
  if (isTerminalStatus(view.run.status)) return html``;
  const specs = workflow ? BUILDERS.flatMap((build) => build(view, workflow)) : [];
  specs.sort((a, b) => Number(b.waiting) - Number(a.waiting));
  const content =
    specs.length === 0 ? anyEventForm(base, view) : specs.map((s, i) => specForm(base, view, s, i));
  return html`<section class="card action-card" id="message-forms"><h2>Send an event</h2>${content}</section>`;
}
