import type { JournalEntry } from "@durable/core";
import { html, type SafeHtml } from "../html/escape-html.js";
import { formatSpan, formatTime } from "../html/format-time.js";
import { formatValue, formatValueShort, safeDecode } from "../html/format-value.js";
import { describeWaits, type WaitDescription } from "../views/describe-waits.js";
import type { RunView } from "../views/load-run-view.js";
import { runLink } from "./links.js";

const KIND_WORDS: Record<JournalEntry["kind"], string> = {
  call: "step",
  transaction: "transaction",
  sleep: "sleep",
  decide: "decision",
  event: "event",
  child: "child",
  patch: "patch",
  cancel: "cancel",
};

interface Span {
  t0: number;
  t1: number;
}

function spanOf(view: RunView, waits: readonly WaitDescription[]): Span {
  const times = [view.run.createdAt.getTime()];
  for (const e of view.journal) times.push(e.startedAt.getTime(), e.completedAt.getTime());
  if (view.run.finishedAt) times.push(view.run.finishedAt.getTime());
  else times.push(view.now.getTime());
  for (const w of waits) if (w.until) times.push(w.until.getTime());
  return { t0: Math.min(...times), t1: Math.max(...times) };
}

function bar(span: Span, from: number, to: number, classes: string, title: string, now?: number): SafeHtml {
  const total = span.t1 - span.t0;
  const left = total > 0 ? ((from - span.t0) / total) * 100 : 0;
  const width = total > 0 ? ((Math.max(to, from) - from) / total) * 100 : 0;
  const style = `left:${left.toFixed(3)}%;width:${Math.min(width, 100 - left).toFixed(3)}%`;
  const mark =
    now !== undefined && total > 0 && now > span.t0 && now < span.t1
      ? html`<div class="now-mark" style="left:${(((now - span.t0) / total) * 100).toFixed(3)}%" title="now"></div>`
      : "";
  return html`<div class="track"><div class="bar ${classes}" style="${style}" title="${title}"></div>${mark}</div>`;
}

function valueCell(entry: JournalEntry, view: RunView, base: string): SafeHtml {
  if (entry.outcome === "error") {
    const e = entry.error;
    return html`<span class="error-text">${e.name}${e.code ? ` [${e.code}]` : ""}: ${e.message}</span>`;
  }
  const decoded = safeDecode(entry.result);
  if (!decoded.ok) return html`<span class="error-text">unreadable: ${decoded.reason}</span>`;
  const value = decoded.value;
  if (entry.kind === "sleep") {
    const until = (value as { until?: unknown } | undefined)?.until;
    const due = until instanceof Date ? until : typeof until === "string" ? new Date(until) : undefined;
    const late = due ? entry.completedAt.getTime() - due.getTime() : 0;
    return html`<span class="muted">until ${formatTime(due ?? entry.completedAt)}${late >= 1_000 ? `, woke ${formatSpan(late)} late` : ""}</span>`;
  }
  if (entry.kind === "event" && value === undefined) return html`<span class="warn-text">timed out</span>`;
  if (entry.kind === "patch") return html`<span class="muted">patched</span>`;
  if (entry.kind === "cancel") {
    const reason = (value as { reason?: unknown } | undefined)?.reason;
    return html`<span class="muted">reason</span> ${typeof reason === "string" ? reason : valueView(value)}`;
  }
  if (entry.kind === "child") {
    const childId = entry.name.startsWith("start:") ? value : `${view.run.id}:${entry.seq}`;
    const child = view.children.find((c) => c.id === childId);
    const link = child ? html`${runLink(base, child.id)} ` : "";
    return entry.name.startsWith("start:") ? html`${link}` : html`${link}${valueView(value)}`;
  }
  const prefix = entry.kind === "decide" ? "= " : entry.kind === "event" ? "payload " : "";
  return html`<span class="muted">${prefix}</span>${valueView(value)}`;
}

