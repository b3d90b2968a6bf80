import { workflow } from "@durable/core";
import { z } from "zod";
import { ledger, notifyApprovers, payOut } from "./services.js";

const request = z.object({
  requestId: z.string().min(1),
  requester: z.string().min(1),
  amountCents: z.number().int().positive(),
});

/**
 * An expense approval: a **decision** on the amount (small ones are paid at once), otherwise the approvers
 * are notified and the run waits up to three days for an `approved` event —
 * `durable send-event <runId> approved '{"by":"ann","approve":true}'`. The event's payload is checked
 * against the schema declared here before anything is written.
 * @example
 * const run = await client.start(approval, { requestId: "r-1", requester: "bob", amountCents: 90_000 });
 * await client.sendEvent(run.id, "approved", { by: "ann", approve: true });
 */
export const approval = workflow(
  {
    name: "approval",
    input: request,
    events: { approved: z.object({ by: z.string().min(1), approve: z.boolean() }) },
  },
  async (ctx, { requestId, amountCents }) => {
    const needsApproval = await ctx.decide(
      "needs-approval",
      () => amountCents > ledger.autoApproveLimitCents,
    );
    if (!needsApproval) {
      await ctx.call("pay-out", () => payOut(requestId, amountCents));
      return { status: "auto-approved" as const };
    }
    await ctx.call("notify-approvers", () => notifyApprovers(requestId));
    const decision = await ctx.waitForEvent("approved", { timeout: "3d" });
    if (decision === undefined) return { status: "expired" as const };
    if (!decision.approve) return { status: "rejected" as const, by: decision.by };
    await ctx.call("pay-out", () => payOut(requestId, amountCents));
    return { status: "approved" as const, by: decision.by };
  },
);
