import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkerReport } from "./reporting-store.js";
import { waitFor } from "./wait-for.js";

/** What `worker-process.ts` takes as its one argument (JSON). */
export interface WorkerProcessOptions {
  databaseUrl: string;
  concurrency?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  poolSize?: number;
  /** Let the store migrate on first use (default false: the test migrated the database already). */
  migrate?: boolean;
  /** Holds every lease renewal back this long before it is sent (a heartbeat slowed by load). */
  renewDelayMs?: number;
}

const SCRIPT = fileURLToPath(new URL("../processes/worker-process.ts", import.meta.url));

/** A worker running in its own process, with what it reported so far. */
export class WorkerProcess {
  readonly reports: WorkerReport[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  /** `script` is the worker program (default `processes/worker-process.ts`); it gets `options` as JSON. */
  constructor(options: WorkerProcessOptions, script = SCRIPT) {
    this.child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify(options)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "test" },
    });
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    collectLines(this.child.stdout, (line) => {
      try {
        this.reports.push(JSON.parse(line) as WorkerReport);
      } catch {
        this.stderr.push(line);
      }
    });
    collectLines(this.child.stderr, (line) => this.stderr.push(line));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error("the worker process did not start");
    return this.child.pid;
  }

  /** True until the process exits. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the worker has started claiming. */
  async ready(timeoutMs = 20_000): Promise<void> {
    await waitFor(`worker ${this.pid} to start`, timeoutMs, () =>
      this.alive ? this.reports.some((r) => r.event === "ready") : Promise.reject(this.failure()),
    );
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, then the exit code of the graceful stop. */
  async stop(timeoutMs = 20_000): Promise<number | null> {
    if (!this.alive) return (await this.exited).code;
    this.child.kill("SIGTERM");
    const exit = await Promise.race([
      this.exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref()),
    ]);
    if (exit === undefined) {
      this.child.kill("SIGKILL");
      throw new Error(`worker ${this.pid} did not stop within ${timeoutMs} ms after SIGTERM`);
    }
    return exit.code;
  }

  /** Ends the process whatever its state (for afterAll). */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill("SIGCONT");
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** The reports of one kind. */
  reportsOf<E extends WorkerReport["event"]>(event: E): Extract<WorkerReport, { event: E }>[] {
    return this.reports.filter((r): r is Extract<WorkerReport, { event: E }> => r.event === event);
  }

  private failure(): Error {
    return new Error(`worker ${this.child.pid} exited early:\n${this.stderr.slice(-20).join("\n")}`);
  }
}

/**
 * Spawns `count` worker processes and waits until each has started.
 * @example
 * const workers = await startWorkers(3, { databaseUrl, leaseMs: 2_000 });
 */
export async function startWorkers(count: number, options: WorkerProcessOptions): Promise<WorkerProcess[]> {
  const workers = Array.from({ length: count }, () => new WorkerProcess(options));
  await Promise.all(workers.map((w) => w.ready()));
  return workers;
}

function collectLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let buffered = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") onLine(line);
  });
}
