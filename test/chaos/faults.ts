import type { PrivateCluster } from "../support/private-cluster.js";
import type { WorkerProcess } from "../support/worker-processes.js";
import type { AdminPool } from "./admin-pool.js";
import type { Random } from "./random.js";
import type { WorkerFleet } from "./worker-fleet.js";

export const FAULT_KINDS = ["kill", "stop", "terminate", "restart-fast", "restart-immediate"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One planned fault: how long to wait before it, what it is, and its random choices. */
export interface PlannedFault {
  delayMs: number;
  kind: FaultKind;
  /** Which runnable worker, as a fraction of their number. */
  pick: number;
  /** How long past the lease a stopped worker stays stopped. */
  pastLeaseMs: number;
}

/** A fault as it happened (times are this machine's clock, as the workers' and the database's are). */
export interface FaultRecord {
  kind: FaultKind | "poison";
  phase: string;
  at: number;
  /** When the fault was over: the restart returned, or the stopped worker was resumed. */
  end: number;
  pid?: number;
  workerId?: string;
  /** Runs whose live lease the worker held (owner, running, unexpired) when it was killed or stopped. */
  held?: string[];
  detail?: string;
}

/**
 * The fault plan of a seed: `count` faults, one every `everyMs` (a range). Kinds are dealt from shuffled
 * decks of all five, so every five consecutive faults hold one of each.
 * @example
 * const plan = planFaults(seededRandom(7), 40, [5_000, 10_000]);
 */
export function planFaults(rng: Random, count: number, everyMs: readonly [number, number]): PlannedFault[] {
  const kinds: FaultKind[] = [];
  while (kinds.length < count) {
    const deck = [...FAULT_KINDS];
    for (let i = deck.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [deck[i], deck[j]] = [deck[j] as FaultKind, deck[i] as FaultKind];
    }
    kinds.push(...deck);
  }
  return kinds.slice(0, count).map((kind) => ({
    delayMs: rng.int(everyMs[0], everyMs[1]),
    kind,
    pick: rng.next(),
    pastLeaseMs: rng.int(1_000, 3_000),
  }));
}

/** Injects planned faults into the fleet and the private cluster, and records each one. */
export class FaultInjector {
  readonly records: FaultRecord[] = [];
  private restarting: Promise<void> = Promise.resolve();
  private readonly resumes = new Set<Promise<void>>();

  constructor(
    private readonly fleet: WorkerFleet,
    private readonly cluster: PrivateCluster,
    private readonly admin: AdminPool,
    private readonly leaseMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Resolves once no restart of the cluster is under way. */
  databaseUp(): Promise<void> {
    return this.restarting;
  }

  /**
   * Runs `plan` from its start until `until()` says stop (checked between faults); resolves when the last
   * fault is over, every stopped worker included.
   */
  async run(plan: readonly PlannedFault[], phase: string, until: () => boolean): Promise<void> {
    for (const fault of plan) {
      await sleepUnless(fault.delayMs, until);
      if (until()) break;
      await this.inject(fault, phase);
    }
    await Promise.all(this.resumes);
  }

  private async inject(fault: PlannedFault, phase: string): Promise<void> {
    const at = Date.now();
    if (fault.kind === "terminate") {
      const ended = await this.admin.terminateBackends();
      this.note({ kind: fault.kind, phase, at, end: Date.now(), detail: `${ended} backends` });
      return;
    }
    if (fault.kind === "restart-fast" || fault.kind === "restart-immediate") {
      const mode = fault.kind === "restart-fast" ? "fast" : "immediate";
      const restart = this.cluster.restart(mode);
      this.restarting = restart.catch(() => {});
      await restart;
      this.note({ kind: fault.kind, phase, at, end: Date.now() });
      return;
    }
    const worker = await this.victim(fault.pick);
    if (!worker) return this.note({ kind: fault.kind, phase, at, end: at, detail: "no runnable worker" });
    const workerId = this.fleet.workerId(worker);
    const held = await this.heldBy(workerId);
    const start = Date.now();
    if (fault.kind === "kill") {
      this.fleet.kill(worker);
      this.note({ kind: "kill", phase, at: start, end: start, pid: worker.pid, ...idOf(workerId), held });
      return;
    }
    this.fleet.pause(worker);
    const record: FaultRecord = {
      kind: "stop",
      phase,
      at: start,
      end: start,
      pid: worker.pid,
      ...idOf(workerId),
      held,
    };
    this.note(record, `for ${this.leaseMs + fault.pastLeaseMs} ms`);
    const resume = new Promise<void>((resolve) =>
      setTimeout(() => {
        this.fleet.resume(worker);
        record.end = Date.now();
        resolve();
      }, this.leaseMs + fault.pastLeaseMs),
    );
    this.resumes.add(resume);
    void resume.then(() => this.resumes.delete(resume));
  }

  /** A runnable worker that holds runs (any runnable one when none does), chosen by `pick` in [0, 1). */
  private async victim(pick: number): Promise<WorkerProcess | undefined> {
    const runnable = this.fleet.runnable;
    const rows = await this.admin.query<{ owner: string }>(
      "SELECT DISTINCT lease_owner AS owner FROM durable.runs WHERE status = 'running' AND lease_expires_at > now()",
    );
    const holding = runnable.filter((w) => rows.some((r) => r.owner === this.fleet.workerId(w)));
    const candidates = holding.length > 0 ? holding : runnable;
    return candidates[Math.floor(pick * candidates.length)];
  }

  private async heldBy(workerId: string | undefined): Promise<string[]> {
    if (workerId === undefined) return [];
    const rows = await this.admin.query<{ id: string }>(
      "SELECT id FROM durable.runs WHERE lease_owner = $1 AND status = 'running' AND lease_expires_at > now()",
      [workerId],
    );
    return rows.map((r) => r.id);
  }

  private note(record: FaultRecord, extra = ""): void {
    this.records.push(record);
    const who = record.pid !== undefined ? ` pid ${record.pid} holding ${record.held?.length ?? 0} runs` : "";
    this.log(`fault ${record.kind}${who} ${record.detail ?? ""} ${extra} (${record.end - record.at} ms)`);
  }
}

function idOf(workerId: string | undefined): { workerId?: string } {
  return workerId === undefined ? {} : { workerId };
}

async function sleepUnless(ms: number, until: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !until()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, deadline - Date.now())));
  }
}