function valueView(value: unknown): SafeHtml {
  const compact = formatValue(value, 0);
  if (compact.length <= 60) return html`<code class="one-line" title="${compact}">${compact}</code>`;
  return html`<details class="value"><summary><code>${formatValueShort(value, 60)}</code></summary><pre>${formatValue(value)}</pre></details>`;
}

function entryRow(entry: JournalEntry, view: RunView, span: Span, base: string): SafeHtml {
  const from = entry.startedAt.getTime();
  const to = entry.completedAt.getTime();
  const took = formatSpan(to - from);
  const tone = entry.outcome === "error" ? "tone-error" : "tone-ok";
  const attempts =
    entry.kind === "call" || entry.kind === "transaction"
      ? html`<span class="${entry.attempts > 1 ? "attempts-many" : "muted"}">${entry.attempts}</span>`
      : "";
  const title = `${formatTime(entry.startedAt)} → ${formatTime(entry.completedAt)} (${took})`;
  return html`<tr class="entry kind-${entry.kind}" data-seq="${entry.seq}">
<td class="seq">${entry.seq}</td>
<td><span class="kind kind-${entry.kind}">${KIND_WORDS[entry.kind]}</span></td>
<td class="name">${entry.name}</td>
<td class="bar-cell">${bar(span, from, to, `kind-${entry.kind} ${tone}`, title)}</td>
<td class="num">${took}</td>
<td class="num">${attempts}</td>
<td class="value-cell">${valueCell(entry, view, base)}</td>
<td class="row-actions"><button type="button" class="link-button" data-action="fork" data-from-seq="${entry.seq}" title="a new run that reuses entries before #${entry.seq} and runs live from it">fork here</button></td>
</tr>`;
}

function waitRow(wait: WaitDescription, view: RunView, span: Span): SafeHtml {
  const last = Math.max(
    view.run.startedAt?.getTime() ?? view.run.createdAt.getTime(),
    ...view.journal.map((e) => e.completedAt.getTime()),
  );
  const to = wait.until?.getTime() ?? view.now.getTime();
  return html`<tr class="entry pending-row">
<td class="seq"></td>
<td><span class="kind kind-waiting">${wait.kind === "event" ? "waiting" : wait.kind}</span></td>
<td class="name">${wait.title.replace(/^waiting for /, "")}</td>
<td class="bar-cell">${bar(span, last, to, "pending", `${wait.title} ${wait.subtitle}`, view.now.getTime())}</td>
<td class="num">${wait.until ? formatSpan(to - last) : ""}</td>
<td class="num"></td>
<td class="value-cell"><span class="muted">${wait.subtitle}</span></td>
<td></td>
</tr>`;
}

/**
 * The run's journal as a timeline: one row per entry by seq with its kind, name, a bar from when it
 * started to when its result was recorded (on one time axis for the whole run), how long it took, its
 * attempts and what it recorded (a step's result or error, a sleep's wake time, a decision's value, an
 * event's payload); then dashed rows for what the run waits for now. Every value is escaped.
 * @example
 * const markup = renderTimeline(view, ""); // <table class="timeline">…
 */
export function renderTimeline(view: RunView, base: string): SafeHtml {
  const waits = describeWaits(view);
  const span = spanOf(view, waits);
  const entries = [...view.journal].sort((a, b) => a.seq - b.seq);
  if (entries.length === 0 && waits.length === 0) {
    return html`<p class="empty">No journal entries.</p>`;
  }
  const rows = entries.map((e) => entryRow(e, view, span, base));
  return html`<table class="timeline">
<thead><tr><th class="seq">#</th><th>kind</th><th>name</th>
<th class="bar-cell"><div class="axis"><span>${formatTime(new Date(span.t0))}</span><span class="axis-span">${formatSpan(span.t1 - span.t0)}</span><span>${formatTime(new Date(span.t1))}</span></div></th>
<th class="num">took</th><th class="num">attempts</th><th>result</th><th></th></tr></thead>
<tbody>${rows}${waits.map((w) => waitRow(w, view, span))}</tbody></table>`;
}
