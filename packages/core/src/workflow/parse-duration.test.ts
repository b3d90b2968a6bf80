import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, ValidationError } from "../index.js";

describe("parseDuration", () => {
  it.each([
    ["90d", 90 * 86_400_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    ["250ms", 250],
    ["0s", 0],
    ["2w", 14 * 86_400_000],
    [1500, 1500],
    [0, 0],
  ])("reads %s", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["90 days", "-1h", "1y", "", "h", "1h 30m", " 1h", "1.h", "abc"])(
    "refuses %j with a ValidationError",
    (input) => {
      expect(() => parseDuration(input, "ctx.sleep duration")).toThrow(ValidationError);
      expect(() => parseDuration(input, "ctx.sleep duration")).toThrow(
        /ctx\.sleep duration: .* is not a duration/,
      );
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses the number %s", (input) => {
    expect(() => parseDuration(input)).toThrow(ValidationError);
  });

  it("round-trips every whole number of milliseconds through formatDuration", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 * 365 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});
