import { describe, expect, it } from "vitest";
import { parseRunsQuery } from "./runs-query.js";

describe("parseRunsQuery", () => {
  it("reads every filter", () => {
    const q = parseRunsQuery(
      new URLSearchParams(
        "status=failed&workflow=wf&tag=a=1&tag=b=x=y&after=2030-01-01&before=2030-01-02T10:00&q=ord&limit=200",
      ),
    );
    expect(q).toEqual({
      status: "failed",
      workflow: "wf",
      tags: { a: "1", b: "x=y" },
      after: new Date("2030-01-01T00:00:00Z"),
      before: new Date("2030-01-02T10:00:00Z"),
      q: "ord",
      limit: 200,
      issues: [],
    });
  });

  it("keeps an explicit zone and ignores empty fields", () => {
    const q = parseRunsQuery(new URLSearchParams("after=2030-01-01T10:00:00%2B02:00&workflow=&status=&tag="));
    expect(q.after).toEqual(new Date("2030-01-01T08:00:00Z"));
    expect(q).not.toHaveProperty("workflow");
    expect(q).not.toHaveProperty("status");
    expect(q.tags).toEqual({});
  });

  it("reports what it cannot read", () => {
    const q = parseRunsQuery(new URLSearchParams("status=done&tag=novalue&before=soon&limit=5000"));
    expect(q.issues.map((i) => i.path)).toEqual(["status", "tag", "before", "limit"]);
    expect(q.limit).toBe(50);
  });
});
