import { replayProperty } from "@durable/testing";
import fc from "fast-check";
import { it } from "vitest";
import { welcome } from "./workflows.js";

// Crashes the run after every journal entry, resumes it in a fresh process and checks it ends the same:
// the guard against workflow code that does not replay.
it("resumes welcome after a crash at any journal entry with the same result", async () => {
  await replayProperty(welcome, {
    input: fc.record({ email: fc.constantFrom("ada@example.com", "grace@example.org") }),
    steps: { tips: fc.constantFrom("short", "long") },
  });
});
