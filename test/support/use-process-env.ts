import { afterAll, beforeAll } from "vitest";
import { createProcessEnv, type ProcessEnv } from "./process-env.js";
import { startWorkers, type WorkerProcess, type WorkerProcessOptions } from "./worker-processes.js";

/** A test file's database and the worker processes it starts, cleaned up after the file. */
export interface ProcessEnvScope {
  /** The env, once `beforeAll` has made it. */
  readonly env: ProcessEnv;
  /** Starts worker processes on the env's database; they are killed after the file. */
  startWorkers(count: number, options?: Omit<WorkerProcessOptions, "databaseUrl">): Promise<WorkerProcess[]>;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that make a process env (its own database) for the describe
 * block, and kill its workers and drop the database afterwards.
 * @example
 * const scope = useProcessEnv();
 * it("…", async () => { const workers = await scope.startWorkers(3); … scope.env.startRuns(10, input); });
 */
export function useProcessEnv(make: () => Promise<ProcessEnv> = () => createProcessEnv()): ProcessEnvScope {
  let env: ProcessEnv | undefined;
  const started: WorkerProcess[] = [];
  beforeAll(async () => {
    env = await make();
  });
  afterAll(async () => {
    await Promise.all(started.map((w) => w.kill()));
    await env?.close();
  });
  return {
    get env() {
      if (!env) throw new Error("the process env is made in beforeAll: use it inside a test");
      return env;
    },
    async startWorkers(count, options = {}) {
      const workers = await startWorkers(count, { ...options, databaseUrl: this.env.database.url });
      started.push(...workers);
      return workers;
    },
  };
}
