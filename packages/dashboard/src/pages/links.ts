import { html, type SafeHtml } from "../html/escape-html.js";

/**
 * The address of a run's page (ids may hold `/`, `:` or anything else: encoded as one segment).
 * @example
 * runHref("", "order:42"); // "/runs/order%3A42"
 */
export function runHref(base: string, id: string): string {
  return `${base}/runs/${encodeURIComponent(id)}`;
}

/**
 * A link to a run's page showing its id.
 * @example
 * runLink("", "order:42"); // <a class="run-id" href="/runs/order%3A42">order:42</a>
 */
export function runLink(base: string, id: string, text: string = id): SafeHtml {
  return html`<a class="run-id" href="${runHref(base, id)}" title="${id}">${text}</a>`;
}
