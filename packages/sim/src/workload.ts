import { type StepContext, type Workflow, workflow } from "@durable/core";
import type { Ledger } from "./ledger.js";
import type { Prng } from "./prng.js";

/** One command of a simulated workflow. */
export type Command =
  /** A step that fails its first `fails` attempts (3 attempts at most: from 3 on, the step fails for good). */
  | { t: "step"; name: string; fails: number }
  /** Two steps awaited together with `Promise.all`. */
  | { t: "pair"; a: string; b: string }
  | { t: "sleep"; ms: number }
  | { t: "event"; name: string }
  | { t: "child"; id: string; plan: Plan }
  /** A step that kills the worker running it, every time. */
  | { t: "poison" };

/** What a simulated run does, in order. */
export interface Plan {
  commands: Command[];
}

/** The runs of one simulation, when the client starts them, and the events it sends them. */
export interface Workload {
  runs: { id: string; plan: Plan; startAt: number }[];
  events: { runId: string; name: string; at: number }[];
  /** The run with a poison step, if any: it must end `blocked` (crash_loop), and no other run may. */
  poison?: string;
}

export const MAX_ATTEMPTS = 3;

/** The payload the client sends as event `name` of `runId` (the same on every resend). */
export const eventPayload = (runId: string, name: string) => `${runId}/${name}`;

/**
 * The one workflow of the simulation, an interpreter of its input plan. Step bodies count their real
 * executions in the ledger.
 * @example
 * const sim = simWorkflow(ledger); new Worker({ store, workflows: [sim] });
 */
export function simWorkflow(ledger: Ledger): Workflow<Plan, string[]> {
  const body = (fails: number) => (s: StepContext) => {
    ledger.executed(s.runId, s.seq);
    if (s.attempt <= fails) throw new Error(`planned failure of ${s.stepName}, attempt ${s.attempt}`);
    return `${s.stepName}:ok`;
  };
  const retry = { maxAttempts: MAX_ATTEMPTS, initialInterval: 200, backoffCoefficient: 2 };
  const sim: Workflow<Plan, string[]> = workflow({ name: "sim" }, async (ctx, plan: Plan) => {
    const out: string[] = [];
    for (const command of plan.commands) {
      switch (command.t) {
        case "step":
          try {
            out.push(await ctx.call(command.name, body(command.fails), { retry }));
          } catch {
            out.push(`caught:${command.name}`);
          }
          break;
        case "pair": {
          const both = await Promise.all([
            ctx.call(command.a, body(0), { retry }),
            ctx.call(command.b, body(0), { retry }),
          ]);
          out.push(both.join("+"));
          break;
        }
        case "sleep":
          await ctx.sleep(command.ms);
          out.push(`slept:${command.ms}`);
          break;
        case "event":
          out.push(`got:${String(await ctx.waitForEvent(command.name))}`);
          break;
        case "child":
          out.push(`child:${(await ctx.child(sim, command.plan, { id: command.id })).join(",")}`);
          break;
        case "poison":
          out.push(await ctx.call("poison", body(0)));
          break;
      }
    }
    return out;
  });
  return sim;
}

/**
 * What a plan's run returns, computed without running it.
 * @example
 * expect(await client.handle(runId).result()).toEqual(expectedOutput(plan, runId));
 */
export function expectedOutput(plan: Plan, runId: string): string[] {
  return plan.commands.flatMap((c): string[] => {
    switch (c.t) {
      case "step":
        return [c.fails < MAX_ATTEMPTS ? `${c.name}:ok` : `caught:${c.name}`];
      case "pair":
        return [`${c.a}:ok+${c.b}:ok`];
      case "sleep":
        return [`slept:${c.ms}`];
      case "event":
        return [`got:${eventPayload(runId, c.name)}`];
      case "child":
        return [`child:${expectedOutput(c.plan, c.id).join(",")}`];
      case "poison":
        return [];
    }
    return [];
  });
}

/** Every run a workload makes (children too), with its plan. */
export function allRuns(workload: Workload): { id: string; plan: Plan }[] {
  const found: { id: string; plan: Plan }[] = [];
  const visit = (id: string, plan: Plan) => {
    found.push({ id, plan });
    for (const c of plan.commands) if (c.t === "child") visit(c.id, c.plan);
  };
  for (const run of workload.runs) visit(run.id, run.plan);
  return found;
}

function generatePlan(rng: Prng, runId: string, depth: number): Plan {
  const commands: Command[] = [];
  const length = rng.between(2, depth === 0 ? 9 : 4);
  let events = 0;
  let children = 0;
  for (let i = 0; i < length; i++) {
    const roll = rng.float();
    if (roll < 0.4)
      commands.push({ t: "step", name: `s${i}`, fails: rng.chance(0.2) ? rng.between(1, 3) : 0 });
    else if (roll < 0.5) commands.push({ t: "pair", a: `p${i}a`, b: `p${i}b` });
    else if (roll < 0.7) commands.push({ t: "sleep", ms: rng.between(1, 6_000) });
    else if (roll < 0.88) commands.push({ t: "event", name: `go${events++}` });
    else if (depth === 0) {
      const id = `${runId}/c${children++}`;
      commands.push({ t: "child", id, plan: generatePlan(rng, id, depth + 1) });
    } else commands.push({ t: "step", name: `s${i}`, fails: 0 });
  }
  return { commands };
}

/**
 * A workload for a seed: 4–10 runs of steps (some failing, some retried), sleeps, events answered by the
 * client at random times (before or after the run waits), children; in about a third of the seeds a
 * poison run among them.
 * @example
 * const workload = generateWorkload(new Prng(1));
 */
export function generateWorkload(rng: Prng): Workload {
  const count = rng.between(4, 10);
  const runs: Workload["runs"] = [];
  for (let i = 0; i < count; i++) {
    const id = `r${i}`;
    // Half start in one burst, so that workers hold several runs at once.
    const startAt = rng.chance(0.5) ? 0 : rng.between(0, 5_000);
    runs.push({ id, plan: generatePlan(rng, id, 0), startAt });
  }
  const workload: Workload = { runs, events: [] };
  if (rng.chance(0.35)) {
    const id = `r${count}`;
    runs.push({ id, plan: { commands: [{ t: "step", name: "s0", fails: 0 }, { t: "poison" }] }, startAt: 0 });
    workload.poison = id;
  }
  for (const { id, plan } of allRuns(workload))
    for (const c of plan.commands)
      if (c.t === "event") workload.events.push({ runId: id, name: c.name, at: rng.between(0, 30_000) });
  return workload;
}
