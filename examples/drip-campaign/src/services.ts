/**
 * A mailer and a user directory kept in memory, so the example runs anywhere. The mailer sends once per
 * idempotency key, as a real e-mail API would.
 */
export interface World {
  sent: { to: string; template: string }[];
  sentKeys: Set<string>;
  /** Users who logged in lately. */
  active: Set<string>;
  /** Users who bought the paid plan. */
  upgraded: Set<string>;
}

/** The example's in-memory world. Tests reset it and change it. */
export const world: World = { sent: [], sentKeys: new Set(), active: new Set(), upgraded: new Set() };

/**
 * Clears every record.
 * @example
 * resetWorld();
 */
export function resetWorld(): void {
  world.sent.length = 0;
  world.sentKeys.clear();
  world.active.clear();
  world.upgraded.clear();
}

/**
 * Sends a templated e-mail once per idempotency key.
 * @example
 * sendMail({ to: "ann@example.com", template: "welcome", idempotencyKey: s.idempotencyKey });
 */
export function sendMail(mail: { to: string; template: string; idempotencyKey: string }): void {
  if (world.sentKeys.has(mail.idempotencyKey)) return;
  world.sentKeys.add(mail.idempotencyKey);
  world.sent.push({ to: mail.to, template: mail.template });
}

/**
 * Whether the user logged in lately.
 * @example
 * isActive("u1"); // true
 */
export function isActive(userId: string): boolean {
  return world.active.has(userId);
}

/**
 * Whether the user has bought the paid plan.
 * @example
 * hasUpgraded("u1"); // false
 */
export function hasUpgraded(userId: string): boolean {
  return world.upgraded.has(userId);
}
