import type { RunStatus } from "@durable/core";
import { html, type SafeHtml } from "../html/escape-html.js";
import type { WorkflowSummary } from "../views/workflow-catalog.js";
import { layout } from "./layout.js";
import { schemaBlock } from "./schema-view.js";
import { STATUSES } from "./status-badge.js";

/** The address of a workflow's page. */
export function workflowHref(base: string, name: string): string {
  return `${base}/workflows/${encodeURIComponent(name)}`;
}

/**
 * Runs per status as small links to the runs list filtered by workflow and status (zero counts muted).
 * @example
 * statusCounts("", summary); // <div class="counts">…</div>
 */
export function statusCounts(base: string, w: Pick<WorkflowSummary, "name" | "runs">): SafeHtml {
  const href = (status?: RunStatus) =>
    `${base}/?${new URLSearchParams({ workflow: w.name, ...(status ? { status } : {}) }).toString()}`;
  const plus = (s: RunStatus) => (w.runs.capped.includes(s) ? "+" : "");
  return html`<div class="counts" data-workflow="${w.name}"><a class="count count-all" href="${href()}"><b data-status="all">${w.runs.total}${w.runs.capped.length > 0 ? "+" : ""}</b> ${w.runs.total === 1 ? "run" : "runs"}</a>${STATUSES.map(
    (s) =>
      html`<a class="count count-${s}${w.runs.counts[s] === 0 ? " zero" : ""}" href="${href(s)}" title="${s}"><b data-status="${s}">${w.runs.counts[s]}${plus(s)}</b> ${s}</a>`,
  )}</div>`;
}

function workflowCard(base: string, w: WorkflowSummary): SafeHtml {
  if (!w.registered) {
    return html`<section class="card workflow-card unregistered" data-workflow="${w.name}">
<div class="workflow-head"><h2 class="workflow-name">${w.name}</h2><span class="muted small">seen in runs; the dashboard was not given its definition</span></div>
${statusCounts(base, w)}</section>`;
  }
  const meta = [`version ${w.version}`, `queue ${w.queue}`, ...w.flow];
  const events =
    w.events.length === 0
      ? html`<div class="schema"><div class="schema-title">events</div><span class="muted small">none declared</span></div>`
      : w.events.map((e) => schemaBlock(`event ${e.name}`, e.schema, true));
  return html`<section class="card workflow-card" data-workflow="${w.name}">
<div class="workflow-head"><h2 class="workflow-name"><a href="${workflowHref(base, w.name)}">${w.name}</a></h2>
<span class="meta">${meta.map((m) => html`<span class="chip">${m}</span>`)}</span>
<a class="button-link primary" href="${workflowHref(base, w.name)}#start">Start a run</a></div>
${statusCounts(base, w)}
<div class="schemas">${schemaBlock("input", w.input, w.hasInput)}${events}</div>
</section>`;
}

/**
 * The workflows page: each workflow the dashboard was given, with its version, queue and flow control,
 * its input and event schemas (as JSON Schema), its runs per status (linked to the runs list), and a
 * link to start a run; workflows seen only in runs are listed after them.
 * @example
 * const page = workflowsPage("", await loadWorkflowCatalog(deps));
 */
export function workflowsPage(base: string, workflows: readonly WorkflowSummary[]): SafeHtml {
  const none = workflows.every((w) => !w.registered);
  const hint = none
    ? html`<div class="notice notice-info">The dashboard was given no workflow definitions: pass <code>workflows</code> to <code>createDashboard</code> (as <code>durable dashboard</code> and <code>durable dev</code> do) to see their schemas and start runs here.</div>`
    : "";
  const body = html`<div class="page-head"><h1>Workflows</h1><span class="muted">${workflows.length}</span></div>
${hint}
<div id="workflows-live" data-live-region>
${workflows.length === 0 ? html`<div class="card"><p class="empty">No workflows yet.</p></div>` : workflows.map((w) => workflowCard(base, w))}
</div>`;
  return layout({ base, title: "Workflows", section: "workflows", body });
}
