/** A JSON Schema document, as plain data. */
export type JsonSchema = Record<string, unknown>;

interface StandardJsonSchema {
  "~standard"?: {
    jsonSchema?: {
      input?: (options: { target: string; libraryOptions?: Record<string, unknown> }) => unknown;
    };
  };
  toJSONSchema?: (params?: Record<string, unknown>) => unknown;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A validation schema's input as JSON Schema (draft 2020-12), or `undefined` when it cannot say.
 * Asks the schema itself (Standard JSON Schema, which zod 4 implements; else its own `toJSONSchema`),
 * so it works with whichever zod copy the user's workflows were built with. Types JSON cannot express
 * (a `Date`, a `bigint`) come out as `{}`: any value.
 * @example
 * toJsonSchema(z.object({ userId: z.string() })); // { type: "object", properties: { userId: { type: "string" } }, ... }
 */
export function toJsonSchema(schema: unknown): JsonSchema | undefined {
  if (!isObject(schema)) return undefined;
  const s = schema as StandardJsonSchema;
  const attempts = [
    () =>
      s["~standard"]?.jsonSchema?.input?.({
        target: "draft-2020-12",
        libraryOptions: { unrepresentable: "any" },
      }),
    () => s.toJSONSchema?.({ io: "input", unrepresentable: "any" }),
  ];
  for (const attempt of attempts) {
    try {
      const result = attempt();
      if (isObject(result)) return result;
    } catch {
      // A schema that cannot be expressed (a transform, a custom check) falls back to the JSON editor.
    }
  }
  return undefined;
}
