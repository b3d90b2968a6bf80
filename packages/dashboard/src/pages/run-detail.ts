import type { AnyWorkflow, RunInfo } from "@durable/core";
import { isTerminalStatus } from "@durable/core";
import { html, type SafeHtml } from "../html/escape-html.js";
import { formatSpan, formatTime } from "../html/format-time.js";
import { formatValue } from "../html/format-value.js";
import { renderStateMachine } from "../svg/render-state-machine.js";
import { buildPath } from "../svg/state-machine.js";
import { describeWaits } from "../views/describe-waits.js";
import { liveKey, type RunView } from "../views/load-run-view.js";
import { journalJson } from "./journal-json.js";
import { layout } from "./layout.js";
import { runLink } from "./links.js";
import { messageForms } from "./message-forms.js";
import { forkForm, runActions } from "./run-actions.js";
import { statusBadge } from "./status-badge.js";
import { renderTimeline } from "./timeline.js";
import { workflowHref } from "./workflows-page.js";

function fact(label: string, value: SafeHtml | string | undefined): SafeHtml {
  if (value === undefined || value === "") return html``;
  return html`<div class="fact"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function time(date: Date | undefined): SafeHtml | undefined {
  return date ? html`<time datetime="${date.toISOString()}">${formatTime(date)}</time>` : undefined;
}

function facts(base: string, view: RunView): SafeHtml {
  const { run } = view;
  const forkedFrom = run.tags["durable.forkedFrom"];
  const tags = Object.entries(run.tags).filter(([k]) => k !== "durable.forkedFrom");
  const took =
    run.finishedAt && formatSpan(run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime());
  return html`<dl class="facts">
${fact("workflow", html`<a class="plain" href="${base}/?workflow=${encodeURIComponent(run.workflow)}">${run.workflow}</a> <span class="muted">version ${run.version}</span>`)}
${fact("created", time(run.createdAt))}
${fact("started", time(run.startedAt))}
${fact("finished", run.finishedAt ? html`${time(run.finishedAt)} <span class="muted">after ${took}</span>` : undefined)}
${fact("due", run.finishedAt ? undefined : time(run.wakeAt))}
${fact("activations", String(run.attempts))}
${fact("held by", run.heldBy)}
${fact("parent", run.parentId ? runLink(base, run.parentId) : undefined)}
${fact("continued from", run.continuedFrom ? runLink(base, run.continuedFrom) : undefined)}
${fact("continued as", run.continuedAs ? runLink(base, run.continuedAs) : undefined)}
${fact("forked from", forkedFrom ? runLink(base, forkedFrom) : undefined)}
${fact(
  "tags",
  tags.length === 0
    ? undefined
    : html`${tags.map(([k, v]) => html`<a class="chip" href="${base}/?tag=${encodeURIComponent(`${k}=${v}`)}"><span class="chip-key">${k}</span>${v}</a>`)}`,
)}
</dl>`;
}

function errorBox(run: RunInfo): SafeHtml {
  if (!run.error) return html``;
  const e = run.error;
  const tone =
    run.status === "blocked" ? "notice-warn" : run.status === "cancelled" ? "notice-quiet" : "notice-error";
  return html`<div class="notice ${tone} error-box">
<div class="error-head"><b>${e.name}</b>${e.code ? html` <span class="code-tag">${e.code}</span>` : ""}</div>
<div class="error-message">${e.message}</div>
${e.stack ? html`<details><summary>stack</summary><pre>${e.stack}</pre></details>` : ""}
</div>`;
}

function payloads(run: RunInfo): SafeHtml {
  const output =
    run.output !== undefined || run.status === "completed"
      ? html`<section class="card payload"><h2>Output</h2><pre>${formatValue(run.output)}</pre></section>`
      : html`<section class="card payload"><h2>Output</h2><p class="muted">${isTerminalStatus(run.status) ? "none" : "not yet"}</p></section>`;
  return html`<div class="payloads">
<section class="card payload"><h2>Input</h2><pre>${formatValue(run.input)}</pre></section>
${output}
</div>`;
}

function waitsBox(view: RunView): SafeHtml {
  const waits = describeWaits(view);
  const unconsumed = view.waiting?.unconsumed ?? [];
  if (waits.length === 0 && unconsumed.length === 0) return html``;
  return html`<div class="notice notice-info waits">
${waits.map((w) => html`<div><b>${w.title}</b> <span class="muted">${w.subtitle}</span></div>`)}
${unconsumed.map((e) => html`<div>event <b>${e.name}</b> received ${formatTime(e.createdAt)}, not consumed yet</div>`)}
</div>`;
}

function childrenTable(base: string, children: readonly RunInfo[]): SafeHtml {
  if (children.length === 0) return html``;
  return html`<section class="card"><h2>Children <span class="muted">${children.length}</span></h2>
<div class="table-scroll"><table class="runs compact"><thead><tr><th>status</th><th>run</th><th>workflow</th><th>created</th></tr></thead><tbody>
${children.map(
  (c) =>
    html`<tr><td>${statusBadge(c.status)}</td><td class="id-cell">${runLink(base, c.id)}</td><td>${c.workflow}</td><td class="time">${formatTime(c.createdAt)}</td></tr>`,
)}
</tbody></table></div></section>`;
}

/**
 * A run's page: its status and facts (workflow, times, tags, parent, children, forks and continuations,
 * all linked), its error, input and output, what it waits for, its journal as a timeline, its path as a
 * state machine (inline SVG), the raw journal as JSON, and the actions (cancel, retry, fork, and a form per
 * event its workflow declares). While the run has not finished, the page follows it through the run's
 * server-sent events (`/api/runs/<id>/live`).
 * @example
 * const page = runDetailPage("", await loadRunView(client, store, id), workflows.get(run.workflow));
 */
export function runDetailPage(base: string, view: RunView, workflow?: AnyWorkflow): SafeHtml {
  const { run } = view;
  const live = !isTerminalStatus(run.status);
  const crumb = workflow
    ? html`<a href="${workflowHref(base, run.workflow)}">${run.workflow}</a>`
    : html`<span>${run.workflow}</span>`;
  const body = html`<nav class="crumbs"><a href="${base}/">Runs</a><span aria-hidden="true">/</span>${crumb}</nav>
<div id="run-top" data-live-region>
<div class="page-head run-head">
<h1 class="run-title">${run.id}</h1>${statusBadge(run.status)}
<div class="head-actions">${runActions(run)}</div>
</div>
${errorBox(run)}
${waitsBox(view)}
<div class="overview">
<section class="card">${facts(base, view)}</section>
${payloads(run)}
</div>
<section class="card"><h2>Timeline <span class="muted">${view.journal.length} ${view.journal.length === 1 ? "entry" : "entries"}</span></h2>
<div class="timeline-scroll">${renderTimeline(view, base)}</div></section>
</div>
<div class="lower">
<section class="card path-card" id="run-path" data-live-region><h2>Path</h2>
<p class="muted small">The run as a state machine, in the order it went.</p>
<div class="path-scroll">${renderStateMachine(buildPath(view), `path of run ${run.id}`)}</div>
<div class="legend small muted"><span class="lg lg-compute"></span>step <span class="lg lg-delay"></span>sleep <span class="lg lg-decision"></span>decision <span class="lg lg-event"></span>event <span class="lg lg-child"></span>child</div>
</section>
<div class="side">
<div id="run-children" data-live-region>${childrenTable(base, view.children)}</div>
<div id="run-messages" data-live-region data-keep-forms>${messageForms(base, view, workflow)}</div>
${forkForm(view)}
</div>
</div>
${journalJson(base, view.exported)}`;
  return layout({
    base,
    title: `${run.workflow} ${run.id}`,
    section: "run",
    body,
    data: { run: run.id, "live-key": liveKey(view) },
    live,
    liveVia: "sse",
  });
}
