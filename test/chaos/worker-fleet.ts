import { fileURLToPath } from "node:url";
import type { WorkerReport } from "../support/reporting-store.js";
import { WorkerProcess, type WorkerProcessOptions } from "../support/worker-processes.js";

const SCRIPT = fileURLToPath(new URL("./chaos-worker.ts", import.meta.url));

/** How one worker process ended, and whether the test ended it. */
export interface WorkerExit {
  pid: number;
  workerId: string | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
  /** The test sent it SIGKILL (a `kill` fault) or SIGTERM (the final stop). */
  byTest: boolean;
  /** It had reported `ready` (a process that never started is a start failure, not a crash). */
  started: boolean;
}

/** One claim report of any worker process, with the pid that made it. */
export interface ClaimReport {
  pid: number;
  runId: string;
  at: number;
}

/**
 * A fixed number of worker processes: a process that exits (killed by a fault, by a poison run, or for any
 * other reason) is replaced, once `databaseUp()` resolves, so the fleet keeps its size until `stopAll`.
 * @example
 * const fleet = new WorkerFleet(3, { databaseUrl, leaseMs: 5_000 }, () => Promise.resolve());
 * await fleet.start();
 */
export class WorkerFleet {
  readonly exits: WorkerExit[] = [];
  readonly startFailures: string[] = [];
  private readonly slots: WorkerProcess[] = [];
  private readonly all: WorkerProcess[] = [];
  private readonly killedByTest = new Set<number>();
  private readonly stopped = new Set<number>();
  private stopping = false;
  private respawns: Promise<void>[] = [];

  constructor(
    private readonly size: number,
    private readonly options: WorkerProcessOptions,
    private readonly databaseUp: () => Promise<void>,
  ) {}

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, (_, slot) => this.spawn(slot)));
  }

  /** The live processes that are not paused. */
  get runnable(): WorkerProcess[] {
    return this.slots.filter((w) => w.alive && !this.stopped.has(w.pid));
  }

  workerId(worker: WorkerProcess): string | undefined {
    return worker.reportsOf("ready")[0]?.workerId;
  }

  /** SIGKILL, counted as the test's doing; the slot is refilled. */
  kill(worker: WorkerProcess): void {
    this.killedByTest.add(worker.pid);
    worker.signal("SIGCONT");
    worker.signal("SIGKILL");
  }

  pause(worker: WorkerProcess): void {
    this.stopped.add(worker.pid);
    worker.signal("SIGSTOP");
  }

  resume(worker: WorkerProcess): void {
    worker.signal("SIGCONT");
    this.stopped.delete(worker.pid);
  }

  /** Every report of every process so far, with its pid. */
  reports(): { pid: number; report: WorkerReport }[] {
    return this.all.flatMap((w) => w.reports.map((report) => ({ pid: w.pid, report })));
  }

  claims(): ClaimReport[] {
    return this.reports().flatMap(({ pid, report }) =>
      report.event === "claimed" ? report.runs.map((runId) => ({ pid, runId, at: report.at })) : [],
    );
  }

  /** The last lines a process wrote on stderr (for the report of an unexpected exit). */
  stderrOf(pid: number): string[] {
    return this.all.find((w) => w.pid === pid)?.stderr.slice(-10) ?? [];
  }

  /** Resumes paused processes, waits for pending replacements, then SIGTERMs every live process. */
  async stopAll(): Promise<(number | null)[]> {
    for (const worker of this.slots) if (this.stopped.has(worker.pid)) this.resume(worker);
    await Promise.all(this.respawns);
    this.stopping = true;
    const live = this.slots.filter((w) => w.alive);
    return Promise.all(
      live.map(async (worker) => {
        this.killedByTest.add(worker.pid);
        return worker.stop(30_000).catch(async () => {
          await worker.kill();
          return null;
        });
      }),
    );
  }

  /** Ends whatever is left, whatever its state (for a driver that failed). */
  async killAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.all.map((w) => w.kill()));
  }

  private async spawn(slot: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const worker = new WorkerProcess(this.options, SCRIPT);
      this.all.push(worker);
      this.slots[slot] = worker;
      const started = worker.ready(30_000).then(
        () => true,
        (error: unknown) => {
          this.startFailures.push(String(error).slice(0, 500));
          return false;
        },
      );
      void worker.exited.then(async (exit) => {
        const byTest = this.killedByTest.has(worker.pid);
        const ok = await started;
        this.exits.push({
          pid: worker.pid,
          workerId: this.workerId(worker),
          ...exit,
          at: Date.now(),
          byTest,
          started: ok,
        });
        // A process that never started is retried by the loop below, not refilled.
        if (!this.stopping && ok && this.slots[slot] === worker) this.refill(slot);
      });
      if (await started) return;
      await worker.kill();
      if (attempt >= 10 || this.stopping)
        throw new Error(`worker slot ${slot} failed to start ${attempt} times`);
      await this.databaseUp();
    }
  }

  private refill(slot: number): void {
    const respawn = this.databaseUp().then(() => this.spawn(slot));
    this.respawns.push(respawn.catch(() => {}));
  }
}
