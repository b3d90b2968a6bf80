import type { Client, RunStatus } from "@durable/core";
import { STATUSES } from "../pages/status-badge.js";
import { COUNT_CAP } from "./runs-query.js";

/** Runs per status, at most `COUNT_CAP` each; `capped` lists the statuses whose count is a lower bound. */
export interface StatusCounts {
  counts: Record<RunStatus, number>;
  capped: RunStatus[];
  total: number;
}

/**
 * Counts a workflow's runs per status (one `client.list` per status).
 * @example
 * const { counts } = await countByStatus(client, "onboarding"); // counts.failed
 */
export async function countByStatus(client: Client, workflow: string): Promise<StatusCounts> {
  const lists = await Promise.all(
    STATUSES.map((status) => client.list({ workflow, status, limit: COUNT_CAP })),
  );
  const counts = {} as Record<RunStatus, number>;
  const capped: RunStatus[] = [];
  let total = 0;
  STATUSES.forEach((status, i) => {
    const n = lists[i]?.length ?? 0;
    counts[status] = n;
    total += n;
    if (n >= COUNT_CAP) capped.push(status);
  });
  return { counts, capped, total };
}
