import type { RunInfo, RunStatus } from "@durable/core";
import { html, type SafeHtml } from "../html/escape-html.js";
import { formatSpan, formatTime } from "../html/format-time.js";
import type { RunsQuery, RunsResult } from "../views/runs-query.js";
import { layout } from "./layout.js";
import { runLink } from "./links.js";
import { STATUSES, statusBadge } from "./status-badge.js";

/** The list page's query string with some filters changed (`undefined` removes one). */
function listHref(
  base: string,
  query: RunsQuery,
  change: Partial<Record<string, string | undefined>>,
): string {
  const params = new URLSearchParams();
  const current: Record<string, string | undefined> = {
    q: query.q,
    status: query.status,
    workflow: query.workflow,
    after: query.after?.toISOString(),
    before: query.before?.toISOString(),
    limit: query.limit === 50 ? undefined : String(query.limit),
  };
  for (const [k, v] of Object.entries({ ...current, ...change })) {
    if (v !== undefined && k !== "tag") params.set(k, v);
  }
  const tags = "tag" in change ? [change.tag] : Object.entries(query.tags).map(([k, v]) => `${k}=${v}`);
  for (const tag of tags) if (tag !== undefined) params.append("tag", tag);
  const text = params.toString();
  return `${base}/${text ? `?${text}` : ""}`;
}

function statusTabs(base: string, query: RunsQuery, result: RunsResult): SafeHtml {
  const total = STATUSES.reduce((n, s) => n + result.counts[s], 0);
  const capped = (s: RunStatus) => (result.capped.includes(s) ? "+" : "");
  const tab = (status: RunStatus | undefined, label: string, count: string) =>
    html`<a class="tab${status ? ` tab-${status}` : ""}" href="${listHref(base, query, { status, limit: undefined })}"${
      query.status === status ? html` aria-current="true"` : ""
    }><span class="tab-label">${label}</span><span class="tab-count" data-status="${status ?? "all"}">${count}</span></a>`;
  return html`<nav class="tabs" aria-label="runs by status">${tab(undefined, "all", `${total}${result.capped.length > 0 ? "+" : ""}`)}${STATUSES.map(
    (s) => tab(s, s, `${result.counts[s]}${capped(s)}`),
  )}</nav>`;
}

function utcInput(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 19) : "";
}

function filterForm(base: string, query: RunsQuery, workflows: readonly string[]): SafeHtml {
  const [tag, ...moreTags] = Object.entries(query.tags).map(([k, v]) => `${k}=${v}`);
  const clear =
    query.q || query.workflow || tag || query.after || query.before
      ? html`<a class="button-quiet" href="${listHref(base, { tags: {}, limit: 50, issues: [] }, { status: query.status })}">Clear</a>`
      : "";
  return html`<form class="filters" method="get" action="${base}/">
${query.status ? html`<input type="hidden" name="status" value="${query.status}">` : ""}
<label class="field"><span>Run id</span><input type="search" name="q" value="${query.q ?? ""}" placeholder="search by run id" autocomplete="off"></label>
<label class="field"><span>Workflow</span><input name="workflow" value="${query.workflow ?? ""}" list="workflow-names" placeholder="any" autocomplete="off"></label>
<datalist id="workflow-names">${workflows.map((w) => html`<option value="${w}"></option>`)}</datalist>
<label class="field"><span>Tag</span><input name="tag" value="${tag ?? ""}" placeholder="key=value" autocomplete="off"></label>
${moreTags.map((t) => html`<input type="hidden" name="tag" value="${t}">`)}
<label class="field"><span>Created after (UTC)</span><input type="datetime-local" step="1" name="after" value="${utcInput(query.after)}"></label>
<label class="field"><span>Created before (UTC)</span><input type="datetime-local" step="1" name="before" value="${utcInput(query.before)}"></label>
<div class="field-buttons"><button type="submit">Filter</button>${clear}</div>
</form>`;
}

function tagChips(base: string, query: RunsQuery, tags: Record<string, string>): SafeHtml {
  return html`${Object.entries(tags).map(
    ([k, v]) =>
      html`<a class="chip" href="${listHref(base, query, { tag: `${k}=${v}` })}" title="runs tagged ${k}=${v}"><span class="chip-key">${k}</span>${v}</a>`,
  )}`;
}

function whatNext(run: RunInfo): SafeHtml {
  if (run.error) {
    return html`<span class="error-text" title="${run.error.message}">${run.error.name}: ${run.error.message}</span>`;
  }
  if (run.heldBy) return html`<span class="muted">held by ${run.heldBy}</span>`;
  if (run.finishedAt) {
    const took = run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime();
    return html`<span class="muted">took ${formatSpan(took)}</span>`;
  }
  if (run.wakeAt) return html`<span class="muted">due ${formatTime(run.wakeAt)}</span>`;
  return html``;
}

function runRow(base: string, query: RunsQuery, run: RunInfo): SafeHtml {
  return html`<tr>
<td>${statusBadge(run.status)}</td>
<td class="id-cell">${runLink(base, run.id)}${run.parentId ? html`<div class="muted small">child of ${runLink(base, run.parentId)}</div>` : ""}</td>
<td><a class="plain" href="${listHref(base, query, { workflow: run.workflow })}">${run.workflow}</a></td>
<td class="chips">${tagChips(base, query, run.tags)}</td>
<td class="time" title="${run.createdAt.toISOString()}">${formatTime(run.createdAt)}</td>
<td class="next">${whatNext(run)}</td>
</tr>`;
}

/**
 * The runs page: counts per status as tabs, the filters (run id, workflow, tag, created between), and a
 * table of runs linking to each run's page; the tabs and table refresh in place.
 * @example
 * const page = runsListPage("", query, await listRuns(client, query));
 */
export function runsListPage(base: string, query: RunsQuery, result: RunsResult): SafeHtml {
  const issues = query.issues.map(
    (i) => html`<div class="notice notice-error">Ignored filter <b>${i.path}</b>: ${i.message}</div>`,
  );
  const more =
    result.runs.length >= query.limit && query.limit < 1000
      ? html`<a class="button-quiet" href="${listHref(base, query, { limit: String(Math.min(query.limit * 4, 1000)) })}">Show more</a>`
      : "";
  const table =
    result.runs.length === 0
      ? html`<p class="empty">No runs match these filters.</p>`
      : html`<table class="runs collapse"><thead><tr><th>status</th><th>run</th><th>workflow</th><th>tags</th><th>created</th><th>outcome</th></tr></thead>
<tbody>${result.runs.map((run) => runRow(base, query, run))}</tbody></table>`;
  const body = html`<div class="page-head"><h1>Runs</h1></div>
${issues}
${filterForm(base, query, result.workflows)}
<div id="runs-live" data-live-region>
${statusTabs(base, query, result)}
<div class="card table-card">${table}</div>
<div class="list-foot"><span class="muted small">${result.runs.length} ${result.runs.length === 1 ? "run" : "runs"} shown, newest first</span>${more}</div>
</div>`;
  return layout({ base, title: "Runs", section: "runs", body });
}
