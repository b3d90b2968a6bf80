import type { Context } from "hono";
import { badRequest } from "./error-response.js";

/**
 * The request's JSON object body: `{}` when empty; a `ValidationError` when it is not JSON, not an object,
 * or not sent as `application/json` (which a cross-site HTML form cannot send).
 * @example
 * const { reason } = await readJsonBody(c);
 */
export async function readJsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw badRequest("body", `must be sent as application/json, not ${type || "without a content type"}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest("body", `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("body", "must be a JSON object");
  }
  return value as Record<string, unknown>;
}
