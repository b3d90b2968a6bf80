/**
 * Stand-ins for an inventory, a payment provider and a carrier, kept in memory so the example runs
 * anywhere. Each charge is keyed by the step's idempotency key, as a real provider's would be: a retried
 * or re-run step never charges twice.
 */
export interface Services {
  reservations: Map<string, { sku: string; quantity: number; released: boolean }>;
  charges: Map<string, { amountCents: number; chargeId: string }>;
  shipments: string[];
}

/** The example's in-memory world. Tests reset it. */
export const services: Services = { reservations: new Map(), charges: new Map(), shipments: [] };

/**
 * Clears every record.
 * @example
 * resetServices();
 */
export function resetServices(): void {
  services.reservations.clear();
  services.charges.clear();
  services.shipments.length = 0;
}

/**
 * Holds stock for an order; returns the reservation id.
 * @example
 * reserveStock("order-1", "sku-1", 2); // "res-order-1"
 */
export function reserveStock(orderId: string, sku: string, quantity: number): string {
  const id = `res-${orderId}`;
  services.reservations.set(id, { sku, quantity, released: false });
  return id;
}

/**
 * Gives reserved stock back.
 * @example
 * releaseStock("res-order-1");
 */
export function releaseStock(reservationId: string): void {
  const reservation = services.reservations.get(reservationId);
  if (reservation) reservation.released = true;
}

/** A declined card, as a payment provider reports it. */
export class PaymentDeclinedError extends Error {
  override readonly name = "PaymentDeclinedError";
}

/**
 * Charges a card once per idempotency key; the token `tok_declined` is declined.
 * @example
 * charge({ cardToken: "tok_visa", amountCents: 1200, idempotencyKey: s.idempotencyKey }); // "ch_..."
 */
export function charge(request: { cardToken: string; amountCents: number; idempotencyKey: string }): string {
  if (request.cardToken === "tok_declined") throw new PaymentDeclinedError("card declined");
  const existing = services.charges.get(request.idempotencyKey);
  if (existing) return existing.chargeId;
  const chargeId = `ch_${services.charges.size + 1}`;
  services.charges.set(request.idempotencyKey, { amountCents: request.amountCents, chargeId });
  return chargeId;
}

/**
 * Hands the parcel to the carrier; returns a tracking number.
 * @example
 * ship("order-1"); // "TRACK-order-1"
 */
export function ship(orderId: string): string {
  services.shipments.push(orderId);
  return `TRACK-${orderId}`;
}
