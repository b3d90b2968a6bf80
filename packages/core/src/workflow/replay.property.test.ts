import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crashingStore } from "../__tests__/crashing-store.js";
import { createHarness } from "../__tests__/harness.js";
import {
  type JournalEntry,
  memoryStore,
  StepFailedError,
  TestClock,
  type WorkflowContext,
  workflow,
} from "../index.js";

// A generated workflow is a program of operations; the workflow interprets it with ctx calls.
type Leaf =
  | { t: "call"; name: string; failures: number; permanent: boolean; longRetry: boolean }
  | { t: "sleep"; ms: number }
  | { t: "decide"; name: string; value: boolean };
type Op = Leaf | { t: "all"; ops: Leaf[] } | { t: "race"; name: string };

const RUNS = Number(process.env.DURABLE_PROPERTY_RUNS ?? 200);

function programArb(): fc.Arbitrary<Op[]> {
  const call = fc.record({
    t: fc.constant("call" as const),
    failures: fc.nat({ max: 2 }),
    permanent: fc.boolean(),
    longRetry: fc.boolean(),
  });
  const sleep = fc.record({
    t: fc.constant("sleep" as const),
    ms: fc.constantFrom(0, 250, 60_000, 90 * 86_400_000),
  });
  const decide = fc.record({ t: fc.constant("decide" as const), value: fc.boolean() });
  const leaf = fc.oneof({ weight: 3, arbitrary: call }, sleep, decide);
  const op = fc.oneof(
    { weight: 4, arbitrary: leaf },
    fc.record({ t: fc.constant("all" as const), ops: fc.array(leaf, { minLength: 1, maxLength: 3 }) }),
    fc.record({ t: fc.constant("race" as const) }),
  );
  return fc.array(op, { minLength: 1, maxLength: 8 }).map(nameSteps);
}

function nameSteps(ops: Omit<Op, "name">[]): Op[] {
  let n = 0;
  const named = (o: object): Leaf => ("ms" in o ? (o as Leaf) : ({ ...o, name: `s${n++}` } as Leaf));
  return ops.map((o) =>
    "ops" in o ? { t: "all", ops: (o as { ops: object[] }).ops.map(named) } : (named(o) as Op),
  );
}

/** Failures injected so far, per run and step name: shared by every simulated process. */
const failuresSoFar = new Map<string, number>();

/** Successful executions of each step body, by `runId/name`, in one simulated process. */
type Executions = Map<string, number>;

