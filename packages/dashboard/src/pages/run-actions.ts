import type { JournalEntry, RunInfo } from "@durable/core";
import { isTerminalStatus } from "@durable/core";
import { html, type SafeHtml } from "../html/escape-html.js";
import type { RunView } from "../views/load-run-view.js";

/**
 * The run's buttons: cancel (unless it has finished) and retry (when it is blocked or failed). The page
 * script asks for confirmation, then posts to `/api/runs/<id>/<action>`.
 * @example
 * html`<div class="head-actions">${runActions(run)}</div>`;
 */
export function runActions(run: RunInfo): SafeHtml {
  const retry =
    run.status === "blocked" || run.status === "failed"
      ? html`<button type="button" class="primary" data-action="retry" data-confirm="Retry run ${run.id}? It resumes from its journal (a failed run runs its last failed step again).">Retry</button>`
      : "";
  const cancel = isTerminalStatus(run.status)
    ? ""
    : html`<button type="button" class="danger" data-action="cancel" data-confirm="Cancel run ${run.id}? The workflow sees CancelledError at its current await; its children are cancelled too.">Cancel run</button>`;
  return html`${retry}${cancel}`;
}

function describeEntry(entry: JournalEntry): string {
  const kind = entry.kind === "call" ? "step" : entry.kind === "decide" ? "decision" : entry.kind;
  return `#${entry.seq} ${kind} ${entry.name}`;
}

/**
 * The fork form: a new run from a chosen journal entry.
 * @example
 * html`<div class="side">${forkForm(view)}</div>`;
 */
export function forkForm(view: RunView): SafeHtml {
  const { run, journal } = view;
  const sorted = [...journal].sort((a, b) => a.seq - b.seq);
  const fork = html`<section class="card action-card"><h2>Fork</h2>
<p class="muted small">A new run that reuses the journal entries before the one chosen, then runs live from it.</p>
<form class="action-form" data-action="fork" data-confirm="Fork run ${run.id}? A new run starts from the entry chosen.">
<label class="field"><span>Run live from</span><select name="fromSeq">
${sorted.map((e) => html`<option value="${e.seq}">${describeEntry(e)}</option>`)}
<option value="${sorted.length === 0 ? 0 : (sorted.at(-1) as JournalEntry).seq + 1}" selected>after the last entry (reuse all)</option>
</select></label>
<div class="form-foot"><button type="submit">Fork run</button><span class="form-error" role="alert"></span></div>
</form></section>`;
  return fork;
}
