import { createTestEnv } from "@durable/testing";
import { afterEach, describe, expect, it } from "vitest";
import { hello } from "./workflows.js";

describe("hello", () => {
  const env = createTestEnv({ workflows: [hello] });
  afterEach(() => env.idle());

  it("greets, sleeps two seconds of virtual time and records its decision", async () => {
    env.mockStep("lucky", () => true);
    const started = env.clock.now();
    const output = await env.run(hello, { who: "Ada" });
    expect(output).toEqual({ greeting: "Hello, Ada!", lucky: true });
    expect(env.clock.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it("journals a call, a sleep and a decision in that order", async () => {
    const run = await env.start(hello, { who: "Grace" });
    await run.result();
    const journal = await env.journal(run.id);
    expect(journal.map((e) => `${e.kind}:${e.name}`)).toEqual(["call:greet", "sleep:sleep", "decide:lucky"]);
  });

  it("refuses a run without a name to greet", async () => {
    await expect(env.start(hello, { who: "" })).rejects.toThrow(/who/);
  });
});
