import { describe, expect, it } from "vitest";
import { devRunIds } from "./dev-runs.js";

describe("the ids of dev.runs", () => {
  it("are stable: dev:<workflow>, numbered when a workflow is listed twice, or the run's own id", () => {
    expect(
      devRunIds([
        { workflow: "hello" },
        { workflow: "approval" },
        { workflow: "approval" },
        { workflow: "order", id: "order:1" },
      ]),
    ).toEqual(["dev:hello", "dev:approval:1", "dev:approval:2", "order:1"]);
  });
});
