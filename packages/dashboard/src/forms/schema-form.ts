import { html, type SafeHtml } from "../html/escape-html.js";
import { type FormField, type FormLayout, formLayout } from "../schema/form-fields.js";
import type { JsonSchema } from "../schema/to-json-schema.js";

/** A form that posts a value built from a schema as JSON. The page script sends and reports it. */
export interface SchemaFormSpec {
  /** The form's id prefix (unique on the page). */
  id: string;
  /** Where it posts (the full path, base included). */
  endpoint: string;
  /** The JSON schema of the value (undefined: a free JSON editor). */
  schema: JsonSchema | undefined;
  /** The body's key that holds the value: `{ [bodyKey]: value, ...bodyExtra }`. */
  bodyKey: string;
  /** Constant members of the body, e.g. `{ name: "approved" }`. */
  bodyExtra?: Record<string, unknown>;
  /** How the server names the value in `ValidationError` paths, e.g. `input` (so `input.userId` is `userId`'s). */
  issuePrefix: string;
  submitLabel: string;
  confirm?: string;
  /** Markup placed before the submit row (more fields of the form). */
  extra?: SafeHtml;
  /** What the page does with the answer: `open-run` goes to the run in the answer; `reload` refreshes. */
  after: "open-run" | "reload";
  /** The JSON editor's label and placeholder when the schema gets no fields. */
  jsonLabel?: string;
  jsonPlaceholder?: string;
}

function label(field: FormField): SafeHtml {
  return html`<span class="field-label"><span class="field-name">${field.name}</span>${
    field.required ? html` <span class="req">required</span>` : html` <span class="muted">optional</span>`
  }</span>`;
}

function control(id: string, field: FormField): SafeHtml {
  const common = html`id="${id}" data-field="${field.name}" data-type="${field.type}"${field.required ? html` data-required="true"` : ""}`;
  if (field.type === "enum" || field.type === "boolean") {
    const choices = field.type === "boolean" ? [true, false] : (field.choices ?? []);
    const chosen = field.defaultText;
    return html`<select ${common}>${field.required && chosen !== undefined ? "" : html`<option value="">${field.required ? "choose…" : "—"}</option>`}${choices.map(
      (c) => {
        const text = JSON.stringify(c);
        return html`<option value="${text}"${text === chosen ? html` selected` : ""}>${typeof c === "string" ? c : text}</option>`;
      },
    )}</select>`;
  }
  if (field.type === "json") {
    return html`<textarea ${common} rows="3" spellcheck="false" placeholder="${field.defaultText ?? "JSON"}"></textarea>`;
  }
  if (field.type === "number" || field.type === "integer") {
    const bounds = html`${field.minimum !== undefined ? html` min="${field.minimum}"` : ""}${field.maximum !== undefined ? html` max="${field.maximum}"` : ""}`;
    return html`<input ${common} type="number" inputmode="decimal" step="${field.type === "integer" ? "1" : "any"}"${bounds} placeholder="${field.defaultText ?? ""}">`;
  }
  const type = field.format === "email" ? "email" : field.format === "uri" ? "url" : "text";
  const fallback = field.defaultText === undefined ? undefined : (JSON.parse(field.defaultText) as unknown);
  const placeholder = typeof fallback === "string" ? fallback : (field.defaultText ?? "");
  return html`<input ${common} type="${type}" autocomplete="off" placeholder="${placeholder}">`;
}

function fieldsMarkup(spec: SchemaFormSpec, layout: FormLayout): SafeHtml {
  if (layout.kind === "json") {
    const id = `${spec.id}-json`;
    return html`<div class="field"><label for="${id}">${spec.jsonLabel ?? "Value (JSON)"}</label>
<textarea id="${id}" data-root-json="true" rows="5" spellcheck="false" placeholder="${spec.jsonPlaceholder ?? "{}"}"></textarea>
<span class="field-error" data-error-for="" role="alert"></span></div>`;
  }
  return html`${layout.fields.map((field, i) => {
    const id = `${spec.id}-f${i}`;
    return html`<div class="field schema-field"><label for="${id}">${label(field)}</label>
${control(id, field)}
${field.description ? html`<small class="hint">${field.description}</small>` : ""}
<span class="field-error" data-error-for="${field.name}" role="alert"></span></div>`;
  })}`;
}

/**
 * A form for a value described by a JSON Schema: one field per property of a simple object schema (text,
 * number, a choice for enums and booleans, JSON for nested values), else one JSON editor; the server's
 * validation errors show next to the field they name. Every name, description and default is escaped.
 * @example
 * schemaForm({ id: "start", endpoint: "/api/workflows/hello/runs", schema, bodyKey: "input",
 *   issuePrefix: "input", submitLabel: "Start run", after: "open-run" });
 */
export function schemaForm(spec: SchemaFormSpec): SafeHtml {
  const layout = formLayout(spec.schema);
  return html`<form class="action-form schema-form" id="${spec.id}" data-endpoint="${spec.endpoint}" data-body-key="${spec.bodyKey}" data-body-extra="${JSON.stringify(spec.bodyExtra ?? {})}" data-issue-prefix="${spec.issuePrefix}" data-after="${spec.after}"${spec.confirm ? html` data-confirm="${spec.confirm}"` : ""} novalidate>
${fieldsMarkup(spec, layout)}
${spec.extra ?? ""}
<div class="form-foot"><button type="submit" class="primary">${spec.submitLabel}</button><span class="form-error" role="alert"></span></div>
</form>`;
}
