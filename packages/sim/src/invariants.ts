import { decode, type JournalEntry, type RunRecord, type Store, TERMINAL_STATUSES } from "@durable/core";
import type { Ledger } from "./ledger.js";
import type { RunEnd } from "./scheduler.js";
import { allRuns, expectedOutput, type Workload } from "./workload.js";

/** What the checks read: the store (directly, outside the simulation), the workload, and the ledger. */
export interface CheckInput {
  store: Store;
  workload: Workload;
  ledger: Ledger;
  end: RunEnd;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function describeRun(run: RunRecord): string {
  const waits =
    run.waitingFor.length > 0 ? `waiting for [${run.waitingFor.join(", ")}]` : "waiting for nothing";
  const wake = run.wakeAt ? `wake_at ${run.wakeAt.toISOString()}` : "no wake time";
  return `${run.status}, ${waits}, ${wake}, recoveries ${run.recoveries}`;
}

/** Every run ends as its plan says; the poison, and only the poison, is dead-lettered; none is stranded. */
function checkOutcome(
  run: RunRecord | undefined,
  id: string,
  expected: string[],
  workload: Workload,
  end: RunEnd,
) {
  if (!run) return [`run ${id} was never created`];
  const final = TERMINAL_STATUSES.includes(run.status) || run.status === "blocked";
  if (!final)
    return [
      `run ${id} stranded (${end === "horizon" ? "past the horizon" : "nothing left to happen"}): ${describeRun(run)}`,
    ];
  if (id === workload.poison) {
    return run.status === "blocked" && run.error?.code === "crash_loop"
      ? []
      : [`poison run ${id} ended ${run.status}, not blocked (crash_loop)`];
  }
  if (run.status === "blocked" && run.error?.code === "crash_loop")
    return [
      `healthy run ${id} dead-lettered (blocked, crash_loop, recoveries ${run.recoveries}): ${run.error.message}`,
    ];
  if (run.status !== "completed") return [`run ${id} ended ${run.status}: ${run.error?.message ?? ""}`];
  const output = run.output === undefined ? undefined : decode(run.output);
  return sameJson(output, expected)
    ? []
    : [`run ${id} returned ${JSON.stringify(output)}, expected ${JSON.stringify(expected)}`];
}

/** No seq twice; no timer early; no event consumed twice. */
function checkJournal(id: string, journal: JournalEntry[]): string[] {
  const problems: string[] = [];
  const seqs = new Set<number>();
  for (const entry of journal) {
    if (seqs.has(entry.seq)) problems.push(`run ${id} has seq ${entry.seq} twice in its journal`);
    seqs.add(entry.seq);
    if (entry.kind === "sleep") {
      const until = new Date((decode(entry.result) as { until: string | Date }).until).getTime();
      if (entry.completedAt.getTime() < until)
        problems.push(
          `run ${id}: the timer of seq ${entry.seq} fired ${until - entry.completedAt.getTime()} ms early`,
        );
    }
  }
  const events = journal.filter((e) => e.kind === "event").map((e) => e.name);
  if (new Set(events).size !== events.length) problems.push(`run ${id} received one event name twice`);
  return problems;
}

/** No journaled step executed again; body executions match live attempts; re-executions have a fault. */
function checkExecutions(ledger: Ledger, journals: Map<string, JournalEntry[]>): string[] {
  const problems: string[] = [];
  for (const a of ledger.attempts)
    if (a.journaledAtClaim)
      problems.push(
        `run ${a.runId}: step ${a.name} (seq ${a.seq}) ran again on ${a.worker} (epoch ${a.epoch}) although its claim had it journaled`,
      );
  const attempts = new Map<string, number>();
  const epochs = new Map<string, Set<number>>();
  for (const a of ledger.attempts) {
    const key = `${a.runId}#${a.seq}`;
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
    epochs.set(key, (epochs.get(key) ?? new Set()).add(a.epoch));
  }
  for (const [key, count] of ledger.executions)
    if (attempts.get(key) !== count)
      problems.push(`step ${key} ran ${count} times in ${attempts.get(key) ?? 0} attempts`);
  const reexecuted = [...epochs].filter(([, set]) => set.size > 1).map(([key]) => key);
  if (reexecuted.length > 0 && ledger.faults.length === 0)
    problems.push(
      `steps ${reexecuted.join(", ")} ran in more than one activation, with no fault to explain it`,
    );
  for (const [key] of epochs) {
    const [runId, seq] = key.split("#") as [string, string];
    if (!journals.get(runId)?.some((e) => e.seq === Number(seq)))
      if (journals.has(runId) && ledger.faults.length === 0)
        problems.push(`step ${key} ran but was never journaled`);
  }
  for (const [event, count] of ledger.consumed)
    if (count > 1) problems.push(`event ${event} was consumed ${count} times`);
  return problems;
}

function explainedByBlocked(id: string, runs: Map<string, RunRecord | undefined>): boolean {
  const blocked = (other: string) => runs.get(other)?.status === "blocked";
  const ancestors = id.split("/").slice(0, -1);
  if (ancestors.some((_, i) => blocked(ancestors.slice(0, i + 1).join("/")))) return true;
  const run = runs.get(id);
  const parent = ancestors.join("/");
  if (!run && parent !== "" && runs.get(parent)?.status !== "completed") return true;
  return (
    run?.status !== "blocked" &&
    [...runs.keys()].some((other) => other.startsWith(`${id}/`) && blocked(other))
  );
}

/**
 * The invariants checked after every simulated run; each violation is a sentence naming the run.
 * @example
 * const violations = await checkInvariants({ store, workload, ledger, end });
 */
export async function checkInvariants(input: CheckInput): Promise<string[]> {
  const { store, workload, ledger, end } = input;
  const problems = [...ledger.violations];
  const journals = new Map<string, JournalEntry[]>();
  const runs = new Map<string, RunRecord | undefined>();
  for (const { id } of allRuns(workload)) runs.set(id, await store.getRun(id));
  for (const { id, plan } of allRuns(workload)) {
    const run = runs.get(id);
    // A dead-lettered run explains its children never created and its parents left waiting for it.
    if (explainedByBlocked(id, runs)) continue;
    problems.push(...checkOutcome(run, id, expectedOutput(plan, id), workload, end));
    if (!run) continue;
    const journal = await store.readJournal(id);
    journals.set(id, journal);
    problems.push(...checkJournal(id, journal));
  }
  problems.push(...checkExecutions(ledger, journals));
  return problems;
}
