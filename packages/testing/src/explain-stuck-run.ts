import { decode, describeCommand, type Store, type Workflow } from "@durable/core";
import { replayOffline } from "./offline-replay.js";

/**
 * Says why a run can never finish: which commands (seq, kind, name) it waits on with no timer to wake it,
 * or that no worker runs its workflow. Replays the run's journal offline to find its open commands.
 * @example
 * throw new Error(await explainStuckRun(store, [approval], run.id));
 */
export async function explainStuckRun(
  store: Store,
  // biome-ignore lint/suspicious/noExplicitAny: workflows of any input and output
  workflows: readonly Workflow<any, any>[],
  runId: string,
): Promise<string> {
  const run = await store.getRun(runId);
  if (!run) return `run ${runId} does not exist`;
  const head = `run ${runId} (workflow "${run.workflow}") can never finish`;
  const workflow = workflows.find((w) => w.name === run.workflow);
  if (!workflow) {
    return `${head}: it is ${run.status}, but no worker in this test env runs workflow "${run.workflow}"; add it to createTestEnv({ workflows })`;
  }
  const entries = await store.readJournal(runId);
  const recorded = new Set(entries.map((e) => e.seq));
  const replay = await replayOffline({
    workflow,
    runId,
    input: decode(run.input),
    entries,
    retryState: run.retryState,
    now: await store.now(),
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
  });
  const open = (replay.issued ?? []).filter(
    (c) => !c.settled && !recorded.has(c.seq) && c.dueAt === undefined,
  );
  const waits = open.map((c) => `seq ${c.seq} ${describeCommand(c)}`);
  for (const name of run.waitingFor) {
    if (!open.some((c) => c.name === name)) waits.push(`event("${name}")`);
  }
  const sent = run.waitingFor.map((name) => `env.sendEvent("${runId}", "${name}", payload)`);
  if (waits.length > 0) {
    return `${head}: it is ${run.status} and waits for ${waits.join(", ")}, with no timer to wake it; ${
      sent.length > 0
        ? `send what it waits for (${sent.join(", ")}) before awaiting its result`
        : "nothing in this test will resolve that"
    }`;
  }
  return `${head}: it is ${run.status}, waits for no timer, event or child, and awaits something outside ctx (a promise no ctx call resolves); every await in a workflow body must end in a ctx call`;
}
