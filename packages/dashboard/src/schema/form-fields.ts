import type { JsonSchema } from "./to-json-schema.js";

/** How a form field turns its text into a JSON value before it is sent. */
export type FieldType = "string" | "number" | "integer" | "boolean" | "enum" | "json";

/** One field of a form built from an object schema. */
export interface FormField {
  name: string;
  type: FieldType;
  required: boolean;
  /** Choices of an `enum` (strings, numbers or booleans, as JSON). */
  choices?: readonly unknown[];
  description?: string;
  /** The schema's default, as JSON text (a placeholder, never sent for the user). */
  defaultText?: string;
  /** Extra hints for text inputs. */
  format?: string;
  minimum?: number;
  maximum?: number;
}

/** A form layout: one field per property of a simple object schema, else one JSON editor. */
export type FormLayout = { kind: "fields"; fields: FormField[] } | { kind: "json" };

function asObject(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

function scalarEnum(prop: JsonSchema): unknown[] | undefined {
  if (Array.isArray(prop.enum) && prop.enum.every((v) => ["string", "number", "boolean"].includes(typeof v)))
    return prop.enum;
  if ("const" in prop && ["string", "number", "boolean"].includes(typeof prop.const)) return [prop.const];
  return undefined;
}

function fieldType(prop: JsonSchema): { type: FieldType; choices?: unknown[] } {
  const choices = scalarEnum(prop);
  if (choices) return { type: "enum", choices };
  if (prop.type === "string") return { type: "string" };
  if (prop.type === "number") return { type: "number" };
  if (prop.type === "integer") return { type: "integer" };
  if (prop.type === "boolean") return { type: "boolean" };
  return { type: "json" };
}

function fieldOf(name: string, prop: JsonSchema, required: boolean): FormField {
  const { type, choices } = fieldType(prop);
  const field: FormField = { name, type, required };
  if (choices) field.choices = choices;
  if (typeof prop.description === "string") field.description = prop.description;
  if (prop.default !== undefined) field.defaultText = JSON.stringify(prop.default);
  if (typeof prop.format === "string") field.format = prop.format;
  // zod writes the safe-integer bounds on every int(); they say nothing to a person filling a form.
  if (typeof prop.minimum === "number" && prop.minimum > Number.MIN_SAFE_INTEGER)
    field.minimum = prop.minimum;
  if (typeof prop.maximum === "number" && prop.maximum < Number.MAX_SAFE_INTEGER)
    field.maximum = prop.maximum;
  return field;
}

/**
 * Lays out a form for a JSON Schema: an object with named properties (and no other keys allowed by
 * pattern) gets one field per property — text, number, a choice for enums and booleans, a small JSON
 * editor for nested values; anything else (no schema, an array, a union, a record) gets one JSON editor.
 * @example
 * formLayout({ type: "object", properties: { userId: { type: "string" } }, required: ["userId"] });
 * // { kind: "fields", fields: [{ name: "userId", type: "string", required: true }] }
 */
export function formLayout(schema: JsonSchema | undefined): FormLayout {
  const properties = asObject(schema?.properties);
  if (schema?.type !== "object" || !properties || Object.keys(properties).length === 0) {
    return { kind: "json" };
  }
  if (schema.patternProperties !== undefined || asObject(schema.additionalProperties))
    return { kind: "json" };
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const fields = Object.entries(properties).map(([name, prop]) =>
    fieldOf(name, asObject(prop) ?? {}, required.has(name)),
  );
  return { kind: "fields", fields };
}
