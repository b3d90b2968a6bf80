import { html, type SafeHtml } from "../html/escape-html.js";
import type { JsonSchema } from "../schema/to-json-schema.js";

function typeWord(prop: unknown): string {
  if (typeof prop !== "object" || prop === null) return "any";
  const p = prop as JsonSchema;
  if (Array.isArray(p.enum)) return p.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in p) return JSON.stringify(p.const);
  if (typeof p.type === "string") return p.type === "array" ? `${typeWord(p.items)}[]` : p.type;
  if (Array.isArray(p.type)) return p.type.join(" | ");
  if (Array.isArray(p.anyOf)) return p.anyOf.map(typeWord).join(" | ");
  return "any";
}

/**
 * A schema in a line: an object's properties as `name: type` chips (`?` marks optional ones), else its type.
 * @example
 * schemaSummary({ type: "object", properties: { userId: { type: "string" } }, required: ["userId"] });
 */
export function schemaSummary(schema: JsonSchema | undefined, declared = schema !== undefined): SafeHtml {
  if (!schema) {
    return html`<span class="muted small">${declared ? "not expressible as JSON Schema" : "no schema (any JSON)"}</span>`;
  }
  const props = schema.properties;
  if (schema.type === "object" && typeof props === "object" && props !== null) {
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const entries = Object.entries(props as Record<string, unknown>);
    if (entries.length === 0) return html`<span class="muted small">an empty object</span>`;
    return html`<span class="props">${entries.map(
      ([name, prop]) =>
        html`<span class="prop"><span class="prop-name">${name}${required.has(name) ? "" : "?"}</span><span class="prop-type">${typeWord(prop)}</span></span>`,
    )}</span>`;
  }
  return html`<span class="prop"><span class="prop-type">${typeWord(schema)}</span></span>`;
}

/**
 * A schema as pretty JSON Schema in a collapsible block under its summary.
 * @example
 * schemaBlock("input", summary.input, summary.hasInput);
 */
export function schemaBlock(title: string, schema: JsonSchema | undefined, declared: boolean): SafeHtml {
  const summary = schemaSummary(schema, declared);
  if (!schema) return html`<div class="schema"><div class="schema-title">${title}</div>${summary}</div>`;
  return html`<details class="schema"><summary><span class="schema-title">${title}</span> ${summary}</summary>
<pre class="json">${JSON.stringify(schema, null, 2)}</pre></details>`;
}
