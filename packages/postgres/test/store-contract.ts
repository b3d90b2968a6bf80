import type { Store } from "@durable/core";
import { afterEach, beforeEach, describe } from "vitest";
import { claimsContract } from "./contract/claims-contract.js";
import { controlContract } from "./contract/control-contract.js";
import { eventsContract } from "./contract/events-contract.js";
import { finishContract } from "./contract/finish-contract.js";
import { flowControlContract } from "./contract/flow-control-contract.js";
import { runsContract } from "./contract/runs-contract.js";

/** Makes a fresh, empty store for one test; the suite closes it after the test. */
export type StoreFactory = () => Promise<Store>;

/**
 * The one contract every `Store` meets: memoryStore, pgliteStore and postgresStore run the same tests.
 * Time is the store's own clock (real time), so waits are short and real.
 * @example
 * describeStoreContract("memory", async () => memoryStore());
 */
export function describeStoreContract(name: string, make: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    const current = (): Store => {
      if (!store) throw new Error("no store");
      return store;
    };
    describe("runs", () => runsContract(current));
    describe("claims and the journal", () => claimsContract(current));
    describe("finishing runs", () => finishContract(current));
    describe("cancel, retry and wake-ups", () => controlContract(current));
    describe("events and notifications", () => eventsContract(current));
    describe("flow control", () => flowControlContract(current));
  });
}
