import { Client, memoryStore, silentLogger, TestClock, Worker, workflow } from "@durable/core";
import { describe, expect, it } from "vitest";
import { serveMetrics } from "./serve-metrics.js";
import { createWorkerMetrics } from "./worker-metrics.js";

describe("worker metrics", () => {
  it("serves runs, steps, failures, claims, appends and lag in the Prometheus format", async () => {
    const clock = new TestClock();
    const store = memoryStore({ clock });
    const wf = workflow({ name: "metered" }, async (ctx) =>
      ctx.call(
        "flaky",
        (s) => {
          if (s.attempt === 1) throw new Error("once");
          return "ok";
        },
        { retry: { initialInterval: 0 } },
      ),
    );
    const metrics = createWorkerMetrics(store, ["metered"]);
    const client = new Client({ store });
    await client.start(wf, undefined, { id: "late", delay: "1h" });
    clock.advance("2h");
    const server = await serveMetrics(metrics.registry, { port: 0 });
    try {
      const before = await (await fetch(server.url)).text();
      expect(before).toMatch(/^durable_due_runs 1$/m);
      expect(before).toMatch(/^durable_due_lag_seconds 3600$/m);

      const worker = new Worker({
        store,
        workflows: [wf],
        clock,
        logger: silentLogger,
        observer: metrics.observer,
        pollMs: 10,
      });
      await worker.start();
      const handle = await client.start(wf, undefined, { id: "now" });
      expect(await handle.result({ timeout: "5s" })).toBe("ok");
      await client.handle("late").result({ timeout: "5s" });
      await worker.stop();

      const after = await (await fetch(server.url)).text();
      expect(after).toMatch(/^durable_runs_started_total\{workflow="metered"\} 2$/m);
      expect(after).toMatch(/^durable_runs_finished_total\{workflow="metered",status="completed"\} 2$/m);
      expect(after).toMatch(/^durable_step_attempts_total\{workflow="metered",step="flaky"\} 4$/m);
      expect(after).toMatch(/^durable_step_failures_total\{workflow="metered",step="flaky"\} 2$/m);
      expect(after).toMatch(/^durable_journal_append_seconds_count 2$/m);
      expect(after).toMatch(/^durable_claim_batch_size_count \d+$/m);
      expect(after).toMatch(/^durable_due_runs 0$/m);
      expect((await fetch(server.url.replace("/metrics", "/other"))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
