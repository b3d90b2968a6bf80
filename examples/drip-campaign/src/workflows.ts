import { workflow } from "@durable/core";
import { z } from "zod";
import { hasUpgraded, isActive, sendMail } from "./services.js";

/**
 * A drip campaign: a welcome mail, ninety days of quiet, then a decision on whether the user is still
 * active. Active users are watched daily (`waitUntil` with `every: "1d"`) for up to thirty days until they
 * upgrade; inactive ones get a win-back mail. Each mail passes its step's idempotency key.
 * @example
 * await client.start(dripCampaign, { userId: "u1", email: "ann@example.com" }, { id: "drip:u1" });
 */
export const dripCampaign = workflow(
  { name: "drip-campaign", input: z.object({ userId: z.string().min(1), email: z.email() }) },
  async (ctx, { userId, email }) => {
    const mail = (template: string) =>
      ctx.call(`mail-${template}`, (s) =>
        sendMail({ to: email, template, idempotencyKey: s.idempotencyKey }),
      );
    await mail("welcome");
    await ctx.sleep("90d");
    const active = await ctx.decide("still-active", () => isActive(userId));
    if (!active) {
      await mail("win-back");
      return { outcome: "win-back" as const };
    }
    const upgraded = await ctx.waitUntil("upgraded", () => hasUpgraded(userId), {
      every: "1d",
      timeout: "30d",
    });
    await mail(upgraded ? "thank-you" : "upgrade-offer");
    return { outcome: upgraded ? ("upgraded" as const) : ("offer-sent" as const) };
  },
);
