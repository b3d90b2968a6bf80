import { RUN_STATUSES } from "@durable/core";
/**
 * The dashboard's stylesheet, served at `/assets/dashboard.css`: plain CSS with custom properties, a light
 * and a dark scheme (following the system), no build step.
 * @example
 * c.body(DASHBOARD_CSS, 200, { "content-type": "text/css; charset=utf-8" });
 */
export const DASHBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --card: #ffffff; --border: #e2e5ea; --border-strong: #cfd4dc;
  --text: #1c2230; --muted: #687182; --faint: #f0f2f5; --accent: #4f46e5; --accent-text: #ffffff;
  --link: #3d3ad1;
  --pending: #64748b; --running: #2563eb; --suspended: #7c3aed; --completed: #0f9f6e;
  --failed: #dc2626; --cancelled: #8a93a3; --blocked: #d97706;
  --k-compute: #3b82f6; --k-compute-bg: #e8f0fe; --k-delay: #d98b06; --k-delay-bg: #fdf3dc;
  --k-decision: #9333ea; --k-decision-bg: #f3e8ff; --k-event: #0d9488; --k-event-bg: #dcf5f1;
  --k-child: #db2777; --k-child-bg: #fde7f1; --k-other: #8a93a3; --k-other-bg: #eef0f3;
  --error-bg: #fef1f1; --error-border: #f5c2c2; --warn-bg: #fff7e6; --warn-border: #f4d79b;
  --info-bg: #f1efff; --info-border: #d6d1fb;
  --mono: ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --radius: 8px;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11141a; --card: #181c24; --border: #2a303b; --border-strong: #3a4250; --text: #e6e9ef;
    --muted: #98a1b2; --faint: #1f242e; --accent: #7c76ff; --link: #a5a1ff;
    --k-compute-bg: #1b2a44; --k-delay-bg: #3a2e12; --k-decision-bg: #2e1f45; --k-event-bg: #12332f;
    --k-child-bg: #3a1a2b; --k-other-bg: #252a33;
    --error-bg: #2d1518; --error-border: #5c2a2f; --warn-bg: #2d2412; --warn-border: #5c4a1f;
    --info-bg: #1f1d3a; --info-border: #3b3775;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
a.plain { color: inherit; }
h1 { font-size: 20px; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 13px; margin: 0 0 10px; font-weight: 650; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
h2 .muted { text-transform: none; letter-spacing: 0; font-weight: 500; margin-left: 4px; }
pre, code { font-family: var(--mono); font-size: 12.5px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.error-text { color: var(--failed); }
.warn-text { color: var(--blocked); }

.topbar { display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 52px; background: var(--card); border-bottom: 1px solid var(--border); position: sticky; top: 0; z-index: 5; }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 700; font-size: 16px; color: var(--text); letter-spacing: -0.01em; }
.brand:hover { text-decoration: none; }
.brand-mark { width: 18px; height: 18px; border-radius: 5px; background: linear-gradient(135deg, var(--accent), var(--k-decision)); display: inline-block; }
.main-nav { display: flex; gap: 18px; }
.topbar nav a { color: var(--muted); font-weight: 550; padding: 15px 2px; border-bottom: 2px solid transparent; white-space: nowrap; }
.topbar nav a[aria-current] { color: var(--text); border-bottom-color: var(--accent); }
.topbar nav a:hover { text-decoration: none; color: var(--text); }
.topbar-right { margin-left: auto; display: flex; align-items: center; gap: 16px; }
.refresh { display: flex; align-items: center; gap: 6px; color: var(--muted); font-size: 13px; cursor: pointer; }

main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 48px; }
.page-head { display: flex; align-items: center; gap: 12px; margin: 4px 0 16px; flex-wrap: wrap; }
.crumbs { display: flex; gap: 8px; color: var(--muted); font-size: 13px; margin-bottom: 6px; }
.run-title { font-family: var(--mono); font-size: 18px; font-weight: 600; word-break: break-all; }
.head-actions { margin-left: auto; display: flex; gap: 8px; }

.card { background: var(--card); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px; margin-bottom: 16px; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); }
.table-card { padding: 0; overflow-x: auto; }
.empty { color: var(--muted); padding: 24px; text-align: center; margin: 0; }

