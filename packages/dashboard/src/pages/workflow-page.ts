import type { RunInfo } from "@durable/core";
import { schemaForm } from "../forms/schema-form.js";
import { html, type SafeHtml } from "../html/escape-html.js";
import { formatTime } from "../html/format-time.js";
import type { WorkflowSummary } from "../views/workflow-catalog.js";
import { layout } from "./layout.js";
import { runLink } from "./links.js";
import { schemaBlock } from "./schema-view.js";
import { statusBadge } from "./status-badge.js";
import { statusCounts } from "./workflows-page.js";

const START_OPTIONS = html`<details class="more-options"><summary>Run id and tags</summary>
<div class="field"><label for="start-id">Run id <span class="muted">optional; an existing id returns that run</span></label>
<input id="start-id" data-option="id" autocomplete="off" placeholder="generated">
<span class="field-error" data-error-path="options.id" role="alert"></span></div>
<div class="field"><label for="start-tags">Tags <span class="muted">key=value, one a line</span></label>
<textarea id="start-tags" data-option="tags" rows="2" spellcheck="false" placeholder="customer=c-9"></textarea>
<span class="field-error" data-error-path="tags" role="alert"></span></div>
</details>`;

/**
 * The form that starts a run of a workflow: fields from its input schema (or a JSON editor), an
 * optional run id and tags; the server validates the input with the workflow's own schema.
 * @example
 * startForm("", summary);
 */
export function startForm(base: string, w: WorkflowSummary): SafeHtml {
  return schemaForm({
    id: "start",
    endpoint: `${base}/api/workflows/${encodeURIComponent(w.name)}/runs`,
    schema: w.input,
    bodyKey: "input",
    issuePrefix: "input",
    submitLabel: "Start run",
    after: "open-run",
    extra: START_OPTIONS,
    jsonLabel: w.hasInput ? "Input (JSON)" : "Input (JSON; the workflow declares no schema)",
    jsonPlaceholder: "{}",
  });
}

function recentRuns(base: string, runs: readonly RunInfo[]): SafeHtml {
  if (runs.length === 0) return html`<p class="empty">No runs yet.</p>`;
  return html`<div class="table-scroll"><table class="runs compact"><thead><tr><th>status</th><th>run</th><th>created</th></tr></thead><tbody>
${runs.map((r) => html`<tr><td>${statusBadge(r.status)}</td><td class="id-cell">${runLink(base, r.id)}</td><td class="time">${formatTime(r.createdAt)}</td></tr>`)}
</tbody></table></div>`;
}

/**
 * A workflow's page: its runs per status, the start form built from its input schema, its input and
 * event schemas as JSON Schema, and its newest runs.
 * @example
 * const page = workflowPage("", summary, recent);
 */
export function workflowPage(base: string, w: WorkflowSummary, recent: readonly RunInfo[]): SafeHtml {
  const meta = [`version ${w.version}`, `queue ${w.queue}`, ...w.flow];
  const events =
    w.events.length === 0
      ? html`<p class="muted small">No events declared.</p>`
      : w.events.map((e) => schemaBlock(`event ${e.name}`, e.schema, true));
  const body = html`<nav class="crumbs"><a href="${base}/workflows">Workflows</a><span aria-hidden="true">/</span><span>${w.name}</span></nav>
<div class="page-head"><h1>${w.name}</h1><span class="meta">${meta.map((m) => html`<span class="chip">${m}</span>`)}</span></div>
<div id="workflow-live" data-live-region>${statusCounts(base, w)}</div>
<div class="two-col">
<section class="card action-card" id="start-card"><h2 id="start">Start a run</h2>${startForm(base, w)}</section>
<section class="card"><h2>Schemas</h2>${schemaBlock("input", w.input, w.hasInput)}${events}</section>
</div>
<section class="card"><h2>Newest runs <a class="small" href="${base}/?workflow=${encodeURIComponent(w.name)}">all</a></h2>${recentRuns(base, recent)}</section>`;
  return layout({ base, title: w.name, section: "workflows", body });
}
