import { html, type SafeHtml } from "../html/escape-html.js";
import { formatSpan, formatTime } from "../html/format-time.js";
import type { ScheduleRow } from "../views/load-schedules.js";
import { layout } from "./layout.js";
import { runLink } from "./links.js";
import { statusBadge } from "./status-badge.js";
import { workflowHref } from "./workflows-page.js";

function nextCell(row: ScheduleRow, now: Date): SafeHtml {
  if (row.paused) return html`<span class="muted small">paused</span>`;
  if (!row.nextAt) return html`<span class="muted small">no more ticks</span>`;
  return html`<span class="time" title="${row.nextAt.toISOString()}">${formatTime(row.nextAt)}</span> <span class="muted small">in ${formatSpan(row.nextAt.getTime() - now.getTime())}</span>`;
}

function lastCell(base: string, row: ScheduleRow): SafeHtml {
  if (row.lastRun) return html`${statusBadge(row.lastRun.status)} ${runLink(base, row.lastRun.id)}`;
  if (row.lastRunId) return html`<span class="muted small">${row.lastRunId} (pruned)</span>`;
  return html`<span class="muted small">none yet</span>`;
}

function scheduleRow(base: string, row: ScheduleRow, now: Date): SafeHtml {
  return html`<tr data-schedule="${row.name}">
<td class="name-cell" data-label="schedule"><b>${row.name}</b></td>
<td data-label="cron"><span><code class="spec">${row.spec}</code>${row.timezone ? html` <span class="muted small">${row.timezone}</span>` : ""}</span></td>
<td data-label="workflow"><a href="${workflowHref(base, row.workflow)}">${row.workflow}</a></td>
<td class="next-tick" data-label="next tick"><span>${nextCell(row, now)}</span></td>
<td class="last-run" data-label="last run"><span class="last-run-line">${lastCell(base, row)}</span></td>
<td class="muted small" data-label="catch-up">${row.catchUp ?? ""}</td>
</tr>`;
}

/**
 * The schedules page: each schedule's name, cron expression (and zone), workflow, next tick and last run
 * (linked, with its status), soonest first.
 * @example
 * const page = schedulesPage("", await loadSchedules(deps.schedules, client, store));
 */
export function schedulesPage(base: string, view: { rows: readonly ScheduleRow[]; now: Date }): SafeHtml {
  const table =
    view.rows.length === 0
      ? html`<p class="empty">No schedules. Declare them with <code>schedule({ name, cron, workflow, input })</code> and register them in <code>durable.config.ts</code> (<code>schedules: [...]</code>) or <code>new Worker({ schedules })</code>.</p>`
      : html`<table class="runs schedules stack"><thead><tr><th>schedule</th><th>cron</th><th>workflow</th><th>next tick</th><th>last run</th><th>catch-up</th></tr></thead>
<tbody>${view.rows.map((r) => scheduleRow(base, r, view.now))}</tbody></table>`;
  const body = html`<div class="page-head"><h1>Schedules</h1><span class="muted">${view.rows.length}</span></div>
<div id="schedules-live" data-live-region><div class="card table-card">${table}</div>
<p class="muted small">Each tick starts one run, its id <code>&lt;schedule&gt;@&lt;tick&gt;</code>, however many workers run the schedule. Times in UTC.</p></div>`;
  return layout({ base, title: "Schedules", section: "schedules", body });
}
