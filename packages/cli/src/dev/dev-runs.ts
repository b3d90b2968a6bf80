import type { AnyWorkflow, Client, Logger } from "@durable/core";
import type { DevRun } from "../config/define-config.js";

/**
 * The id of each `dev.runs` entry: its own `id`, else `dev:<workflow>` (`dev:<workflow>:<n>` when the
 * workflow is listed more than once). Stable ids make a restart of `durable dev` find the runs it started
 * before, instead of starting a second copy of each.
 * @example
 * devRunIds([{ workflow: "hello" }, { workflow: "approval" }, { workflow: "approval" }]);
 * // ["dev:hello", "dev:approval:1", "dev:approval:2"]
 */
export function devRunIds(runs: readonly DevRun[]): string[] {
  const total = new Map<string, number>();
  for (const run of runs) total.set(run.workflow, (total.get(run.workflow) ?? 0) + 1);
  const seen = new Map<string, number>();
  return runs.map((run) => {
    if (run.id !== undefined) return run.id;
    const n = (seen.get(run.workflow) ?? 0) + 1;
    seen.set(run.workflow, n);
    return (total.get(run.workflow) ?? 0) > 1 ? `dev:${run.workflow}:${n}` : `dev:${run.workflow}`;
  });
}

/**
 * Starts the config's `dev.runs` (idempotently, by their stable ids) and returns how many were new.
 * @example
 * await startDevRuns(client, workflows, config.dev?.runs ?? [], logger);
 */
export async function startDevRuns(
  client: Client,
  workflows: readonly AnyWorkflow[],
  runs: readonly DevRun[],
  logger: Logger,
): Promise<{ created: number; existing: number }> {
  const ids = devRunIds(runs);
  let created = 0;
  let started = 0;
  for (const [index, run] of runs.entries()) {
    const workflow = workflows.find((w) => w.name === run.workflow);
    if (!workflow) {
      logger.warn({ workflow: run.workflow }, `dev.runs names unknown workflow "${run.workflow}"; skipped`);
      continue;
    }
    const id = ids[index] as string;
    const before = await client.get(id);
    await client.start(workflow, run.input, { id, ...(run.tags !== undefined ? { tags: run.tags } : {}) });
    started += 1;
    if (!before) created += 1;
  }
  return { created, existing: started - created };
}
