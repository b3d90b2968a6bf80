import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Client,
  createActivation,
  decode,
  memoryStore,
  silentLogger,
  skipTime,
  TestClock,
  Worker,
  type WorkflowContext,
  workflow,
} from "../index.js";

// A generated workflow waits for events, sleeps, runs steps and races events against timers; events
// arrive at generated times. The run's path must replay from its journal exactly, and every event must
// be consumed at most once (exactly once when something waited for it).
type Op =
  | { t: "wait"; name: "a" | "b"; timeoutMs?: number | undefined }
  | { t: "step" }
  | { t: "sleep"; ms: number }
  | { t: "race"; name: "a" | "b"; ms: number };

const RUNS = Number(process.env.DURABLE_PROPERTY_RUNS ?? 200);
const HOUR = 3_600_000;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record(
    {
      t: fc.constant("wait" as const),
      name: fc.constantFrom("a" as const, "b" as const),
      timeoutMs: fc.option(fc.integer({ min: 1, max: 5 * HOUR }), { nil: undefined }),
    },
    { requiredKeys: ["t", "name"] },
  ),
  fc.record({ t: fc.constant("step" as const) }),
  fc.record({ t: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 3 * HOUR }) }),
  fc.record({
    t: fc.constant("race" as const),
    name: fc.constantFrom("a" as const, "b" as const),
    ms: fc.integer({ min: 1, max: 3 * HOUR }),
  }),
);
const arrivalsArb = fc.array(
  fc.record({ at: fc.integer({ min: 0, max: 12 * HOUR }), name: fc.constantFrom("a", "b") }),
  { maxLength: 8 },
);

async function interpret(
  ctx: WorkflowContext<{ a: z.ZodString; b: z.ZodString }>,
  ops: Op[],
): Promise<string[]> {
  const path: string[] = [];
  for (const [i, op] of ops.entries()) {
    if (op.t === "wait") {
      const opts = op.timeoutMs === undefined ? {} : { timeout: op.timeoutMs };
      // Without a timeout, a wait nobody answers would never end: give every wait a bound.
      path.push((await ctx.waitForEvent(op.name, { timeout: 24 * HOUR, ...opts })) ?? "timeout");
    } else if (op.t === "step") {
      path.push(await ctx.call(`step${i}`, () => `step${i}`));
    } else if (op.t === "sleep") {
      await ctx.sleep(op.ms);
      path.push("slept");
    } else {
      path.push(
        await Promise.race([
          ctx.waitForEvent(op.name).then((v) => `event:${v}`),
          ctx.sleep(op.ms).then(() => "timer"),
        ]),
      );
    }
  }
  return path;
}

describe("event interleavings", () => {
  it("replay from the journal takes the same path, and every event is consumed at most once", async () => {
    let consumed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 6 }),
        arrivalsArb,
        async (ops, arrivals) => {
          const wf = workflow({ name: "events-prop", events: { a: z.string(), b: z.string() } }, (ctx) =>
            interpret(ctx, ops),
          );
          const clock = new TestClock();
          const store = memoryStore({ clock });
          const worker = new Worker({
            store,
            workflows: [wf],
            clock,
            logger: silentLogger,
            pollMs: 20,
            leaseMs: 365 * 24 * HOUR,
          });
          const client = new Client({ store, workflows: [wf] });
          await worker.start();
          const start = clock.now();
          const run = await client.start(wf, undefined, { id: "r" });
          const finished = async () =>
            ["completed", "failed", "blocked"].includes((await store.getRun("r"))?.status ?? "");
          const drive = (horizon?: number) =>
            skipTime({
              clock,
              store,
              workers: [worker],
              workflows: [wf.name],
              until: finished,
              onStuck: async () => new Error(`stuck: ${JSON.stringify(await store.getRun("r"))}`),
              ...(horizon === undefined ? {} : { horizon }),
            });
          const sent: string[] = [];
          for (const [i, arrival] of [...arrivals].sort((x, y) => x.at - y.at).entries()) {
            await drive(start + arrival.at);
            if (await finished()) break;
            const payload = `${arrival.name}${i}`;
            await client.sendEvent("r", arrival.name, payload);
            sent.push(payload);
          }
          await drive();
          await worker.stop({ graceMs: 0 });
          const info = await client.get("r");
          expect(info?.status).toBe("completed");
          const path = info?.output as string[];

          // Replaying the journal alone (no store, no writes) must take exactly the same path.
          const journal = await client.journal("r");
          const replay = createActivation({
            runId: "r",
            workflow: wf,
            input: undefined,
            startedAt: (await store.getRun("r"))?.startedAt as Date,
            journal,
            retryState: {},
            now: () => clock.now(),
            append: () => Promise.reject(new Error("replay wrote to the journal")),
            setTimer: () => () => {},
            logger: silentLogger,
          });
          const outcome = await replay.run();
          expect(outcome.type).toBe("completed");
          if (outcome.type === "completed") expect(decode(outcome.output)).toEqual(path);

          // Every event sent is either consumed by exactly one journaled wait, or still kept for the run.
          // (A wait that lost a race still consumes the next event of its name: deterministically, on replay too.)
          const received = journal.flatMap((e) =>
            e.kind === "event" && e.outcome === "ok" ? [decode<string | undefined>(e.result)] : [],
          );
          const receivedEvents = received.filter((v): v is string => v !== undefined);
          expect(new Set(receivedEvents).size).toBe(receivedEvents.length);
          const left = (await store.readEvents("r")).map((e) => decode<string>(e.payload));
          expect([...receivedEvents, ...left].sort()).toEqual([...sent].sort());
          const seen = path.flatMap((p) =>
            p.startsWith("event:") ? [p.slice(6)] : sent.includes(p) ? [p] : [],
          );
          for (const value of seen) expect(receivedEvents).toContain(value);
          consumed += receivedEvents.length;
          expect(await run.result()).toEqual(path);
        },
      ),
      { numRuns: RUNS },
    );
    expect(consumed).toBeGreaterThan(RUNS / 4);
    console.log(`event property: ${RUNS} runs, ${consumed} events consumed`);
  }, 600_000);
});
