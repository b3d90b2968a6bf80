import { replayProperty } from "@durable/testing";
import fc from "fast-check";
import { it } from "vitest";
import { dripCampaign } from "./workflows.js";

it("resumes a drip campaign after a crash at any journal entry, through 90 days and daily checks", async () => {
  await replayProperty(dripCampaign, {
    input: fc.record({
      userId: fc.stringMatching(/^u-[a-z0-9]{1,6}$/),
      email: fc.constant("ann@example.com"),
    }),
    steps: { "still-active": fc.boolean(), upgraded: fc.boolean() },
  });
  // A hundred generated runs, each crashed at every journal entry: seconds of work, past vitest's 5 s default
  // on a busy machine.
}, 60_000);
