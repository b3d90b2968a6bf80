import { encode } from "@durable/core";
import { describe, expect, it } from "vitest";
import { formatValue, formatValueShort, safeDecode, toJsonValue } from "./format-value.js";

describe("toJsonValue", () => {
  it("turns what superjson keeps into plain JSON data", () => {
    const value = {
      at: new Date(Date.UTC(2030, 0, 1)),
      big: 12n,
      map: new Map([["a", 1]]),
      pairs: new Map([[1, "one"]]),
      set: new Set(["x"]),
      error: new TypeError("boom"),
      gone: undefined,
      list: [undefined, Number.NaN],
    };
    expect(toJsonValue(value)).toEqual({
      at: "2030-01-01T00:00:00.000Z",
      big: "12n",
      map: { a: 1 },
      pairs: [[1, "one"]],
      set: ["x"],
      error: { name: "TypeError", message: "boom" },
      list: [null, "NaN"],
    });
  });

  it("does not loop on a value that refers to itself", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(toJsonValue(a)).toEqual({ name: "a", self: "[circular]" });
  });
});

describe("formatValue", () => {
  it("writes pretty JSON, undefined as the word, and cuts short forms with an ellipsis", () => {
    expect(formatValue({ ok: true })).toBe('{\n  "ok": true\n}');
    expect(formatValue(undefined)).toBe("undefined");
    expect(formatValueShort("a".repeat(100), 10)).toBe('"aaaaaaaa…');
  });
});

describe("safeDecode", () => {
  it("decodes a stored value, and reports a format it cannot read instead of throwing", () => {
    expect(safeDecode(encode(new Set([1]), "v"))).toEqual({ ok: true, value: new Set([1]) });
    const unknown = safeDecode({ f: "sj9", json: 1 });
    expect(unknown.ok).toBe(false);
  });
});
