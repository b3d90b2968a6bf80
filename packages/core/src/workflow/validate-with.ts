import { ValidationError, type ValidationIssue } from "./errors.js";

/** The part of a zod schema durable uses. */
export interface SafeParser<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly ZodLikeIssue[] } };
}

interface ZodLikeIssue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * Validates `value` with a zod schema, or throws a `ValidationError` naming each bad field under `what`.
 * @example
 * validateWith(z.object({ userId: z.string() }), { userId: 7 }, "input"); // ValidationError: input.userId: ...
 */
export function validateWith<T>(schema: unknown, value: unknown, what: string): T {
  const parsed = (schema as SafeParser<T>).safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: ValidationIssue[] = parsed.error.issues.map((issue) => ({
    path: [what, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  const detail = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  throw new ValidationError(`${what} is invalid: ${detail}`, issues);
}
