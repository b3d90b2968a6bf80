import { DurableError, ValidationError } from "@durable/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  validation: 400,
  unserializable: 400,
  payload_too_large: 413,
  run_not_found: 404,
  workflow_not_found: 404,
  timeout: 504,
};

/**
 * An error as the API's JSON answer: `{ error: { code, name, message, issues? } }`, with 400 for a
 * `ValidationError`, 404 for an unknown run, 413 for a payload over the limit, 409 for an action the
 * run's state refuses, and 500 (message kept, stack not sent) for anything else.
 * @example
 * try { await client.retry(id); } catch (error) { return errorResponse(c, error); }
 */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof DurableError) {
    const body: Record<string, unknown> = { code: error.code, name: error.name, message: error.message };
    if (error instanceof ValidationError && error.issues.length > 0) body.issues = error.issues;
    return c.json({ error: body }, STATUS_BY_CODE[error.code] ?? 409);
  }
  const message = error instanceof Error ? error.message : String(error);
  return c.json({ error: { code: "internal", name: "Error", message } }, 500);
}

/**
 * A request the API cannot take, as a `ValidationError` naming the field.
 * @example
 * throw badRequest("fromSeq", "must be a whole number of at least 0");
 */
export function badRequest(path: string, message: string): ValidationError {
  return new ValidationError(`${path} ${message}`, [{ path, message }]);
}
