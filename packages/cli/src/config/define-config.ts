import type { AnySchedule, Duration } from "@durable/core";

/** A run `durable dev` starts when it comes up, so there is something to watch. */
export interface DevRun {
  workflow: string;
  input?: unknown;
  id?: string;
  tags?: Record<string, string>;
}

/** Options of the workers that `durable worker` and `durable dev` run; command-line flags override them. */
export interface WorkerConfig {
  /** Runs executed at once (default 10). */
  concurrency?: number;
  /** Only workflows of this queue (their `queue` option). */
  queue?: string;
  /** How long running steps may finish after Ctrl-C (default 30 s). */
  grace?: Duration;
  /** Lease length in ms (default 30 s). */
  leaseMs?: number;
  /** Fallback polling in ms (default 1 s on Postgres, 250 ms on the embedded database). */
  pollMs?: number;
}

/** What `durable.config.ts` exports. */
export interface DurableConfig {
  /** Modules whose exported workflows are registered, relative to the config file. */
  workflows: string[];
  /** `postgres://...`; without one every command uses the embedded database. */
  databaseUrl?: string | undefined;
  /** The schema of the durable tables (default `durable`). */
  schema?: string;
  /** Where the embedded database lives, relative to the config file (default `.durable`). */
  dataDir?: string;
  worker?: WorkerConfig;
  /** Schedules (`schedule({...})` from `@durable/core`) registered with every worker. */
  schedules?: readonly AnySchedule[];
  /** What `durable dev` does besides running a worker. */
  dev?: { runs?: DevRun[] };
}

/**
 * Declares the project's configuration with type checking; `durable` reads it from `durable.config.ts`.
 * @example
 * export default defineConfig({
 *   workflows: ["./src/workflows.ts"],
 *   databaseUrl: process.env.DATABASE_URL,
 *   worker: { concurrency: 20 },
 * });
 */
export function defineConfig(config: DurableConfig): DurableConfig {
  return config;
}
