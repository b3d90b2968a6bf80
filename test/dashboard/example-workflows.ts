import { workflow } from "@durable/core";
import { z } from "zod";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Like examples/hello: a call, a short sleep, a decision, and a call on one branch. */
export const onboarding = workflow(
  { name: "onboarding", input: z.object({ userId: z.string(), plan: z.enum(["free", "pro"]) }) },
  async (ctx, { userId, plan }) => {
    const user = await ctx.call("fetch-user", async () => {
      await pause(120);
      return { id: userId, email: `${userId}@example.com`, plan };
    });
    await ctx.call("send-welcome", async () => {
      await pause(60);
      return { sentTo: user.email };
    });
    await ctx.sleep("1500ms");
    const active = await ctx.decide("still-active", async () => user.plan === "pro");
    if (active) await ctx.call("send-survey", async () => pause(80).then(() => "survey sent"));
    return { active };
  },
);

/** Like examples/approval: a decision, a call, then a wait for the `approved` event. */
export const approval = workflow(
  {
    name: "approval",
    input: z.object({ requestId: z.string(), amountCents: z.number().int().positive() }),
    events: { approved: z.object({ by: z.string().min(1), approve: z.boolean() }) },
  },
  async (ctx, { requestId, amountCents }) => {
    const needsApproval = await ctx.decide("needs-approval", async () => amountCents > 50_000);
    if (!needsApproval) return { status: "auto-approved" as const };
    await ctx.call("notify-approvers", async () => pause(40).then(() => `notified about ${requestId}`));
    const decision = await ctx.waitForEvent("approved", { timeout: "3d" });
    if (decision === undefined) return { status: "expired" as const };
    await ctx.call("pay-out", async () => pause(30).then(() => ({ requestId, amountCents })));
    return { status: decision.approve ? ("approved" as const) : ("rejected" as const), by: decision.by };
  },
);

/** Like examples/drip-campaign: mails spaced by long sleeps (the run the test cancels). */
export const dripCampaign = workflow(
  { name: "drip-campaign", input: z.object({ email: z.string() }) },
  async (ctx, { email }) => {
    for (const day of [1, 3, 7]) {
      await ctx.call(`mail-day-${day}`, async () => pause(20).then(() => `mailed ${email}`));
      await ctx.sleep("2d");
    }
    return { mailed: 3 };
  },
);

/** The payment provider's state: cards it declines (a test clears it, then retries the failed run). */
export const bank = { declined: new Set<string>(["0000"]) };

/** Like examples/order-fulfilment: charges the card, then ships in a child run. */
export const shipping = workflow(
  { name: "shipping", input: z.object({ orderId: z.string() }) },
  async (ctx, { orderId }) => {
    const label = await ctx.call("print-label", async () => pause(50).then(() => `label-${orderId}`));
    return { label };
  },
);

/** Charges, then ships in a child run. */
export const orderFulfilment = workflow(
  { name: "order-fulfilment", input: z.object({ orderId: z.string(), card: z.string() }) },
  async (ctx, { orderId, card }) => {
    await ctx.call(
      "charge-card",
      async () => {
        await pause(40);
        if (bank.declined.has(card)) throw new Error(`card ending ${card} was declined`);
        return { charged: true };
      },
      { retry: { maxAttempts: 2, initialInterval: "50ms" } },
    );
    const shipped = await ctx.child(shipping, { orderId });
    return { orderId, label: shipped.label };
  },
);

export const exampleWorkflows = [onboarding, approval, dripCampaign, shipping, orderFulfilment];

/** A promise the test resolves: `exporter`'s step waits on it, so its run stays `running` with a lease. */
export const exportGate = (() => {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open: () => open() };
})();

/** One export at a time (queue `exports`, concurrency 1): a second run is held back while the first runs. */
export const exporter = workflow(
  {
    name: "exporter",
    queue: "exports",
    concurrency: { limit: 1 },
    input: z.object({ table: z.string().min(1), rows: z.number().int().positive().optional() }),
  },
  async (ctx, { table }) => {
    const file = await ctx.call("export-table", async () => {
      await exportGate.promise;
      return `${table}.csv`;
    });
    return { file };
  },
);

export const pageWorkflows = [...exampleWorkflows, exporter];
