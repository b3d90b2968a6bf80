import type { Activation } from "../activation.js";
import { ValidationError } from "../errors.js";
import { encode } from "../serialize.js";

/**
 * `ctx.transaction`: `fn` runs in the store's transaction at the next quiescent point, and its journal row
 * commits with it.
 * @example
 * const id = await transaction(activation, "insert-order", (trx) => trx.insertInto("orders").execute());
 */
export function transaction<T, Trx>(
  activation: Activation,
  name: string,
  fn: (trx: Trx) => Promise<T>,
): Promise<never> {
  if (!activation.host.transaction) {
    return Promise.reject(
      new ValidationError(
        `ctx.transaction("${name}") needs postgresStore with the app's tables in the same database; this store cannot commit a journal row with your writes`,
      ),
    );
  }
  const { promise, pending, replayed } = activation.issue("transaction", name);
  if (replayed) return promise;
  pending.start = () =>
    activation.complete(
      {
        entry: {
          kind: "transaction",
          seq: pending.seq,
          name,
          outcome: "ok",
          result: encode(undefined, "transaction"),
          attempts: 1,
          startedAt: new Date(activation.lastTime),
        },
        transaction: fn as (trx: unknown) => Promise<unknown>,
      },
      pending,
    );
  return promise;
}
