import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { deny } from "./deny.js";

/**
 * The cookie that `/?token=<token>` sets (HttpOnly, SameSite=Strict).
 * @example
 * await fetch(url, { headers: { cookie: `${TOKEN_COOKIE}=${token}` } });
 */
export const TOKEN_COOKIE = "durable_dashboard_token";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Compares a presented token with the expected one in constant time (both hashed first, so neither
 * length nor content leaks through timing).
 * @example
 * tokenMatches("s3cret", "s3cret"); // true
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

function bearer(c: Context): string | undefined {
  const header = c.req.header("authorization");
  const match = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1];
}

/**
 * Requires the token on every request: `Authorization: Bearer <token>`, or the HttpOnly, SameSite=Strict
 * cookie that opening any page with `?token=<token>` sets (the page then redirects to itself without the
 * token, so it stays out of history and logs). Anything else is a 401.
 * @example
 * app.use("*", tokenAuth({ token: "s3cret", cookiePath: "/" }));
 */
export function tokenAuth(options: { token: string; cookiePath: string }): MiddlewareHandler {
  const { token, cookiePath } = options;
  return async (c, next) => {
    if (tokenMatches(bearer(c), token) || tokenMatches(getCookie(c, TOKEN_COOKIE), token)) {
      await next();
      return;
    }
    const url = new URL(c.req.url);
    const offered = url.searchParams.get("token");
    if (c.req.method === "GET" && offered !== null && tokenMatches(offered, token)) {
      setCookie(c, TOKEN_COOKIE, token, {
        httpOnly: true,
        sameSite: "Strict",
        path: cookiePath,
        secure: url.protocol === "https:",
      });
      url.searchParams.delete("token");
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    c.header("WWW-Authenticate", 'Bearer realm="durable dashboard"');
    const why =
      offered !== null || bearer(c) !== undefined || getCookie(c, TOKEN_COOKIE) !== undefined
        ? "the token given is wrong"
        : "this dashboard requires a token";
    return deny(
      c,
      401,
      "unauthorized",
      `${why}: open ${cookiePath}?token=<token> once in this browser, or send "Authorization: Bearer <token>"`,
    );
  };
}
