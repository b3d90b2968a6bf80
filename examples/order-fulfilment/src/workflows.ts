import { StepFailedError, workflow } from "@durable/core";
import { z } from "zod";
import { charge, releaseStock, reserveStock, ship } from "./services.js";

const order = z.object({
  orderId: z.string().min(1),
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  amountCents: z.number().int().positive(),
  cardToken: z.string().min(1),
});

/** The input of `orderFulfilment`. */
export type Order = z.infer<typeof order>;

/**
 * Reserve stock, charge the card (exactly once, through the step's idempotency key), wait three days for
 * the cooling-off period, ship. When the charge fails for good, the reservation is released: a
 * compensation, run as a journaled step like any other.
 * @example
 * await client.start(orderFulfilment, { orderId: "o-1", sku: "mug", quantity: 1, amountCents: 1200, cardToken: "tok_visa" }, { id: "order:o-1" });
 */
export const orderFulfilment = workflow({ name: "order-fulfilment", input: order }, async (ctx, input) => {
  const reservationId = await ctx.call("reserve-stock", () =>
    reserveStock(input.orderId, input.sku, input.quantity),
  );
  let chargeId: string;
  try {
    chargeId = await ctx.call(
      "charge",
      (s) =>
        charge({
          cardToken: input.cardToken,
          amountCents: input.amountCents,
          idempotencyKey: s.idempotencyKey,
        }),
      { retry: { maxAttempts: 3, initialInterval: "1s", nonRetryable: ["PaymentDeclinedError"] } },
    );
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
    await ctx.call("release-stock", () => releaseStock(reservationId));
    return { status: "payment-failed" as const, reason: error.cause.message };
  }
  await ctx.sleep("3d");
  const trackingNumber = await ctx.call("ship", () => ship(input.orderId));
  return { status: "shipped" as const, chargeId, trackingNumber };
});
