import { replayProperty } from "@durable/testing";
import fc from "fast-check";
import { it } from "vitest";
import { orderFulfilment } from "./workflows.js";

it("resumes an order after a crash at any journal entry: charged once, shipped or compensated the same way", async () => {
  await replayProperty(orderFulfilment, {
    input: fc.record({
      orderId: fc.stringMatching(/^o-[a-z0-9]{1,6}$/),
      sku: fc.constantFrom("mug", "shirt", "poster"),
      quantity: fc.integer({ min: 1, max: 5 }),
      amountCents: fc.integer({ min: 1, max: 100_000 }),
      cardToken: fc.constantFrom("tok_visa", "tok_declined"),
    }),
  });
});
