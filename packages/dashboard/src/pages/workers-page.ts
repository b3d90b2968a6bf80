import { html, type SafeHtml } from "../html/escape-html.js";
import { formatSpan, formatTime } from "../html/format-time.js";
import type { LeaseRow, QueueRow, WorkerRow, WorkersView } from "../views/load-workers.js";
import { WORKERS_SCAN } from "../views/load-workers.js";
import { layout } from "./layout.js";
import { runLink } from "./links.js";

function expiry(lease: LeaseRow, now: Date): SafeHtml {
  if (!lease.expiresAt) return html`<span class="muted">none</span>`;
  const left = lease.expiresAt.getTime() - now.getTime();
  const words = lease.expired ? `expired ${formatSpan(-left)} ago` : `in ${formatSpan(left)}`;
  return html`<span class="time" title="${lease.expiresAt.toISOString()}">${formatTime(lease.expiresAt)}</span> <span class="${lease.expired ? "warn-text" : "muted"} small">${words}</span>`;
}

function workerCard(base: string, w: WorkerRow, now: Date): SafeHtml {
  const state = w.live
    ? html`<span class="status status-running">heartbeating</span>`
    : html`<span class="status status-blocked">lease expired</span>`;
  const last = w.lastExpiry
    ? html`<span class="muted small">latest lease until ${formatTime(w.lastExpiry)}</span>`
    : "";
  return html`<section class="card worker-card" data-worker="${w.owner}">
<div class="worker-head"><code class="worker-id" title="${w.owner}">${w.owner}</code>${state}<span class="muted small">${w.leases.length} ${w.leases.length === 1 ? "lease" : "leases"}</span>${last}</div>
<div class="table-scroll"><table class="runs compact leases stack"><thead><tr><th>run</th><th>workflow</th><th>epoch</th><th>lease expires</th><th>started</th><th>recoveries</th></tr></thead><tbody>
${w.leases.map(
  (l) =>
    html`<tr data-run="${l.runId}"><td class="id-cell" data-label="run">${runLink(base, l.runId)}</td><td data-label="workflow">${l.workflow}</td><td class="num" data-label="epoch">${l.epoch}</td><td data-label="expires">${expiry(l, now)}</td><td class="time" data-label="started">${l.startedAt ? formatTime(l.startedAt) : ""}</td><td class="num" data-label="recoveries">${l.recoveries}</td></tr>`,
)}
</tbody></table></div></section>`;
}

function queuesTable(queues: readonly QueueRow[]): SafeHtml {
  if (queues.length === 0) return html`<p class="empty">No queues: no unfinished runs and no limits.</p>`;
  const n = (count: number, label: string) =>
    html`<td class="num${count === 0 ? " muted" : ""}" data-label="${label}">${count}</td>`;
  return html`<table class="runs queues stack"><thead><tr><th>queue</th><th class="num">running</th><th class="num">due</th><th class="num">held</th><th class="num">later</th><th class="num">suspended</th><th>limits</th></tr></thead><tbody>
${queues.map(
  (q) =>
    html`<tr data-queue="${q.queue}"><td data-label="queue"><b>${q.queue}</b></td>${n(q.running, "running")}${n(q.due, "due")}${n(q.held, "held")}${n(q.later, "later")}${n(q.suspended, "suspended")}<td data-label="limits">${q.limits.length === 0 ? html`<span class="muted">none</span>` : q.limits.map((l) => html`<span class="chip">${l}</span>`)}</td></tr>`,
)}</tbody></table>`;
}

function heldTable(base: string, view: WorkersView): SafeHtml {
  if (view.held.length === 0) return html`<p class="empty">No run is held back by a limit.</p>`;
  return html`<table class="runs compact held stack"><thead><tr><th>run</th><th>workflow</th><th>held by</th><th>due</th></tr></thead><tbody>
${view.held.map(
  (r) =>
    html`<tr data-run="${r.id}"><td class="id-cell" data-label="run">${runLink(base, r.id)}</td><td data-label="workflow">${r.workflow}</td><td data-label="held by"><code class="held-by">${r.heldBy}</code></td><td class="time" data-label="due">${r.wakeAt ? formatTime(r.wakeAt) : ""}</td></tr>`,
)}</tbody></table>`;
}

/**
 * The workers and queues page: each worker seen through the leases it holds (run, epoch, expiry, which
 * each heartbeat moves forward; an expired lease means its worker stopped), the queues with their runs
 * by state and their limits, and the runs a limit holds back, with the limit.
 * @example
 * const page = workersPage("", await loadWorkers(store, workflows));
 */
export function workersPage(base: string, view: WorkersView | undefined): SafeHtml {
  const content = view
    ? html`${view.truncated.length > 0 ? html`<div class="notice notice-warn">More than ${WORKERS_SCAN} ${view.truncated.join(", ")} runs: the figures count the newest ${WORKERS_SCAN} of each.</div>` : ""}
<h2 class="section-title">Workers <span class="muted">${view.workers.length}</span></h2>
${view.workers.length === 0 ? html`<div class="card"><p class="empty">No worker holds a run right now. Workers appear here while they run something.</p></div>` : view.workers.map((w) => workerCard(base, w, view.now))}
<h2 class="section-title">Queues <span class="muted">${view.queues.length}</span></h2>
<div class="card table-card">${queuesTable(view.queues)}</div>
<h2 class="section-title">Held runs <span class="muted">${view.held.length}</span></h2>
<div class="card table-card">${heldTable(base, view)}</div>
<p class="muted small">Read from the runs table at ${formatTime(view.now)} UTC: a worker is seen through the leases it holds; an idle worker holds none.</p>`
    : html`<div class="notice notice-info">Give the dashboard the store (<code>createDashboard({ client, store })</code>) to see workers, leases and queues.</div>`;
  const body = html`<div class="page-head"><h1>Workers and queues</h1></div>
<div id="workers-live" data-live-region>${content}</div>`;
  return layout({ base, title: "Workers and queues", section: "workers", body });
}
