import { describe, expect, it } from "vitest";
import { formatSpan, formatTime } from "./format-time.js";

describe("formatSpan", () => {
  it("writes spans short: milliseconds, seconds with decimals, then the largest two units", () => {
    expect(formatSpan(0)).toBe("0s");
    expect(formatSpan(-5)).toBe("0s");
    expect(formatSpan(143)).toBe("143ms");
    expect(formatSpan(1_534)).toBe("1.53s");
    expect(formatSpan(12_340)).toBe("12.3s");
    expect(formatSpan(125_000)).toBe("2m5s");
    expect(formatSpan(3_600_000)).toBe("1h");
    expect(formatSpan(3 * 86_400_000 + 62)).toBe("3d");
    expect(formatSpan(90 * 86_400_000 + 4 * 3_600_000 + 5_250)).toBe("90d4h");
  });

  it("never writes 60 of a smaller unit", () => {
    expect(formatSpan(2 * 3_600_000 - 1_000)).toBe("1h59m");
    expect(formatSpan(119_999)).toBe("1m59s");
  });
});

describe("formatTime", () => {
  it("writes a time in UTC to the second", () => {
    expect(formatTime(new Date(Date.UTC(2030, 0, 1, 9, 30, 5, 999)))).toBe("2030-01-01 09:30:05");
  });
});
