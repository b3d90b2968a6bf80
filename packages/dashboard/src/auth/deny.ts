import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { html } from "../html/escape-html.js";

/**
 * Refuses a request: JSON `{ error: { code, message } }` for the API (and any client that asks for JSON),
 * a short HTML page for a browser.
 * @example
 * return deny(c, 403, "forbidden_origin", "cross-origin requests may not change runs");
 */
export function deny(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  const wantsJson =
    new URL(c.req.url).pathname.includes("/api/") || (c.req.header("accept") ?? "").includes("json");
  if (wantsJson) return c.json({ error: { code, message } }, status);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>durable — ${status}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font: 15px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2430">
<h1 style="font-size: 1.25rem">durable dashboard — ${status}</h1>
<p>${message}</p></body></html>`;
  return c.html(page.value, status);
}
