import { html, type SafeHtml } from "../html/escape-html.js";

/** The top-level pages, as the navigation names them. */
export type Section = "runs" | "run" | "workflows" | "schedules" | "workers";

const NAV: readonly [Section, string, string][] = [
  ["runs", "Runs", "/"],
  ["workflows", "Workflows", "/workflows"],
  ["schedules", "Schedules", "/schedules"],
  ["workers", "Workers", "/workers"],
];

/** What every page passes to the layout. */
export interface PageOptions {
  base: string;
  title: string;
  /** Which top-level page is open. */
  section: Section;
  body: SafeHtml;
  /** Data attributes the page script reads (the run id on a run page). */
  data?: Record<string, string>;
  /** Auto-refresh the live parts of the page (off for finished runs). */
  live?: boolean;
  /** How the live parts refresh: polling the page (default) or the run's server-sent events. */
  liveVia?: "poll" | "sse";
}

/**
 * The page shell: head, stylesheet and script (served by the dashboard, so the Content-Security-Policy
 * can forbid inline scripts), the top bar with the auto-refresh switch.
 * @example
 * const page = layout({ base: "", title: "Runs", section: "runs", body: html`<p>…</p>` });
 */
export function layout(options: PageOptions): SafeHtml {
  const { base } = options;
  const data = Object.entries(options.data ?? {}).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · durable</title>
<link rel="stylesheet" href="${base}/assets/dashboard.css">
<link rel="icon" href="data:,">
<script src="${base}/assets/dashboard.js" defer></script>
</head>
<body data-base="${base}" data-live="${options.live === false ? "off" : "on"}" data-live-via="${options.liveVia ?? "poll"}"${data}>
<header class="topbar">
<a class="brand" href="${base}/"><span class="brand-mark" aria-hidden="true"></span>durable</a>
<nav class="main-nav">${NAV.map(
    ([section, label, path]) =>
      html`<a href="${base}${path}"${options.section === section || (section === "runs" && options.section === "run") ? html` aria-current="page"` : ""}>${label}</a>`,
  )}</nav>
<div class="topbar-right">
<span class="muted small utc-note">times in UTC</span>
<label class="refresh"><input type="checkbox" id="auto-refresh"> auto-refresh <span id="refresh-state" class="muted small"></span></label>
</div>
</header>
<main>
${options.body}
</main>
<div id="toast" role="status" aria-live="polite" hidden></div>
</body>
</html>`;
}
