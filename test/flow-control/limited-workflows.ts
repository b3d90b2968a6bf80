import { workflow } from "@durable/core";
import pg from "pg";
import { z } from "zod";

/** Where the workers note each step's execution: who ran it, and when (by the database's clock). */
export const EXECUTIONS_DDL = `CREATE TABLE IF NOT EXISTS executions (
  run_id text NOT NULL, tenant text NOT NULL, pid int NOT NULL,
  started timestamptz NOT NULL, ended timestamptz)`;

/**
 * `per-tenant`: at most two running runs per tenant (`concurrency: { limit: 2, key }`), each holding its
 * step for a while. `rate-limited`: at most five starts per two seconds.
 */
export function limitedWorkflows(databaseUrl: string) {
  const side = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  side.on("error", () => {});
  const perTenant = workflow(
    {
      name: "per-tenant",
      input: z.object({ tenant: z.string(), holdMs: z.number() }),
      concurrency: { limit: 2, key: (input) => input.tenant },
    },
    async (ctx, { tenant, holdMs }) =>
      ctx.call("work", async () => {
        const { rows } = await side.query<{ id: string }>(
          "INSERT INTO executions (run_id, tenant, pid, started) VALUES ($1, $2, $3, clock_timestamp()) RETURNING ctid::text AS id",
          [ctx.runId, tenant, process.pid],
        );
        await new Promise((resolve) => setTimeout(resolve, holdMs));
        await side.query("UPDATE executions SET ended = clock_timestamp() WHERE ctid = $1::tid", [
          rows[0]?.id,
        ]);
        return process.pid;
      }),
  );
  const rateLimited = workflow({ name: "rate-limited", rateLimit: { limit: 5, period: "2s" } }, async (ctx) =>
    ctx.call("ping", () => process.pid),
  );
  return { workflows: [perTenant, rateLimited], close: () => side.end() };
}