button, .button-quiet { font: inherit; font-size: 13px; font-weight: 550; border-radius: 6px; padding: 6px 12px; border: 1px solid var(--border-strong); background: var(--card); color: var(--text); cursor: pointer; line-height: 1.4; }
button:hover { background: var(--faint); }
button:disabled { opacity: 0.55; cursor: progress; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button.primary:hover { filter: brightness(1.08); }
button.danger { color: var(--failed); border-color: var(--error-border); }
button.danger:hover { background: var(--error-bg); }
.button-quiet { border-color: transparent; color: var(--muted); display: inline-block; }
.button-quiet:hover { color: var(--text); text-decoration: none; background: var(--faint); }
.link-button { border: none; background: none; padding: 2px 4px; color: var(--muted); font-size: 12px; font-weight: 500; visibility: hidden; }
tr:hover .link-button, .link-button:focus { visibility: visible; }
.link-button:hover { color: var(--link); background: none; text-decoration: underline; }

.filters { display: grid; grid-template-columns: minmax(180px, 2fr) minmax(120px, 1fr) minmax(120px, 1fr) minmax(190px, 1.2fr) minmax(190px, 1.2fr) auto; gap: 10px; align-items: end; background: var(--card); border: 1px solid var(--border); border-radius: var(--radius); padding: 12px 14px; margin-bottom: 14px; }
.field { display: flex; flex-direction: column; gap: 4px; font-size: 12px; color: var(--muted); font-weight: 550; }
.field input, .field select, .field textarea { font: inherit; font-size: 13px; color: var(--text); background: var(--card); border: 1px solid var(--border-strong); border-radius: 6px; padding: 6px 8px; min-width: 0; }
.field input, .field select, .field textarea { font-weight: 400; }
.field textarea { font-family: var(--mono); font-size: 12.5px; resize: vertical; }
.field input:focus, .field select:focus, .field textarea:focus { outline: 2px solid color-mix(in srgb, var(--accent) 35%, transparent); border-color: var(--accent); }
.field-buttons { display: flex; gap: 6px; }

.tabs { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 12px; }
.tab { display: flex; align-items: center; gap: 8px; padding: 5px 10px 5px 12px; border-radius: 999px; border: 1px solid var(--border); background: var(--card); color: var(--text); font-size: 13px; font-weight: 550; }
.tab:hover { text-decoration: none; border-color: var(--border-strong); }
.tab[aria-current] { border-color: var(--accent); box-shadow: inset 0 0 0 1px var(--accent); }
.tab-count { font-variant-numeric: tabular-nums; color: var(--muted); background: var(--faint); border-radius: 999px; padding: 0 7px; font-size: 12px; }
.tab::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
${RUN_STATUSES.map((s) => `.tab-${s}::before { background: var(--${s}); }`).join("\n")}
.tab:not([class*="tab-"])::before, .tab:first-child::before { background: var(--text); }

table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-size: 11.5px; font-weight: 650; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); padding: 9px 12px; border-bottom: 1px solid var(--border); white-space: nowrap; background: var(--card); }
td { padding: 9px 12px; border-bottom: 1px solid var(--border); vertical-align: middle; }
tbody tr:last-child td { border-bottom: none; }
table.runs tbody tr:hover { background: var(--faint); }
table.compact td, table.compact th { padding: 6px 8px; }
.run-id { font-family: var(--mono); font-size: 12.5px; display: inline-block; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: bottom; }
.id-cell { max-width: 380px; }
.id-cell .muted { display: flex; gap: 4px; white-space: nowrap; min-width: 0; }
.id-cell .muted .run-id { min-width: 0; }
.time { white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--muted); font-size: 13px; }
.next { max-width: 320px; font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chips { max-width: 280px; }
.chip { display: inline-flex; align-items: center; font-size: 12px; border: 1px solid var(--border); border-radius: 5px; padding: 0 6px; margin: 1px 4px 1px 0; color: var(--text); background: var(--faint); white-space: nowrap; }
.chip:hover { text-decoration: none; border-color: var(--border-strong); }
.chip-key { color: var(--muted); }
.chip-key::after { content: "="; }
.list-foot { display: flex; justify-content: space-between; align-items: center; padding: 0 2px; }

.status { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; font-weight: 600; padding: 2px 9px 2px 8px; border-radius: 999px; white-space: nowrap; border: 1px solid color-mix(in srgb, currentColor 28%, transparent); background: color-mix(in srgb, currentColor 9%, transparent); }
.status::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
${RUN_STATUSES.map((s) => `.status-${s} { color: var(--${s}); }`).join("\n")}
.status-running::before { animation: pulse 1.4s ease-in-out infinite; }
@keyframes pulse { 50% { opacity: 0.3; } }

.notice { border-radius: var(--radius); padding: 10px 14px; margin-bottom: 14px; border: 1px solid var(--border); background: var(--card); }
.notice-error { background: var(--error-bg); border-color: var(--error-border); }
.notice-warn { background: var(--warn-bg); border-color: var(--warn-border); }
.notice-info { background: var(--info-bg); border-color: var(--info-border); }
.notice-quiet { background: var(--faint); }
.error-head { display: flex; gap: 8px; align-items: center; }
.error-message { margin-top: 2px; word-break: break-word; }
.error-box details { margin-top: 6px; }
.error-box pre { font-size: 12px; color: var(--muted); margin-top: 6px; }
.code-tag { font-family: var(--mono); font-size: 11.5px; border-radius: 4px; padding: 0 5px; background: color-mix(in srgb, currentColor 10%, transparent); }
.waits div + div { margin-top: 2px; }

.overview { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(0, 1.1fr) minmax(0, 1.1fr); gap: 16px; align-items: start; }
.overview > .card { margin-bottom: 16px; }
.payloads { display: contents; }
.payload pre { max-height: 260px; overflow: auto; background: var(--faint); border-radius: 6px; padding: 10px 12px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; font-size: 13px; }
.fact { display: contents; }
.fact dt { color: var(--muted); }
.fact dd { margin: 0; min-width: 0; word-break: break-word; }

.timeline-scroll { overflow-x: auto; margin: 0 -16px -16px; }
table.timeline { font-size: 13px; }
table.timeline th:first-child, table.timeline td:first-child { padding-left: 16px; }
table.timeline td { padding-top: 7px; padding-bottom: 7px; }
table.timeline .seq { color: var(--muted); font-variant-numeric: tabular-nums; width: 1%; }
table.timeline .name { font-family: var(--mono); font-size: 12.5px; white-space: nowrap; }
table.timeline .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.attempts-many { color: var(--blocked); font-weight: 650; }
.bar-cell { width: 34%; min-width: 220px; }
.axis { position: relative; display: flex; justify-content: space-between; font-weight: 500; text-transform: none; letter-spacing: 0; font-size: 11px; }
.axis-span { color: var(--text); }
.now-mark { position: absolute; top: -3px; bottom: -3px; width: 2px; margin-left: -1px; background: var(--accent); border-radius: 1px; }
.track { position: relative; height: 14px; background: var(--faint); border-radius: 4px; }
.bar { position: absolute; top: 2px; bottom: 2px; min-width: 4px; border-radius: 3px; background: var(--k-other); }
.bar.kind-call, .bar.kind-transaction { background: var(--k-compute); }
.bar.kind-sleep { background: var(--k-delay); }
.bar.kind-decide { background: var(--k-decision); }
.bar.kind-event { background: var(--k-event); }
.bar.kind-child { background: var(--k-child); }
.bar.tone-error { background: var(--failed); }
.bar.pending { background: repeating-linear-gradient(135deg, color-mix(in srgb, var(--suspended) 45%, transparent) 0 5px, transparent 5px 9px); border: 1px dashed var(--suspended); top: 1px; bottom: 1px; }
.kind { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 1px 7px; border-radius: 4px; background: var(--k-other-bg); color: var(--k-other); white-space: nowrap; }
.kind.kind-call, .kind.kind-transaction { background: var(--k-compute-bg); color: var(--k-compute); }
.kind.kind-sleep { background: var(--k-delay-bg); color: var(--k-delay); }
.kind.kind-decide { background: var(--k-decision-bg); color: var(--k-decision); }
.kind.kind-event { background: var(--k-event-bg); color: var(--k-event); }
.kind.kind-child { background: var(--k-child-bg); color: var(--k-child); }
.kind.kind-waiting { background: var(--info-bg); color: var(--suspended); }
.pending-row td { color: var(--muted); }
.pending-row .name { font-family: inherit; font-style: italic; }
.value-cell { max-width: 360px; word-break: break-word; }
.value-cell code { color: var(--text); }
.value-cell code.one-line { display: inline-block; max-width: 100%; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
details.value summary { cursor: pointer; display: flex; gap: 6px; align-items: baseline; list-style: none; }
details.value summary::-webkit-details-marker { display: none; }
details.value summary::before { content: "▸"; color: var(--muted); font-size: 11px; }
details.value[open] summary::before { content: "▾"; }
details.value summary code { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
details.value pre { margin-top: 6px; background: var(--faint); padding: 8px 10px; border-radius: 6px; max-height: 240px; overflow: auto; }
.row-actions { width: 1%; white-space: nowrap; text-align: right; }

.lower { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 16px; align-items: start; }
.path-card { min-width: 380px; }
.side { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 0 16px; align-items: start; }
.side > #run-children { grid-column: 1 / -1; }
.side > #run-children:empty { display: none; }
.path-scroll { overflow-x: auto; display: flex; justify-content: center; padding: 8px 0; }
.legend { display: flex; gap: 6px; align-items: center; justify-content: center; flex-wrap: wrap; }
.lg { width: 12px; height: 12px; display: inline-block; border-radius: 3px; border: 1.5px solid; margin-left: 8px; }
.lg-compute { background: var(--k-compute-bg); border-color: var(--k-compute); }
.lg-delay { background: var(--k-delay-bg); border-color: var(--k-delay); border-radius: 6px; }
.lg-decision { background: var(--k-decision-bg); border-color: var(--k-decision); transform: rotate(45deg) scale(0.85); }
.lg-event { background: var(--k-event-bg); border-color: var(--k-event); }
.lg-child { background: var(--k-child-bg); border-color: var(--k-child); outline: 1.5px solid var(--k-child); outline-offset: 1px; }
.action-card .field { margin-bottom: 10px; }
.action-card p { margin: -4px 0 10px; }
.form-foot { display: flex; gap: 10px; align-items: center; }
.form-error { color: var(--failed); font-size: 12.5px; }

svg.state-machine { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; overflow: visible; }
svg.state-machine .shape { stroke-width: 1.5; fill: var(--k-other-bg); stroke: var(--k-other); }
svg.state-machine .shape-inner { fill: none; stroke-width: 1; stroke: var(--k-child); }
svg.state-machine .title { font-size: 13px; font-weight: 600; fill: var(--text); }
svg.state-machine .subtitle { font-size: 11px; fill: var(--muted); }
svg.state-machine .seq { font-size: 11px; fill: var(--muted); font-variant-numeric: tabular-nums; }
svg.state-machine .glyph { fill: none; stroke: var(--k-delay); stroke-width: 1.5; }
svg.state-machine .node-compute .shape { fill: var(--k-compute-bg); stroke: var(--k-compute); }
svg.state-machine .node-delay .shape { fill: var(--k-delay-bg); stroke: var(--k-delay); }
svg.state-machine .node-decision .shape { fill: var(--k-decision-bg); stroke: var(--k-decision); }
svg.state-machine .node-event .shape { fill: var(--k-event-bg); stroke: var(--k-event); }
svg.state-machine .node-child .shape { fill: var(--k-child-bg); stroke: var(--k-child); }
svg.state-machine .node-start .shape { fill: var(--text); stroke: var(--text); }
svg.state-machine .node-waiting .shape { fill: var(--info-bg); stroke: var(--suspended); stroke-dasharray: 5 4; }
svg.state-machine .node-end.tone-ok .shape { fill: color-mix(in srgb, var(--completed) 12%, var(--card)); stroke: var(--completed); }
svg.state-machine .node-end.tone-ok .shape-inner { stroke: var(--completed); }
svg.state-machine .node-end.tone-error .shape, svg.state-machine .tone-error .shape { fill: var(--error-bg); stroke: var(--failed); }
svg.state-machine .node-end.tone-error .shape-inner { stroke: var(--failed); }
svg.state-machine .node-end.tone-blocked .shape { fill: var(--warn-bg); stroke: var(--blocked); }
svg.state-machine .node-end.tone-blocked .shape-inner { stroke: var(--blocked); }
svg.state-machine .node-end.tone-cancelled .shape, svg.state-machine .node-cancel .shape { fill: var(--faint); stroke: var(--cancelled); }
svg.state-machine .node-end.tone-cancelled .shape-inner { stroke: var(--cancelled); }
svg.state-machine .edge line, svg.state-machine .loop path { stroke: var(--border-strong); stroke-width: 1.5; fill: none; }
svg.state-machine .edge.tone-error line { stroke: var(--failed); }
svg.state-machine marker path { fill: var(--border-strong); }
svg.state-machine .edge-label { font-size: 11.5px; font-weight: 600; fill: var(--k-decision); font-family: var(--mono); }
svg.state-machine .tone-error .edge-label { fill: var(--failed); }
svg.state-machine .loop path { stroke: var(--k-decision); stroke-dasharray: 4 3; }
svg.state-machine .loop-label { font-size: 12px; font-weight: 700; fill: var(--k-decision); }

.section-title { margin: 22px 0 10px; }
h2 a { text-transform: none; letter-spacing: 0; font-weight: 500; margin-left: 6px; }
#workflow-live { margin-bottom: 12px; }
details.schema[open] { grid-column: 1 / -1; }
.card-head { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.card-head h2 { margin-right: auto; }
.card-tools { display: flex; gap: 8px; align-items: center; }
.button-link { font-size: 13px; font-weight: 550; border-radius: 6px; padding: 6px 12px; border: 1px solid var(--border-strong); color: var(--text); background: var(--card); white-space: nowrap; display: inline-block; line-height: 1.4; }
.button-link:hover { text-decoration: none; background: var(--faint); }
.button-link.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
.table-scroll { overflow-x: auto; }
pre.json { background: var(--faint); border-radius: 6px; padding: 10px 12px; max-height: 420px; overflow: auto; white-space: pre; word-break: normal; margin-top: 8px; }
.json-details summary { cursor: pointer; color: var(--muted); font-size: 13px; }
.two-col { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 16px; align-items: start; }
.meta { display: flex; flex-wrap: wrap; gap: 4px; }

.workflow-card { display: grid; gap: 10px; }
.workflow-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.workflow-head .button-link { margin-left: auto; }
h2.workflow-name { font-size: 16px; text-transform: none; letter-spacing: -0.01em; color: var(--text); margin: 0; font-family: var(--mono); }
.unregistered h2.workflow-name { color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
.count { color: var(--muted); white-space: nowrap; }
.count b { color: var(--text); font-variant-numeric: tabular-nums; font-weight: 650; }
.count.zero { opacity: 0.55; }
${["pending", "running", "suspended", "completed", "failed", "cancelled", "blocked"].map((s) => `.count-${s}:not(.zero) b { color: var(--${s}); }`).join("\n")}
.schemas { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px 16px; }
.schema { border-top: 1px solid var(--border); padding-top: 8px; min-width: 0; }
details.schema summary { cursor: pointer; list-style: none; display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; }
details.schema summary::-webkit-details-marker { display: none; }
details.schema summary::before { content: "▸"; color: var(--muted); font-size: 11px; }
details.schema[open] summary::before { content: "▾"; }
.schema-title { font-size: 12px; font-weight: 650; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; margin-right: 4px; }
.props { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.prop { display: inline-flex; font-family: var(--mono); font-size: 12px; border: 1px solid var(--border); border-radius: 5px; overflow: hidden; max-width: 100%; }
.prop-name { padding: 0 6px; background: var(--faint); }
.prop-type { padding: 0 6px; color: var(--k-decision); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }

.schema-form .field { margin-bottom: 10px; }
.field label { color: var(--muted); font-size: 12px; font-weight: 550; }
.field-name { font-family: var(--mono); color: var(--text); font-size: 12.5px; }
.req { color: var(--accent); font-weight: 600; }
.hint { color: var(--muted); font-size: 12px; font-weight: 400; }
.field-error { color: var(--failed); font-size: 12.5px; font-weight: 500; }
.field-error:empty { display: none; }
[aria-invalid="true"] { border-color: var(--failed) !important; }
.more-options { margin-bottom: 10px; }
.more-options summary { cursor: pointer; color: var(--muted); font-size: 13px; margin-bottom: 8px; }
details.message-form { border-top: 1px solid var(--border); padding: 8px 0; }
details.message-form:first-of-type { border-top: none; padding-top: 0; }
details.message-form summary { cursor: pointer; margin-bottom: 8px; display: flex; gap: 6px; align-items: center; }
.waiting-tag { font-size: 11.5px; font-weight: 600; color: var(--suspended); background: var(--info-bg); border-radius: 999px; padding: 0 8px; }

.worker-card { padding: 0; }
.worker-head { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; padding: 12px 16px; border-bottom: 1px solid var(--border); }
.worker-id { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 100%; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code.held-by, code.spec { font-size: 12px; background: var(--faint); border-radius: 4px; padding: 1px 6px; white-space: nowrap; }

#toast { position: fixed; right: 20px; bottom: 20px; max-width: 420px; padding: 10px 14px; border-radius: var(--radius); background: var(--text); color: var(--card); box-shadow: 0 6px 24px rgba(0, 0, 0, 0.18); font-size: 13px; z-index: 10; }
#toast.toast-error { background: var(--failed); color: #fff; }

@media (max-width: 1100px) {
  .filters { grid-template-columns: 1fr 1fr 1fr; }
  .overview { grid-template-columns: 1fr 1fr; }
  .overview > .card:first-child { grid-column: 1 / -1; }
  .lower { grid-template-columns: 1fr; }
}
@media (max-width: 700px) {
  .filters { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .field input, .field select, .field textarea { width: 100%; }
  .filters .field:first-of-type, .field-buttons { grid-column: 1 / -1; }
  .overview, .two-col { grid-template-columns: 1fr; }
  main { padding: 12px; }
  .topbar { padding: 6px 12px 0; gap: 4px 14px; height: auto; flex-wrap: wrap; }
  .topbar .main-nav { order: 3; width: 100%; overflow-x: auto; gap: 16px; }
  .topbar nav a { padding: 8px 2px 9px; }
  .utc-note { display: none; }
  .path-card { min-width: 0; }
  .path-scroll { justify-content: flex-start; }
  .axis { justify-content: center; }
  .axis span:not(.axis-span) { display: none; }
  svg.state-machine { max-width: 100%; height: auto; }
  .overview { gap: 0; }
  .side { grid-template-columns: minmax(0, 1fr); }
  .head-actions { margin-left: 0; }
  .run-title { font-size: 15px; }
  .id-cell { max-width: 230px; }
  #toast { left: 12px; right: 12px; max-width: none; }
  table.runs.collapse thead { display: none; }
  table.runs.collapse, table.runs.collapse tbody { display: block; }
  table.runs.collapse tr { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 2px 10px; padding: 10px 12px; border-bottom: 1px solid var(--border); }
  table.runs.collapse td { padding: 0; border: none; min-width: 0; max-width: none; }
  table.runs.collapse td:nth-child(2) { grid-column: 2; grid-row: 1; }
  table.runs.collapse td:nth-child(n+3) { grid-column: 1 / -1; }
  table.runs.collapse td.chips:empty { display: none; }
  table.runs.collapse .next { white-space: normal; }
  table.stack thead { display: none; }
  table.stack, table.stack tbody, table.stack tr { display: block; }
  table.stack tr { padding: 10px 12px; border-bottom: 1px solid var(--border); }
  table.stack tbody tr:last-child { border-bottom: none; }
  table.stack td { display: flex; gap: 10px; align-items: baseline; padding: 1px 0; border: none; text-align: left; max-width: none; min-width: 0; }
  table.stack td > * { min-width: 0; }
  table.stack td[data-label]::before { content: attr(data-label); color: var(--muted); font-size: 12px; flex: none; width: 84px; }
  .last-run-line { display: flex; gap: 6px; align-items: center; min-width: 0; }
}
`;
