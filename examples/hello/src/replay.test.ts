import { replayProperty } from "@durable/testing";
import fc from "fast-check";
import { it } from "vitest";
import { hello } from "./workflows.js";

it("resumes hello after a crash at any journal entry with the same greeting and decision", async () => {
  await replayProperty(hello, {
    input: fc.record({ who: fc.string({ minLength: 1, maxLength: 12 }) }),
    steps: { lucky: fc.boolean() },
  });
});
