import type { RunStatus } from "@durable/core";
import { RUN_STATUSES } from "@durable/core";
import { html, type SafeHtml } from "../html/escape-html.js";

/** Every status, in the order a run moves through them. */
export const STATUSES: readonly RunStatus[] = RUN_STATUSES;

/**
 * A run's status as a coloured pill.
 * @example
 * statusBadge("failed"); // <span class="status status-failed">failed</span>
 */
export function statusBadge(status: RunStatus): SafeHtml {
  return html`<span class="status status-${status}">${status}</span>`;
}
