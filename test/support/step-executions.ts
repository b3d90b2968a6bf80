import pg from "pg";

/**
 * The side table every step body of the process tests writes to: one row an execution, opened when the
 * body starts and closed when it ends, with the database's clock, so executions in different processes
 * can be compared in time.
 */
export const STEP_EXECUTIONS_DDL = `
  CREATE TABLE IF NOT EXISTS step_executions (
    id         bigserial   PRIMARY KEY,
    run_id     text        NOT NULL,
    step       text        NOT NULL,
    seq        integer     NOT NULL,
    attempt    integer     NOT NULL,
    pid        integer     NOT NULL,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    ended_at   timestamptz
  );
  CREATE INDEX IF NOT EXISTS step_executions_run_step_idx ON step_executions (run_id, step)`;

/**
 * An external system that deduplicates by idempotency key: one row a key, `deliveries` counts how often the
 * key was presented. A step whose key changed between its executions leaves two rows for one (run, step).
 */
export const KEYED_EFFECTS_DDL = `
  CREATE TABLE IF NOT EXISTS keyed_effects (
    key        text    PRIMARY KEY,
    run_id     text    NOT NULL,
    step       text    NOT NULL,
    deliveries integer NOT NULL DEFAULT 1
  );
  CREATE INDEX IF NOT EXISTS keyed_effects_run_step_idx ON keyed_effects (run_id, step)`;

/** What a step body returns, and so what its journal row holds: who executed it. */
export interface ExecutionProof {
  pid: number;
  execution: number;
}

/** Which step execution to record. */
export interface ExecutionKey {
  runId: string;
  step: string;
  seq: number;
  attempt: number;
}

const RETRIES = 20;

/**
 * Records step executions from inside a worker process. Statements are retried while the connection is
 * being replaced (the tests terminate backends), so a lost connection does not fail the step itself.
 * @example
 * const recorder = new ExecutionRecorder(url);
 * const proof = await recorder.record({ runId, step: "a", seq: 0, attempt: 1 }, 50);
 */
export class ExecutionRecorder {
  private readonly pool: pg.Pool;

  constructor(url: string, size = 5) {
    this.pool = new pg.Pool({ connectionString: url, max: size });
    this.pool.on("error", () => {});
  }

  /** Opens an execution row, waits `ms` (the step's work), closes the row. */
  async record(key: ExecutionKey, ms: number): Promise<ExecutionProof> {
    const { rows } = await this.query<{ id: string }>(
      "INSERT INTO step_executions (run_id, step, seq, attempt, pid) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [key.runId, key.step, key.seq, key.attempt, process.pid],
    );
    const execution = Number(rows[0]?.id);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    await this.query("UPDATE step_executions SET ended_at = clock_timestamp() WHERE id = $1", [execution]);
    return { pid: process.pid, execution };
  }

  /** Presents `key` to `keyed_effects` (the table must exist): a new key adds a row, a known one counts. */
  async applyEffect(key: string, runId: string, step: string): Promise<void> {
    await this.query(
      `INSERT INTO keyed_effects (key, run_id, step) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET deliveries = keyed_effects.deliveries + 1`,
      [key, runId, step],
    );
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.query<R>(text, values);
      } catch (error) {
        if (attempt >= RETRIES || !isConnectionLoss(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }
}

/** A terminated backend, a restart or a refused connection: worth another try on a new connection. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (code.startsWith("57P") || code.startsWith("08"))) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /terminat|Connection|ECONNRE|not queryable|EPIPE/i.test(message);
}
