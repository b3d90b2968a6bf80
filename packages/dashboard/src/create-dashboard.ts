import { type AnySchedule, type AnyWorkflow, type Client, type Store, ValidationError } from "@durable/core";
import { Hono } from "hono";
import { apiRoutes } from "./api/api-routes.js";
import { catalogRoutes } from "./api/catalog-routes.js";
import { errorResponse } from "./api/error-response.js";
import { DASHBOARD_JS } from "./assets/client-script.js";
import { DASHBOARD_CSS } from "./assets/styles.js";
import { deny } from "./auth/deny.js";
import { loopbackHostOnly, originCheck } from "./auth/origin-check.js";
import { tokenAuth } from "./auth/token-auth.js";
import type { DashboardDeps } from "./deps.js";
import { pageRoutes } from "./pages/page-routes.js";
import { definedSchedules, type ScheduleSource } from "./views/load-schedules.js";

/** Options of `createDashboard`. */
export interface DashboardOptions {
  /** Reads and changes runs. Give it the workflows (`new Client({ store, workflows })`) so events are checked against their schemas. */
  client: Client;
  /** The same store: lets the run page say which events a run waits for, its step retries and the store's clock. */
  store?: Store;
  /**
   * Required on every request when set: `Authorization: Bearer <token>`, or the cookie set by opening
   * `/?token=<token>` once. Without a token the dashboard answers only requests addressed to a loopback name.
   */
  token?: string;
  /** Other origins allowed to post actions (and, without a token, host names allowed), e.g. `https://ops.example.com`. */
  allowedOrigins?: readonly string[];
  /** Where the app is mounted when it shares a server, e.g. `/dashboard` (default: the root). */
  basePath?: string;
  /**
   * The workflow definitions (the same list the worker runs): the workflows page shows their input and
   * event schemas and starts runs from forms built from them; run pages offer a form per declared event.
   */
  workflows?: readonly AnyWorkflow[];
  /**
   * The schedules the workers run: definitions (`schedule({...})`, as in the config), or a function that
   * lists them (`ScheduleListing[]`, e.g. from schedules kept in the database).
   */
  schedules?: readonly AnySchedule[] | ScheduleSource;
  /** How often a run page's live stream looks for changes the store does not announce (default 1000 ms). */
  livePollMs?: number;
}

// The page script and stylesheet are served by the dashboard, so no inline script is ever needed: an
// injected <script> would not run even if escaping failed somewhere.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

function normaliseBase(basePath: string | undefined): string {
  const trimmed = (basePath ?? "").replace(/\/+$/, "");
  if (trimmed !== "" && !trimmed.startsWith("/")) {
    throw new ValidationError(`basePath must start with "/", got "${basePath}"`, [
      { path: "basePath", message: 'must start with "/"' },
    ]);
  }
  return trimmed;
}

/**
 * The dashboard as a hono app, independent of how it is served (`serveDashboard`, `durable dev`, or
 * mounted in your own server): pages `/` (runs), `/runs/<id>`, `/workflows`, `/schedules` and `/workers`,
 * the JSON API under `/api`, and the
 * guards — the token (when set) on every request, the `Origin` check on every `POST`, and a strict
 * Content-Security-Policy.
 * @example
 * import { serve } from "@hono/node-server";
 * const app = createDashboard({ client: new Client({ store, workflows }), store, workflows, schedules,
 *   token: process.env.DURABLE_DASHBOARD_TOKEN });
 * serve({ fetch: app.fetch, port: 4800, hostname: "127.0.0.1" });
 */
export function createDashboard(options: DashboardOptions): Hono {
  const base = normaliseBase(options.basePath);
  const allowedOrigins = options.allowedOrigins ?? [];
  if (options.token !== undefined && options.token.trim() === "") {
    throw new ValidationError("the dashboard token is empty; pass a real secret or none", [
      { path: "token", message: "is empty" },
    ]);
  }
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });
  if (options.token === undefined) app.use("*", loopbackHostOnly({ allowedOrigins }));
  else app.use("*", tokenAuth({ token: options.token, cookiePath: base || "/" }));
  app.use("*", originCheck({ allowedOrigins }));

  app.get(`${base}/assets/dashboard.css`, (c) =>
    c.body(DASHBOARD_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache" }),
  );
  app.get(`${base}/assets/dashboard.js`, (c) =>
    c.body(DASHBOARD_JS, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
    }),
  );
  const deps: DashboardDeps = {
    client: options.client,
    ...(options.store ? { store: options.store } : {}),
    base,
    workflows: new Map((options.workflows ?? []).map((w) => [w.name, w])),
    schedules:
      typeof options.schedules === "function"
        ? options.schedules
        : definedSchedules(options.schedules ?? [], options.client),
  };
  app.route(
    `${base}/api`,
    apiRoutes({ ...deps, ...(options.livePollMs ? { livePollMs: options.livePollMs } : {}) }),
  );
  app.route(`${base}/api`, catalogRoutes(deps));
  app.all(`${base}/api/*`, (c) =>
    c.json({ error: { code: "not_found", message: `no API route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.route(base || "/", pageRoutes(deps));
  app.notFound((c) => deny(c, 404, "not_found", `nothing here: ${c.req.path}`));
  app.onError((error, c) => {
    if (new URL(c.req.url).pathname.startsWith(`${base}/api/`)) return errorResponse(c, error);
    const message = error instanceof Error ? error.message : String(error);
    return deny(c, 500, "internal", `the dashboard failed to answer: ${message}`);
  });
  return app;
}
