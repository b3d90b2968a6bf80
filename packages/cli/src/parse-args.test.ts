import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parseCount, parseDurationArg, parseJson, parseStartTime, parseTag } from "./parse-args.js";

describe("command-line argument parsers", () => {
  it("parses JSON and refuses broken JSON as an invalid argument", () => {
    expect(parseJson('{"who":"ann"}')).toEqual({ who: "ann" });
    expect(() => parseJson("{bad")).toThrow(InvalidArgumentError);
  });

  it("collects repeated k=v tags, keeping '=' inside values", () => {
    expect(parseTag("b=c=d", parseTag("a=1"))).toEqual({ a: "1", b: "c=d" });
    expect(() => parseTag("novalue")).toThrow(/key=value/);
    expect(() => parseTag("=x")).toThrow(/key=value/);
  });

  it("accepts whole numbers within bounds only", () => {
    expect(parseCount("20")).toBe(20);
    for (const bad of ["0", "-1", "1.5", "ten", "1001"]) expect(() => parseCount(bad, 1, 1000)).toThrow();
  });

  it("reads durations and plain milliseconds", () => {
    expect(parseDurationArg("30s")).toBe(30_000);
    expect(parseDurationArg("250")).toBe(250);
    expect(() => parseDurationArg("soon")).toThrow(InvalidArgumentError);
  });

  it("reads --at as a delay or an ISO time", () => {
    expect(parseStartTime("10m")).toEqual({ delay: 600_000 });
    expect(parseStartTime("2030-01-01T09:00:00Z")).toEqual({ startAt: new Date("2030-01-01T09:00:00Z") });
    expect(() => parseStartTime("whenever")).toThrow(/ISO time/);
  });
});
