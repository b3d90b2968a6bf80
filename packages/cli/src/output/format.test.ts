import { describe, expect, it } from "vitest";
import { truncateWords } from "./format.js";
import { describeWaits } from "./run-waits.js";

describe("truncateWords", () => {
  it("cuts at the last word boundary that fits, with an ellipsis, never inside a word", () => {
    expect(truncateWords("the carrier has no trucks today", 20)).toBe("the carrier has no…");
    expect(truncateWords("short", 20)).toBe("short");
    expect(truncateWords("a-very-long-single-word-without-spaces", 10)).toBe("a-very-lo…");
    expect(truncateWords("step failed: the card, was declined", 24)).toBe("step failed: the card…");
  });

  it("keeps every result within the limit and a prefix of the words", () => {
    const text = "StepFailedError: step charge (seq 0) failed after 2 attempts: card declined";
    for (let max = 5; max <= text.length; max += 1) {
      const cut = truncateWords(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      const kept = cut.replace(/…$/, "");
      expect(text.startsWith(kept)).toBe(true);
      if (cut.endsWith("…") && kept.includes(" ")) expect(text.charAt(kept.length)).toMatch(/[\s,;:.-]/);
    }
  });
});

describe("describeWaits", () => {
  const now = Date.UTC(2030, 0, 1);
  const at = new Date(now + 60_000);
  it("says what a run waits for", () => {
    expect(describeWaits({ until: at, events: [], children: [] }, "suspended", now)).toBe(
      "sleep until 2030-01-01 00:01:00.000Z",
    );
    expect(describeWaits({ until: at, events: ["approved"], children: [] }, "suspended", now)).toBe(
      "event approved, or until 2030-01-01 00:01:00.000Z",
    );
    expect(describeWaits({ events: [], children: ["c1", "c2"] }, "suspended", now)).toBe("children c1, c2");
    expect(describeWaits({ events: [], children: [], heldBy: "concurrency:emails" }, "pending", now)).toBe(
      "held by concurrency:emails",
    );
    expect(describeWaits({ until: at, events: [], children: [] }, "pending", now)).toBe(
      "start at 2030-01-01 00:01:00.000Z",
    );
    expect(describeWaits({ until: new Date(now - 1), events: [], children: [] }, "pending", now)).toMatch(
      /^due since .*: a worker to claim it$/,
    );
  });
});
