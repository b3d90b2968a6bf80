import { Client, type Store } from "@durable/core";
import { type FaultRates, simStore } from "./faults.js";
import type { Ledger } from "./ledger.js";
import type { Scheduler, SimNode } from "./scheduler.js";
import { eventPayload, type Plan, type simWorkflow, type Workload } from "./workload.js";

interface SimClient {
  node: SimNode;
  client: Client;
}

/**
 * Two clients start the workload's runs and send its events at their planned times, each action from
 * either client; they retry what fails, as real callers would.
 * @example
 * planClients({ sched, shared, ledger, rates, workflow }, workload);
 */
export function planClients(
  sim: {
    sched: Scheduler;
    shared: Store;
    ledger: Ledger;
    rates: FaultRates;
    workflow: ReturnType<typeof simWorkflow>;
  },
  workload: Workload,
): void {
  const { sched, shared, ledger, rates, workflow } = sim;
  const clients: SimClient[] = ["c1", "c2"].map((id) => {
    const node = sched.node(id, "client");
    const store = simStore(shared, { sched, node, ledger, faults: rates });
    return { node, client: new Client({ store, workflows: [workflow] }) };
  });
  const later = (node: SimNode, fn: () => void) =>
    sched.setTimer(node, sched.now + sched.rng.between(200, 2_000), fn);
  const start = (from: SimClient, id: string, plan: Plan) => {
    from.client.start(workflow, plan, { id }).catch(() => later(from.node, () => start(from, id, plan)));
  };
  // A run not created yet (a child, a start still to come) or a lost reply: try again later. A resend
  // after a reply lost past its commit delivers the event twice, as a real sender would.
  const send = (from: SimClient, runId: string, name: string) => {
    from.client.sendEvent(runId, name, eventPayload(runId, name)).catch((error: unknown) => {
      if ((error as { code?: string }).code !== "run_finished")
        later(from.node, () => send(from, runId, name));
    });
  };
  for (const run of workload.runs) {
    const from = sched.rng.pick(clients);
    sched.setTimer(from.node, sched.start + run.startAt, () => start(from, run.id, run.plan));
  }
  for (const event of workload.events) {
    const from = sched.rng.pick(clients);
    sched.setTimer(from.node, sched.start + event.at, () => send(from, event.runId, event.name));
  }
}
