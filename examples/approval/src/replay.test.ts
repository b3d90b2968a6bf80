import { replayProperty } from "@durable/testing";
import fc from "fast-check";
import { it } from "vitest";
import { approval } from "./workflows.js";

it("resumes an approval after a crash at any journal entry, whichever answer arrives", async () => {
  await replayProperty(approval, {
    input: fc.record({
      requestId: fc.stringMatching(/^r-[a-z0-9]{1,6}$/),
      requester: fc.constant("bob"),
      amountCents: fc.integer({ min: 1, max: 200_000 }),
    }),
    events: fc.subarray(
      [
        { name: "approved", payload: { by: "ann", approve: true } },
        { name: "approved", payload: { by: "cid", approve: false } },
      ],
      { minLength: 0 },
    ),
  });
});
