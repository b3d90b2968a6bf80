import pg from "pg";

/** The driver's own connections: every statement is retried while the server restarts or kills backends. */
export interface AdminPool {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Ends every connection of the database except the one that asks; resolves to how many it ended. */
  terminateBackends(): Promise<number>;
  close(): Promise<void>;
}

const RETRY_FOR_MS = 60_000;

/**
 * @example
 * const admin = adminPool(databaseUrl, "durable_proc_ab12");
 * const rows = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM durable.runs");
 */
export function adminPool(url: string, database: string): AdminPool {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on("error", () => {});
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    const deadline = Date.now() + RETRY_FOR_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await pool.query<R>(text, values)).rows;
      } catch (error) {
        if (Date.now() > deadline || !isConnectionLoss(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1_000)));
      }
    }
  };
  return {
    query,
    async terminateBackends() {
      const rows = await query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database],
      );
      return rows[0]?.n ?? 0;
    },
    close: () => pool.end(),
  };
}

/** A terminated backend, a restart or a refused connection: worth another try. */
export function isConnectionLoss(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause !== undefined && cause !== error && isConnectionLoss(cause)) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && (code.startsWith("57P") || code.startsWith("08"))) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /terminat|Connection|ECONNRE|not queryable|EPIPE|shutting down|starting up|recovery/i.test(message);
}

/**
 * Retries `fn` while it fails for a lost connection (the durable client's calls during a fault).
 * @example
 * await retryingConnection(() => client.sendEvent(runId, "go"));
 */
export async function retryingConnection<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline || !isConnectionLoss(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1_000)));
    }
  }
}
