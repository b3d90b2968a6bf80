import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formLayout } from "./form-fields.js";
import { toJsonSchema } from "./to-json-schema.js";

describe("toJsonSchema", () => {
  it("asks a zod schema for the JSON Schema of its input", () => {
    const schema = toJsonSchema(
      z.object({ userId: z.string().min(1).describe("who"), plan: z.enum(["free", "pro"]).default("free") }),
    );
    expect(schema).toMatchObject({
      type: "object",
      properties: {
        userId: { type: "string", minLength: 1, description: "who" },
        plan: { type: "string", enum: ["free", "pro"], default: "free" },
      },
      required: ["userId"],
    });
  });

  it("writes a type JSON cannot express as any value, and says nothing for what is not a schema", () => {
    expect(toJsonSchema(z.object({ at: z.date() }))).toMatchObject({ properties: { at: {} } });
    expect(toJsonSchema(undefined)).toBeUndefined();
    expect(toJsonSchema({ parse: () => 1 })).toBeUndefined();
  });
});

describe("formLayout", () => {
  it("gives an object schema one field per property, typed, with what the schema says of it", () => {
    const layout = formLayout(
      toJsonSchema(
        z.object({
          name: z.string().describe("the customer's name"),
          seats: z.number().int().min(1).max(50),
          ratio: z.number().optional(),
          plan: z.enum(["free", "pro"]).default("pro"),
          active: z.boolean(),
          address: z.object({ city: z.string() }),
        }),
      ),
    );
    expect(layout).toEqual({
      kind: "fields",
      fields: [
        { name: "name", type: "string", required: true, description: "the customer's name" },
        { name: "seats", type: "integer", required: true, minimum: 1, maximum: 50 },
        { name: "ratio", type: "number", required: false },
        { name: "plan", type: "enum", required: false, choices: ["free", "pro"], defaultText: '"pro"' },
        { name: "active", type: "boolean", required: true },
        { name: "address", type: "json", required: true },
      ],
    });
  });

  it("falls back to one JSON editor for anything but a simple object", () => {
    for (const schema of [
      z.string(),
      z.array(z.string()),
      z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]),
      z.record(z.string(), z.number()),
      z.object({}),
    ]) {
      expect(formLayout(toJsonSchema(schema))).toEqual({ kind: "json" });
    }
    expect(formLayout(undefined)).toEqual({ kind: "json" });
  });
});
