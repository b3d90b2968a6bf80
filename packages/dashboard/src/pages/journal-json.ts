import type { JournalExport } from "@durable/core";
import { html, type SafeHtml } from "../html/escape-html.js";

/**
 * The export as `durable export` writes it: pretty JSON and a final newline (what `durable replay` reads).
 * @example
 * exportText(await client.exportJournal(id));
 */
export function exportText(exported: JournalExport): string {
  return `${JSON.stringify(exported, null, 2)}\n`;
}

/**
 * The run's raw journal: the canonical export (`durable.journal/1`, entries as stored) in a collapsible
 * block, with a button that copies it and a link that downloads it (the file `durable replay` checks).
 * @example
 * journalJson("", view.exported);
 */
export function journalJson(base: string, exported: JournalExport): SafeHtml {
  const href = `${base}/api/runs/${encodeURIComponent(exported.runId)}/export`;
  const text = exportText(exported);
  return html`<section class="card" id="run-json" data-live-region>
<div class="card-head"><h2>Journal JSON <span class="muted">${exported.format}, ${exported.entries.length} ${exported.entries.length === 1 ? "entry" : "entries"}</span></h2>
<div class="card-tools"><button type="button" data-copy="journal-json">Copy</button><a class="button-link" href="${href}" download>Download</a></div></div>
<details class="json-details" id="journal-json-details"><summary>The export, as <code>durable export</code> writes it and <code>durable replay</code> checks it</summary>
<pre class="json" id="journal-json">${text}</pre></details>
</section>`;
}
