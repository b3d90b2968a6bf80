import { createTestEnv } from "@durable/testing";
import { afterEach, describe, expect, it } from "vitest";
import { welcome } from "./workflows.js";

describe("welcome", () => {
  // A memory store and a worker on a virtual clock: the five-second sleep takes no real time.
  const env = createTestEnv({ workflows: [welcome] });
  afterEach(() => env.idle());

  it("creates the account, sleeps five seconds of virtual time and sends the tips it decided on", async () => {
    env.mockStep("tips", () => "short");
    const started = env.clock.now();
    const output = await env.run(welcome, { email: "ada@example.com" });
    expect(output).toEqual({ accountId: "acct-ada", tips: "short" });
    expect(env.clock.now() - started).toBeGreaterThanOrEqual(5_000);
  });

  it("journals each step in order", async () => {
    const run = await env.start(welcome, { email: "grace@example.com" });
    await run.result();
    const journal = await env.journal(run.id);
    expect(journal.map((e) => `${e.kind}:${e.name}`)).toEqual([
      "call:create-account",
      "sleep:sleep",
      "decide:tips",
      "call:send-tips",
    ]);
  });

  it("refuses an input that is not an email", async () => {
    await expect(env.start(welcome, { email: "nope" })).rejects.toThrow(/email/);
  });
});
