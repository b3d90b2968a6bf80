import { createTestEnv } from "@durable/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ledger, resetLedger } from "./services.js";
import { approval } from "./workflows.js";

const DAY = 86_400_000;

describe("approval", () => {
  const env = createTestEnv({ workflows: [approval] });
  beforeEach(() => resetLedger());
  afterEach(() => env.idle());

  it("pays a small request at once without asking anyone", async () => {
    const output = await env.run(approval, { requestId: "r-1", requester: "bob", amountCents: 1_200 });
    expect(output).toEqual({ status: "auto-approved" });
    expect(ledger.paid).toEqual([{ requestId: "r-1", amountCents: 1_200 }]);
    expect(ledger.notified).toEqual([]);
  });

  it("waits for the approved event and pays once it arrives", async () => {
    const run = await env.start(approval, { requestId: "r-2", requester: "bob", amountCents: 90_000 });
    await env.idle();
    expect(ledger.notified).toEqual(["r-2"]);
    expect(ledger.paid).toEqual([]);
    env.clock.advance("1d");
    await env.sendEvent(run.id, "approved", { by: "ann", approve: true });
    expect(await run.result()).toEqual({ status: "approved", by: "ann" });
    expect(ledger.paid).toEqual([{ requestId: "r-2", amountCents: 90_000 }]);
  });

  it("pays nothing when the approver rejects the request", async () => {
    const run = await env.start(approval, { requestId: "r-3", requester: "bob", amountCents: 90_000 });
    await env.sendEvent(run.id, "approved", { by: "ann", approve: false });
    expect(await run.result()).toEqual({ status: "rejected", by: "ann" });
    expect(ledger.paid).toEqual([]);
  });

  it("expires after three days without an answer", async () => {
    const started = env.clock.now();
    const output = await env.run(approval, { requestId: "r-4", requester: "bob", amountCents: 90_000 });
    expect(output).toEqual({ status: "expired" });
    expect(env.clock.now() - started).toBeGreaterThanOrEqual(3 * DAY);
  });

  it("refuses an approved event whose payload does not match its schema", async () => {
    const run = await env.start(approval, { requestId: "r-5", requester: "bob", amountCents: 90_000 });
    await expect(env.sendEvent(run.id, "approved", { by: "ann" })).rejects.toThrow(/approve/);
  });
});
