import type { ClaimedRun, Lease, LeaseRenewal, Store, StoreNotification } from "@durable/core";
import type { Ledger } from "./ledger.js";
import type { Prng } from "./prng.js";
import type { Scheduler, SimNode } from "./scheduler.js";

/** How often each fault strikes in one simulation (chances per step or per call), chosen by the seed. */
export interface FaultRates {
  /** Per scheduler step: a worker is killed / paused past its lease / loses its connection. */
  kill: number;
  pause: number;
  drop: number;
  /** Per store call: it fails before its commit / after it ("timeout after commit"). */
  failBefore: number;
  failAfter: number;
  /** Per notification and listener: lost / delivered twice. */
  lose: number;
  twice: number;
  /** Each worker's clock is off the store's by up to this much, either way. */
  maxDriftMs: number;
  /** Node faults (kill, pause, drop) in one simulation at most, so that runs still get somewhere. */
  budget: number;
}

/**
 * Fault rates for a seed: some seeds calm, most stormy.
 * @example
 * const rates = chooseFaults(new Prng(42)); // the same rates for seed 42, every time
 */
export function chooseFaults(rng: Prng): FaultRates {
  const storm = rng.pick([0, 1, 1, 2]);
  return {
    kill: 0.002 * storm,
    pause: 0.002 * storm,
    drop: 0.002 * storm,
    failBefore: 0.01 * storm,
    failAfter: 0.01 * storm,
    lose: 0.05 * storm,
    twice: 0.05 * storm,
    maxDriftMs: storm === 0 ? 0 : 2_000,
    budget: 4 * storm,
  };
}

const simulatedFault = (text: string) => new Error(`simulated fault: ${text}`);

/** Calls whose lease-fenced writes the ledger checks. */
type LeaseWrite = "appendJournal" | "finishRun";

/** A short, deterministic description of a store call for the trace. */
function describeCall(method: string, args: unknown[]): string {
  const [first, second] = args;
  if (method === "appendJournal" || method === "finishRun") {
    const lease = first as Lease;
    const detail =
      method === "appendJournal"
        ? `${(second as { kind: string; seq: number }).kind}#${(second as { seq: number }).seq}`
        : (second as { status: string }).status;
    return `${method} ${lease.runId}@${lease.epoch} ${detail}`;
  }
  if (method === "renewLeases" || method === "releaseRuns") {
    const leases = (method === "renewLeases" ? second : first) as Lease[];
    return `${method} [${leases.map((l) => `${l.runId}@${l.epoch}`).join(" ")}]`;
  }
  if (method === "createRun") return `createRun ${(first as { id: string }).id}`;
  if (typeof first === "string") return `${method} ${first}${typeof second === "string" ? ` ${second}` : ""}`;
  return method;
}

function describeResult(method: string, value: unknown): string {
  if (method === "claimRuns") {
    const claims = value as ClaimedRun[];
    return `[${claims.map((c) => `${c.lease.runId}@${c.lease.epoch}`).join(" ")}]`;
  }
  if (method === "renewLeases") return `lost [${(value as LeaseRenewal).lost.join(" ")}]`;
  return "ok";
}

type SimStoreParts = { sched: Scheduler; node: SimNode; ledger: Ledger; faults: FaultRates };

/** Tells the ledger of a store call that went through: a claim, a fenced write, a renewal, a release. */
function observeCall(
  { sched, node, ledger }: SimStoreParts,
  method: string,
  args: unknown[],
  result: unknown,
  at: number,
): void {
  if (method === "claimRuns") ledger.claimed(node.id, result as ClaimedRun[], at - sched.start);
  else if (method === "appendJournal" || method === "finishRun") {
    const lease = args[0] as Lease;
    ledger.accepted(method as LeaseWrite, lease, at - sched.start);
    if (method === "finishRun") ledger.ended(lease);
    const consume = (args[2] as { consumeEvent?: string } | undefined)?.consumeEvent;
    if (consume !== undefined) ledger.consumedEvent(`${lease.runId}/${consume}`);
  } else if (method === "renewLeases") {
    const lost = new Set((result as LeaseRenewal).lost);
    for (const lease of args[1] as Lease[])
      if (!lost.has(lease.runId)) ledger.renewed(lease, at - sched.start);
  } else if (method === "releaseRuns") for (const lease of args[0] as Lease[]) ledger.ended(lease);
}

/** Subscribes to the real store's notifications, delivering each through the scheduler: lost, once or twice. */
function subscribeThrough(
  inner: Store,
  { sched, node, faults }: SimStoreParts,
  listener: (n: StoreNotification) => void,
): ReturnType<Store["subscribe"]> {
  const rng = sched.rng;
  return inner.subscribe((n) => {
    const label = `notice ${n.type}${"runId" in n ? ` ${n.runId}` : ""}`;
    if (rng.chance(faults.lose)) {
      sched.log(node, `${label} LOST`);
      return;
    }
    const copies = rng.chance(faults.twice) ? 2 : 1;
    for (let i = 0; i < copies; i++) sched.enqueue(node, label, () => listener(n), { fail: () => {} });
  });
}

