// The app and its server

export { isLoopback } from "./auth/is-loopback.js";
export { TOKEN_COOKIE } from "./auth/token-auth.js";
export type { DashboardOptions } from "./create-dashboard.js";
export { createDashboard } from "./create-dashboard.js";
export type { DashboardServer, ServeDashboardOptions } from "./serve-dashboard.js";
export { DEFAULT_DASHBOARD_PORT, serveDashboard } from "./serve-dashboard.js";
export type { ScheduleListing, ScheduleSource } from "./views/load-schedules.js";
export { definedSchedules } from "./views/load-schedules.js";

// Building blocks, for hosts that render runs elsewhere: escaped HTML

export type { HtmlValue } from "./html/escape-html.js";
export { escapeHtml, html, raw, SafeHtml } from "./html/escape-html.js";
export type { JsonSchema } from "./schema/to-json-schema.js";
export { toJsonSchema } from "./schema/to-json-schema.js";
