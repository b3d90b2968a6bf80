import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncHooksContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness } from "../__tests__/harness.js";
import { type WorkerObserver, workflow } from "../index.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncHooksContextManager();

beforeAll(() => {
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

describe("traces and the worker observer", () => {
  it("makes a span per activation and per step attempt, in the trace the run was started in, children included", async () => {
    const child = workflow({ name: "traced-child" }, async (ctx) => ctx.call("inner", () => "inner"));
    const parent = workflow({ name: "traced" }, async (ctx) => {
      const first = await ctx.call(
        "flaky",
        (s) => {
          if (s.attempt === 1) throw new Error("once");
          return "ok";
        },
        { retry: { initialInterval: "1s" } },
      );
      await ctx.sleep("1h");
      return [first, await ctx.child(child, undefined)];
    });
    const events: string[] = [];
    const observer: WorkerObserver = {
      claimed: (n) => n > 0 && events.push(`claimed:${n}`),
      activationEnded: (wf, outcome) => events.push(`activation:${wf}:${outcome}`),
      stepAttempt: (wf, step, ok) => events.push(`step:${wf}:${step}:${ok}`),
      journalAppended: (ms) => ms >= 0 && events.push("append"),
    };
    const h = createHarness([parent, child], { worker: { observer } });
    await h.newWorker().start();
    const root = trace.getTracer("test").startSpan("request");
    const handle = await context.with(trace.setSpan(context.active(), root), () =>
      h.client.start(parent, undefined, { id: "t" }),
    );
    root.end();
    await h.settle("t");
    expect(await handle.result()).toEqual(["ok", "inner"]);
    await h.close();

    const spans = exporter.getFinishedSpans();
    const traceId = root.spanContext().traceId;
    const activations = spans.filter((s) => s.name.startsWith("durable.activation"));
    expect(activations.length).toBeGreaterThanOrEqual(3);
    expect(activations.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    const steps = spans.filter((s) => s.name.startsWith("durable.step"));
    expect(steps.map((s) => [s.name, s.attributes["durable.seq"], s.attributes["durable.attempt"]])).toEqual([
      ["durable.step flaky", 0, 1],
      ["durable.step flaky", 0, 2],
      ["durable.step inner", 0, 1],
    ]);
    expect(steps[0]?.attributes["durable.run_id"]).toBe("t");
    expect(steps.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    expect(events).toContain("step:traced:flaky:false");
    expect(events).toContain("step:traced:flaky:true");
    expect(events).toContain("activation:traced:suspended");
    expect(events).toContain("activation:traced:completed");
    expect(events).toContain("append");
    expect(events.some((e) => e.startsWith("claimed:"))).toBe(true);
  });
});