/**
 * The store as one simulated process sees it: every call is two scheduling points (its start, when the
 * statement runs against the real store, and its result reaching the caller), each picked by the
 * scheduler; faults strike as the seed says; notifications go through the scheduler too, some lost or
 * doubled. The ledger hears every accepted claim and fenced write. The product's store is not changed.
 * @example
 * const store = simStore(shared, { sched, node, ledger, faults });
 */
export function simStore(inner: Store, sim: SimStoreParts): Store {
  const { sched, node, ledger, faults } = sim;
  const rng = sched.rng;

  const observe = (method: string, args: unknown[], result: unknown, at: number) =>
    observeCall(sim, method, args, result, at);

  const call = (method: string, args: unknown[], exec: () => Promise<unknown>): Promise<unknown> => {
    if (sched.closed) return Promise.reject(new Error("the simulation is over"));
    const label = describeCall(method, args);
    return new Promise((resolve, reject) => {
      const startCall = (deliver: boolean) => {
        const at = sched.now;
        const after = deliver && rng.chance(faults.failAfter);
        sched.track(exec()).then(
          (value) => {
            observe(method, args, value, at);
            if (!deliver) return;
            if (after) ledger.fault(`+${at - sched.start} ${node.id} ${label}: timeout after commit`);
            const outcome = after ? "TIMEOUT AFTER COMMIT" : describeResult(method, value);
            const settle = () =>
              after ? reject(simulatedFault(`${label} timed out after its commit`)) : resolve(value);
            sched.enqueue(node, `${label} → ${outcome}`, settle, { fail: reject });
          },
          (error: unknown) => {
            if (!deliver) return;
            const code = (error as { code?: string }).code ?? "error";
            sched.enqueue(node, `${label} → ${code}`, () => reject(error), { fail: reject });
          },
        );
      };
      sched.enqueue(
        node,
        label,
        () => {
          if (rng.chance(faults.failBefore)) {
            ledger.fault(`+${sched.now - sched.start} ${node.id} ${label}: failed before commit`);
            sched.enqueue(node, `${label} → FAILED BEFORE COMMIT`, () =>
              reject(simulatedFault(`${label} failed before its commit`)),
            );
            return;
          }
          startCall(true);
        },
        { fail: reject, orphan: () => startCall(false) },
      );
    });
  };

  const subscribe = (listener: (n: StoreNotification) => void) => subscribeThrough(inner, sim, listener);

  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "subscribe") return subscribe;
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || typeof prop !== "string" || prop === "close" || prop === "migrate")
        return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => call(prop, args, () => value.apply(target, args));
    },
  });
}

/**
 * Node faults, at each scheduler step, as the seed's rates and budget say: kill a worker (SIGKILL), pause
 * one past its lease (SIGSTOP, then SIGCONT), or terminate a node's connection.
 * @example
 * const inject = nodeFaults({ sched, ledger, faults, leaseMs, workers: () => up, onKill: respawn });
 */
export function nodeFaults(sim: {
  sched: Scheduler;
  ledger: Ledger;
  faults: FaultRates;
  leaseMs: number;
  nodes: () => SimNode[];
  onKill: (node: SimNode) => void;
}): () => void {
  const { sched, ledger, faults } = sim;
  let spent = 0;
  return () => {
    if (spent >= faults.budget) return;
    const rng = sched.rng;
    const roll = rng.float();
    const kind =
      roll < faults.kill
        ? "kill"
        : roll < faults.kill + faults.pause
          ? "pause"
          : roll < faults.kill + faults.pause + faults.drop
            ? "drop"
            : undefined;
    if (!kind) return;
    const candidates = sim.nodes().filter((n) => n.state === "up" && n.pausedUntil <= sched.now);
    if (candidates.length === 0) return;
    const node = rng.pick(candidates);
    spent++;
    const at = `+${sched.now - sched.start}`;
    if (kind === "kill") {
      if (node.kind !== "worker") return;
      ledger.fault(`${at} ${node.id} killed`);
      sched.kill(node);
      sim.onKill(node);
    } else if (kind === "pause") {
      if (node.kind !== "worker") return;
      const until = sched.now + sim.leaseMs + rng.between(500, 4_000);
      ledger.fault(`${at} ${node.id} paused until +${until - sched.start}`);
      sched.pause(node, until);
    } else {
      ledger.fault(`${at} ${node.id} connection dropped`);
      sched.dropConnection(node);
    }
  };
}
