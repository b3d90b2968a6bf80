import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decode, encode, PayloadTooLargeError, registerClass, SerializationError } from "../index.js";

class Money {
  constructor(public cents: number) {}
}
registerClass(Money, "Money");

describe("encode and decode", () => {
  it("round-trips Dates, Maps, Sets, BigInt, undefined, RegExp and errors", () => {
    const error = Object.assign(new TypeError("boom"), { code: "E_BOOM" });
    const value = {
      at: new Date("2030-01-01T00:00:00Z"),
      map: new Map([["a", 1]]),
      set: new Set([1, 2]),
      big: 10n ** 30n,
      missing: undefined,
      re: /x+/gi,
      error,
      nested: [{ deep: new Date(0) }],
    };
    const back = decode<typeof value>(encode(value, "value"));
    expect(back).toEqual(value);
    expect(back.error).toBeInstanceOf(Error);
    expect(back.error.name).toBe("TypeError");
    expect(back.error.stack).toBe(error.stack);
    expect((back.error as unknown as { code: string }).code).toBe("E_BOOM");
  });

  it("tags every stored value with its format", () => {
    expect(encode(1, "value").f).toBe("sj1");
  });

  it("keeps registered class instances as instances", () => {
    const back = decode<Money>(encode(new Money(120), "value"));
    expect(back).toBeInstanceOf(Money);
    expect(back.cents).toBe(120);
  });

  it.each([
    ["an Invalid Date", { when: new Date(Number.NaN) }, "$.when is an Invalid Date"],
    ["a \\u0000 in a string", { text: "a\u0000b" }, "$.text is a string containing \\u0000"],
    ["an unpaired surrogate", ["\ud800"], "$[0] is a string with an unpaired UTF-16 surrogate"],
    ["an unregistered class instance", { v: new (class Point {})() }, "$.v is an instance of class Point"],
    ["a function", { f: () => 1 }, "$.f is a function"],
    ["a __proto__ key", JSON.parse('{"__proto__": {"polluted": true}}'), '"__proto__"'],
    ["a constructor key", { constructor: { prototype: { polluted: true } } }, '"constructor"'],
  ])("refuses %s, naming where", (_label, value, message) => {
    expect(() => encode(value, 'run r1 step "load" (seq 2) result')).toThrow(SerializationError);
    expect(() => encode(value, 'run r1 step "load" (seq 2) result')).toThrow(message);
    expect(() => encode(value, 'run r1 step "load" (seq 2) result')).toThrow(
      /run r1 step "load" \(seq 2\) result/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a payload over the limit, measured on serialised bytes", () => {
    expect(() => encode("é".repeat(600), "input", 1000)).toThrow(PayloadTooLargeError);
    expect(() => encode("e".repeat(600), "input", 1000)).not.toThrow();
  });

  it("round-trips any JSON-like value, or refuses it", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.date({ noInvalidDate: true }), fc.bigInt(), (json, date, big) => {
        const value = { json, date, big, set: new Set([date.getTime()]) };
        let stored: ReturnType<typeof encode>;
        try {
          stored = encode(value, "value");
        } catch (error) {
          expect(error).toBeInstanceOf(SerializationError);
          return;
        }
        expect(decode(JSON.parse(JSON.stringify(stored)))).toEqual(value);
      }),
    );
  });

  it("never lets a stored string with \\u0000 through", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(() => encode({ s: `${a}\u0000${b}` }, "value")).toThrow(SerializationError);
      }),
    );
  });
});
