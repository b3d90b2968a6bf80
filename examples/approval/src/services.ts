/** Payouts and notifications kept in memory, so the example runs anywhere. */
export interface Ledger {
  paid: { requestId: string; amountCents: number }[];
  notified: string[];
  /** Requests up to this amount are approved without asking anyone. */
  autoApproveLimitCents: number;
}

/** The example's in-memory world. Tests reset it. */
export const ledger: Ledger = { paid: [], notified: [], autoApproveLimitCents: 50_000 };

/**
 * Clears every record and restores the policy.
 * @example
 * resetLedger();
 */
export function resetLedger(): void {
  ledger.paid.length = 0;
  ledger.notified.length = 0;
  ledger.autoApproveLimitCents = 50_000;
}

/**
 * Pays a request out.
 * @example
 * payOut("req-1", 1200);
 */
export function payOut(requestId: string, amountCents: number): void {
  ledger.paid.push({ requestId, amountCents });
}

/**
 * Tells the approvers that a request waits for them.
 * @example
 * notifyApprovers("req-1");
 */
export function notifyApprovers(requestId: string): void {
  ledger.notified.push(requestId);
}
