import { createTestEnv } from "@durable/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetServices, services } from "./services.js";
import { type Order, orderFulfilment } from "./workflows.js";

const order: Order = { orderId: "o-1", sku: "mug", quantity: 2, amountCents: 1200, cardToken: "tok_visa" };

describe("order fulfilment", () => {
  const env = createTestEnv({ workflows: [orderFulfilment] });
  beforeEach(() => resetServices());
  afterEach(() => env.idle());

  it("reserves, charges once, waits three days and ships", async () => {
    const started = env.clock.now();
    const output = await env.run(orderFulfilment, order);
    expect(output).toEqual({ status: "shipped", chargeId: "ch_1", trackingNumber: "TRACK-o-1" });
    expect(env.clock.now() - started).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(services.charges.size).toBe(1);
    expect(services.shipments).toEqual(["o-1"]);
    expect(services.reservations.get("res-o-1")?.released).toBe(false);
  });

  it("passes the charge step's idempotency key to the payment provider", async () => {
    const run = await env.start(orderFulfilment, { ...order, orderId: "o-2" });
    await run.result();
    const [key] = [...services.charges.keys()];
    expect(key).toContain(run.id);
  });

  it("releases the stock and ships nothing when the card is declined", async () => {
    const output = await env.run(orderFulfilment, { ...order, orderId: "o-3", cardToken: "tok_declined" });
    expect(output).toEqual({ status: "payment-failed", reason: "card declined" });
    expect(services.reservations.get("res-o-3")?.released).toBe(true);
    expect(services.shipments).toEqual([]);
  });

  it("journals the compensation after the failed charge", async () => {
    const run = await env.start(orderFulfilment, { ...order, orderId: "o-4", cardToken: "tok_declined" });
    await run.result();
    const journal = await env.journal(run.id);
    expect(journal.map((e) => `${e.name}:${e.outcome}`)).toEqual([
      "reserve-stock:ok",
      "charge:error",
      "release-stock:ok",
    ]);
  });
});