function executed(counts: Executions, runId: string, name: string): void {
  const key = `${runId}/${name}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

async function leaf(ctx: WorkflowContext, op: Leaf, counts: Executions): Promise<string> {
  switch (op.t) {
    case "sleep":
      await ctx.sleep(op.ms);
      return "slept";
    case "decide": {
      const value = await ctx.decide(op.name, () => {
        executed(counts, ctx.runId, op.name);
        return op.value;
      });
      const branch = `${op.name}.${value ? "yes" : "no"}`;
      return ctx.call(branch, () => {
        executed(counts, ctx.runId, branch);
        return `${op.name}:${value}`;
      });
    }
    case "call":
      try {
        return await ctx.call(
          op.name,
          (s) => {
            const key = `${s.runId}/${op.name}`;
            const failed = failuresSoFar.get(key) ?? 0;
            if (op.permanent || failed < op.failures) {
              failuresSoFar.set(key, failed + 1);
              throw new Error(`${op.name} failed (${failed + 1})`);
            }
            executed(counts, ctx.runId, op.name);
            return `${op.name}:ok`;
          },
          { retry: { maxAttempts: 3, initialInterval: op.longRetry ? "10s" : "1s" } },
        );
      } catch (error) {
        if (error instanceof StepFailedError) return `caught:${op.name}`;
        throw error;
      }
  }
}

async function interpret(ctx: WorkflowContext, program: Op[], counts: Executions): Promise<string[]> {
  const out: string[] = [];
  for (const op of program) {
    if (op.t === "all") out.push((await Promise.all(op.ops.map((o) => leaf(ctx, o, counts)))).join(","));
    else if (op.t === "race") {
      const step = ctx.call(op.name, () => {
        executed(counts, ctx.runId, op.name);
        return "step";
      });
      out.push(await Promise.race([ctx.sleep("1h").then(() => "timer"), step]));
    } else out.push(await leaf(ctx, op, counts));
  }
  return out;
}

function definition(programs: Map<string, Op[]>, counts: Executions) {
  return workflow({ name: "generated" }, (ctx, key: string) =>
    interpret(ctx, programs.get(key) as Op[], counts),
  );
}

let nextKey = 0;
const stats = { cases: 0, crashes: 0, entries: 0 };
const mutations = { checked: 0 };

/** Runs `program` through a chain of processes that each die after their budget of journal appends. */
async function runWithCrashes(program: Op[], budgets: number[], runtimeProgram = program) {
  const key = `p${nextKey++}`;
  const clock = new TestClock();
  const shared = memoryStore({ clock });
  const processes: { counts: Map<string, number>; journalBefore: JournalEntry[] }[] = [];
  let runId = "";
  let output: string[] | undefined;
  let blocked: { code?: string; message: string } | undefined;
  for (const [i, budget] of [...budgets, Number.POSITIVE_INFINITY].entries()) {
    const programs = new Map([[key, i === budgets.length ? runtimeProgram : program]]);
    const counts: Executions = new Map();
    const wf = definition(programs, counts);
    const { store, isDead } = crashingStore(shared, budget);
    const h = createHarness([wf], {
      store,
      observer: shared,
      clock,
      worker: { leaseMs: 60_000, determinismGuard: false },
    });
    processes.push({ counts, journalBefore: runId ? await shared.readJournal(runId) : [] });
    const worker = h.newWorker();
    await worker.start();
    if (i === 0) runId = (await h.client.start(wf, key, { id: `run-${key}` })).id;
    const info = await h.settle(runId, isDead);
    await worker.stop({ graceMs: 0 });
    const run = await shared.getRun(runId);
    if (run?.status === "completed") {
      output = info.output as string[];
      break;
    }
    if (run?.status === "blocked") {
      blocked = run.error;
      break;
    }
  }
  return { runId, output, blocked, processes, journal: await shared.readJournal(runId) };
}

describe("replay of generated workflows", () => {
  it("resumes after a crash at any journal prefix with the same output, never re-running a journaled step", async () => {
    await fc.assert(
      fc.asyncProperty(
        programArb(),
        fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 3 }),
        async (program, budgets) => {
          const reference = await runWithCrashes(program, []);
          expect(reference.blocked).toBeUndefined();
          // Each budget is the number of appends a process makes before it dies: crash points inside the journal.
          const points = budgets.map((b) => b % Math.max(1, reference.journal.length));
          const crashed = await runWithCrashes(program, points);
          stats.cases++;
          stats.crashes += crashed.processes.length - 1;
          stats.entries += reference.journal.length;
          expect(crashed.blocked).toBeUndefined();
          expect(crashed.output).toEqual(reference.output);
          expect(steps(crashed.journal)).toEqual(steps(reference.journal));
          // A step journaled before a process died never runs again in a later process.
          for (const [i, proc] of crashed.processes.entries()) {
            for (const entry of proc.journalBefore) {
              if (entry.kind !== "call" && entry.kind !== "decide") continue;
              expect(
                proc.counts.get(`${crashed.runId}#${entry.seq}`),
                `process ${i} re-ran seq ${entry.seq}`,
              ).toBeUndefined();
            }
          }
          // A process runs a step's body to success at most once; a later process runs it again only if
          // the earlier one died between running it and journaling it. Without crashes: exactly once.
          for (const entry of crashed.journal) {
            if ((entry.kind !== "call" && entry.kind !== "decide") || entry.outcome !== "ok") continue;
            const runs = crashed.processes.map((p) => p.counts.get(`${crashed.runId}/${entry.name}`) ?? 0);
            expect(Math.max(...runs)).toBe(1);
          }
          for (const entry of reference.journal) {
            if ((entry.kind === "call" || entry.kind === "decide") && entry.outcome === "ok") {
              expect(reference.processes[0]?.counts.get(`${reference.runId}/${entry.name}`)).toBe(1);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
    // The property must exercise real crashes, not only runs that finished within their first process.
    expect(stats.crashes).toBeGreaterThan(stats.cases / 2);
    console.log(
      `replay property: ${stats.cases} workflows, ${stats.crashes} crashes, ${stats.entries} journal entries`,
    );
  }, 600_000);

  it("reports a renamed, removed or reordered journaled step as non-determinism and leaves the journal intact", async () => {
    const mutation = fc.record({
      kind: fc.constantFrom("rename", "remove", "swap"),
      a: fc.nat(),
      b: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(programArb(), fc.nat({ max: 30 }), mutation, async (program, budget, m) => {
        const calls = program.flatMap((op, i) => (op.t === "call" ? [i] : []));
        fc.pre(calls.length >= (m.kind === "swap" ? 2 : 1));
        const i = calls[m.a % calls.length] as number;
        const j = calls.filter((x) => x !== i)[m.b % Math.max(1, calls.length - 1)] as number;
        const changed = [...program];
        const target = program[i] as Extract<Leaf, { t: "call" }>;
        if (m.kind === "rename") changed[i] = { ...target, name: `${target.name}-renamed` };
        if (m.kind === "remove") changed.splice(i, 1);
        if (m.kind === "swap") [changed[i], changed[j]] = [changed[j] as Op, changed[i] as Op];
        const names =
          m.kind === "swap"
            ? [target.name, (program[j] as Extract<Leaf, { t: "call" }>).name]
            : [target.name];

        const reference = await runWithCrashes(program, []);
        const before = await runWithCrashes(
          program,
          [budget % Math.max(1, reference.journal.length)],
          program,
        );
        const journaled = new Set(before.processes[1]?.journalBefore.map((e) => e.name) ?? []);
        fc.pre(before.processes.length === 2 && names.some((n) => journaled.has(n)));

        mutations.checked++;
        const after = await runWithCrashes(
          program,
          [budget % Math.max(1, reference.journal.length)],
          changed,
        );
        expect(after.blocked?.code).toBe("non_determinism");
        expect(after.blocked?.message).toMatch(/seq \d+/);
        expect(after.journal).toEqual(after.processes[1]?.journalBefore);
      }),
      { numRuns: RUNS },
    );
    expect(mutations.checked).toBeGreaterThan(RUNS / 4);
    console.log(`non-determinism property: ${mutations.checked} code changes detected`);
  }, 600_000);
});

/** The steps of a journal, by seq (timers that lost a race may fire at other points after a crash). */
function steps(journal: JournalEntry[]) {
  return journal
    .filter((e) => e.kind === "call" || e.kind === "decide")
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({ seq: e.seq, kind: e.kind, name: e.name, outcome: e.outcome }));
}
