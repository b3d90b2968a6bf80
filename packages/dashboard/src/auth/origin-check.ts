import type { MiddlewareHandler } from "hono";
import { deny } from "./deny.js";
import { isLoopback } from "./is-loopback.js";

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Guards mutations against cross-site requests: a `POST` must come from the dashboard's own origin (its
 * `Origin` names the host the request was sent to) or from one of `allowedOrigins`; `Origin: null` and
 * `Sec-Fetch-Site: cross-site` are refused. A request without `Origin` comes from a program, not a page
 * (browsers send it on every cross-origin `POST`), and passes. Refusals are a 403.
 * @example
 * app.use("*", originCheck({ allowedOrigins: ["https://ops.example.com"] }));
 */
export function originCheck(options: { allowedOrigins: readonly string[] }): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins.map((o) => hostOf(o)).filter((h) => h !== undefined));
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") {
      await next();
      return;
    }
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const own = new URL(c.req.url).host.toLowerCase();
    const from = origin === undefined ? undefined : hostOf(origin);
    const ok =
      origin === undefined
        ? site === undefined || site === "same-origin" || site === "none"
        : from !== undefined && (from === own || allowed.has(from));
    if (!ok) {
      return deny(
        c,
        403,
        "forbidden_origin",
        `refused a ${c.req.method} from ${origin ?? `a ${site} page`}: runs can only be changed from the dashboard's own pages (allow other origins with allowedOrigins)`,
      );
    }
    await next();
  };
}

/**
 * Without a token, answers only requests addressed to a loopback name (or to a host in `allowedOrigins`),
 * so a web page cannot reach the dashboard by pointing its own domain at 127.0.0.1 (DNS rebinding).
 * @example
 * app.use("*", loopbackHostOnly({ allowedOrigins: [] }));
 */
export function loopbackHostOnly(options: { allowedOrigins: readonly string[] }): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins.map((o) => hostOf(o)).filter((h) => h !== undefined));
  return async (c, next) => {
    const host = new URL(c.req.url).host.toLowerCase();
    if (!isLoopback(host) && !allowed.has(host)) {
      return deny(
        c,
        403,
        "forbidden_host",
        `this dashboard has no token, so it only answers requests for localhost or 127.0.0.1, not ${host}; set a token to serve it under other names`,
      );
    }
    await next();
  };
}
