import {
  type AnyWorkflow,
  Client,
  memoryStore,
  type RunInfo,
  type RunStatus,
  silentLogger,
  skipTime,
  TestClock,
  Worker,
  workflow,
} from "@durable/core";
import { z } from "zod";
import { createDashboard, type DashboardOptions } from "../index.js";

/** Flip to make `flaky`'s step succeed. */
export const flakiness = { failing: true };

/** A call, a sleep, a decision and an event, then another call. */
export const journey = workflow(
  {
    name: "journey",
    input: z.object({ userId: z.string() }),
    events: { approved: z.object({ by: z.string() }) },
  },
  async (ctx, { userId }) => {
    const user = await ctx.call("fetch-user", async () => ({ id: userId, plan: "pro" }));
    await ctx.sleep("1h");
    const vip = await ctx.decide("is-vip", async () => user.plan === "pro");
    const approval = await ctx.waitForEvent("approved", { timeout: "3d" });
    await ctx.call("ship", async () => `shipped to ${user.id}`);
    return { vip, approvedBy: approval?.by ?? null };
  },
);

/** A step that fails (one attempt) while `flakiness.failing`. */
export const flaky = workflow({ name: "flaky" }, async (ctx, _input: { note: string }) => {
  const charged = await ctx.call(
    "charge",
    async () => {
      if (flakiness.failing) throw new Error("card declined");
      return "charged";
    },
    { retry: { maxAttempts: 1 } },
  );
  return { charged };
});

/** Sleeps a month. */
export const sleeper = workflow({ name: "sleeper" }, async (ctx, _input: unknown) => {
  await ctx.call("prepare", async () => 1);
  await ctx.sleep("30d");
  return "woke";
});

/** Starts a child and waits for it. */
export const parent = workflow({ name: "parent" }, async (ctx, _input: unknown) => {
  const out = await ctx.child(sleeper, {});
  return { child: out };
});

/** How often `poller` has looked (the state of the universe it decides on). */
export const polls = { count: 0 };

/** A polling loop: decides false twice, sleeping between, then true. */
export const poller = workflow({ name: "poller" }, async (ctx, _input: unknown) => {
  for (;;) {
    const ready = await ctx.decide("ready", async () => ++polls.count >= 3);
    if (ready) break;
    await ctx.sleep("10m");
  }
  return await ctx.call("finish", async () => "done");
});

/** Returns its input from a step whose name carries markup. */
export const echo = workflow({ name: "echo" }, async (ctx, input: { text: string }) =>
  ctx.call("step <script>alert(1)</script>", async () => ({ said: input.text })),
);

export const WORKFLOWS: AnyWorkflow[] = [journey, flaky, sleeper, parent, poller, echo];

/** A memory store, a worker, a client and the dashboard on one virtual clock. */
export async function createEnv(options: Omit<DashboardOptions, "client" | "store"> = {}) {
  flakiness.failing = true;
  polls.count = 0;
  const clock = new TestClock(Date.UTC(2030, 0, 1, 9, 0, 0));
  const store = memoryStore({ clock });
  const client = new Client({ store, workflows: WORKFLOWS });
  const worker = new Worker({
    store,
    workflows: WORKFLOWS,
    clock,
    logger: silentLogger,
    leaseMs: 10 * 365 * 86_400_000,
    heartbeatMs: 60_000,
    pollMs: 20,
  });
  await worker.start();
  const app = createDashboard({ client, store, ...options });

  /** Moves virtual time until the run reaches one of `statuses`. */
  async function until(id: string, statuses: RunStatus[]): Promise<RunInfo> {
    await skipTime({
      clock,
      store,
      workers: [worker],
      workflows: WORKFLOWS.map((w) => w.name),
      until: async () => statuses.includes((await store.getRun(id))?.status ?? "pending"),
      onStuck: async () =>
        new Error(`run ${id} never became ${statuses.join("/")}: ${(await store.getRun(id))?.status}`),
    });
    return (await client.get(id)) as RunInfo;
  }

  /** Waits (without moving time) until the run is suspended waiting for `event`. */
  async function waitingFor(id: string, event: string): Promise<void> {
    await skipTime({
      clock,
      store,
      workers: [worker],
      workflows: WORKFLOWS.map((w) => w.name),
      until: async () => (await store.getRun(id))?.waitingFor.includes(event) ?? false,
      onStuck: async () => new Error(`run ${id} never waited for ${event}`),
    });
  }

  return {
    clock,
    store,
    client,
    worker,
    app,
    until,
    waitingFor,
    close: () => worker.stop({ graceMs: 1_000 }),
  };
}

/** A JSON POST as the dashboard's own page sends it. */
export function postJson(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): [string, RequestInit] {
  return [
    path,
    {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost", ...headers },
      body: JSON.stringify(body),
    },
  ];
}

/** An API error body. */
export interface ApiError {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** A run as the API returns it. */
export interface RunJson {
  id: string;
  status: string;
  workflow: string;
  input: unknown;
  output?: unknown;
  tags: Record<string, string>;
  createdAt: string;
  error?: ApiError;
}

/** The `error` of an API answer. */
export async function errorOf(res: Response): Promise<ApiError> {
  return ((await res.json()) as { error: ApiError }).error;
}

/** The `run` of an API answer. */
export async function runOf(res: Response): Promise<RunJson> {
  return ((await res.json()) as { run: RunJson }).run;
}

/** An API answer as `T`. */
export async function bodyOf<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
