import { DurableError } from "@durable/core";
import { Hono } from "hono";
import type { DashboardDeps } from "../deps.js";
import { loadSchedules } from "../views/load-schedules.js";
import { loadWorkers } from "../views/load-workers.js";
import { describeWorkflow, loadWorkflowCatalog } from "../views/workflow-catalog.js";
import { badRequest, errorResponse } from "./error-response.js";
import { parseTags } from "./parse-tags.js";
import { readJsonBody } from "./read-json-body.js";
import { runJson } from "./to-json.js";

function workflowOf(deps: DashboardDeps, name: string) {
  const wf = deps.workflows.get(name);
  if (!wf) {
    const known = [...deps.workflows.keys()].join(", ") || "none";
    throw new DurableError(
      "workflow_not_found",
      `the dashboard knows no workflow "${name}" (it knows: ${known}); list it in the config's workflows`,
    );
  }
  return wf;
}

/**
 * The JSON API of workflows, schedules and workers: `GET /workflows` → `{ workflows }` (schemas as JSON
 * Schema, runs per status); `GET /workflows/<name>`; `POST /workflows/<name>/runs` with
 * `{ input?, id?, tags? }` starts a run, the input validated by the workflow's schema (`201 { run,
 * created }`; a `ValidationError` names each field as `input.<field>`); `GET /schedules` →
 * `{ schedules }`; `GET /workers` → `{ workers, queues, held }` (404 without the store).
 * @example
 * app.route("/api", catalogRoutes(deps));
 */
export function catalogRoutes(deps: DashboardDeps): Hono {
  const api = new Hono();
  api.onError((error, c) => errorResponse(c, error));

  api.get("/workflows", async (c) => c.json({ workflows: await loadWorkflowCatalog(deps) }));

  api.get("/workflows/:name", async (c) =>
    c.json({ workflow: await describeWorkflow(deps, workflowOf(deps, c.req.param("name"))) }),
  );

  api.post("/workflows/:name/runs", async (c) => {
    const wf = workflowOf(deps, c.req.param("name"));
    const body = await readJsonBody(c);
    const id = body.id === undefined || body.id === null || body.id === "" ? undefined : body.id;
    if (id !== undefined && typeof id !== "string") throw badRequest("options.id", "must be a string");
    const tags = parseTags(body.tags);
    const existing = id === undefined ? undefined : await deps.client.get(id);
    const handle = await deps.client.start(wf, body.input, {
      ...(id !== undefined ? { id } : {}),
      ...(tags ? { tags } : {}),
    });
    const run = await deps.client.get(handle.id);
    return c.json({ run: run ? runJson(run) : { id: handle.id }, created: existing === undefined }, 201);
  });

  api.get("/schedules", async (c) => {
    const { rows } = await loadSchedules(deps.schedules, deps.client, deps.store);
    return c.json({
      schedules: rows.map(({ lastRun, ...row }) => ({
        ...row,
        ...(lastRun ? { lastRun: runJson(lastRun) } : {}),
      })),
    });
  });

  api.get("/workers", async (c) => {
    if (!deps.store) {
      const message = "the dashboard was not given the store, so it cannot read leases";
      return c.json({ error: { code: "not_found", message } }, 404);
    }
    const view = await loadWorkers(deps.store, [...deps.workflows.values()]);
    return c.json({
      now: view.now,
      workers: view.workers,
      queues: view.queues,
      held: view.held.map((r) => ({
        id: r.id,
        workflow: r.workflow,
        queue: r.queue,
        heldBy: r.heldBy,
        wakeAt: r.wakeAt,
      })),
      truncated: view.truncated,
    });
  });

  return api;
}
