import { createTestEnv } from "@durable/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetWorld, world } from "./services.js";
import { dripCampaign } from "./workflows.js";

const DAY = 86_400_000;

describe("drip campaign", () => {
  const env = createTestEnv({ workflows: [dripCampaign] });
  beforeEach(() => resetWorld());
  afterEach(() => env.idle());

  it("sends a win-back mail after ninety days to a user who went quiet", async () => {
    const started = env.clock.now();
    const output = await env.run(dripCampaign, { userId: "u1", email: "ann@example.com" });
    expect(output).toEqual({ outcome: "win-back" });
    expect(world.sent.map((m) => m.template)).toEqual(["welcome", "win-back"]);
    expect(env.clock.now() - started).toBeGreaterThanOrEqual(90 * DAY);
  });

  it("checks an active user daily and thanks them once they upgrade", async () => {
    world.active.add("u2");
    const run = await env.start(dripCampaign, { userId: "u2", email: "bob@example.com" });
    await env.idle();
    for (let day = 0; day < 93; day += 1) {
      env.clock.advance("1d");
      await env.idle();
    }
    expect(world.sent.map((m) => m.template)).toEqual(["welcome"]);
    world.upgraded.add("u2");
    const upgradedAt = env.clock.now();
    expect(await run.result()).toEqual({ outcome: "upgraded" });
    expect(world.sent.map((m) => m.template)).toEqual(["welcome", "thank-you"]);
    expect(env.clock.now() - upgradedAt).toBeLessThanOrEqual(DAY);
    const checks = (await env.journal(run.id)).filter((e) => e.kind === "decide" && e.name === "upgraded");
    expect(checks.length).toBeGreaterThanOrEqual(3);
  });

  it("sends an upgrade offer when an active user has not upgraded within thirty days", async () => {
    world.active.add("u3");
    const output = await env.run(dripCampaign, { userId: "u3", email: "cy@example.com" });
    expect(output).toEqual({ outcome: "offer-sent" });
    expect(world.sent.map((m) => m.template)).toEqual(["welcome", "upgrade-offer"]);
  });
});
