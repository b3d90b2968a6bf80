import { Hono } from "hono";
import type { DashboardDeps } from "../deps.js";
import { html } from "../html/escape-html.js";
import { loadRunView } from "../views/load-run-view.js";
import { loadSchedules } from "../views/load-schedules.js";
import { loadWorkers } from "../views/load-workers.js";
import { listRuns, parseRunsQuery } from "../views/runs-query.js";
import { describeWorkflow, loadWorkflowCatalog } from "../views/workflow-catalog.js";
import { layout } from "./layout.js";
import { runDetailPage } from "./run-detail.js";
import { runsListPage } from "./runs-list.js";
import { schedulesPage } from "./schedules-page.js";
import { workersPage } from "./workers-page.js";
import { workflowPage } from "./workflow-page.js";
import { workflowsPage } from "./workflows-page.js";

/** What the pages read runs through, and where the dashboard is mounted. */
export type PageDeps = DashboardDeps;

/**
 * The HTML pages: `/` (runs, filtered by the query string), `/runs/<id>` (one run), `/workflows` and
 * `/workflows/<name>` (schemas, counts, the start form), `/schedules`, `/workers` (workers, leases,
 * queues, held runs). Unknown runs and workflows get a 404 page.
 * @example
 * app.route("/", pageRoutes(deps));
 */
export function pageRoutes(deps: PageDeps): Hono {
  const { client, store, base } = deps;
  const pages = new Hono();
  const notFound = (what: string, back: string, backText: string) =>
    layout({
      base,
      title: "Not found",
      section: "run",
      live: false,
      body: html`<div class="page-head"><h1>Not found</h1></div><div class="card"><p>${what}</p><p><a href="${base}${back}">${backText}</a></p></div>`,
    }).value;

  pages.get("/", async (c) => {
    const query = parseRunsQuery(new URL(c.req.url).searchParams);
    const result = await listRuns(client, query);
    return c.html(runsListPage(base, query, result).value);
  });

  pages.get("/runs/:id", async (c) => {
    const id = c.req.param("id");
    const view = await loadRunView(client, store, id);
    if (!view) {
      const what = `No run has the id “${id}” (it was never started, or it was pruned).`;
      return c.html(notFound(what, "/", "Back to the runs"), 404);
    }
    return c.html(runDetailPage(base, view, deps.workflows.get(view.run.workflow)).value);
  });

  pages.get("/workflows", async (c) => c.html(workflowsPage(base, await loadWorkflowCatalog(deps)).value));

  pages.get("/workflows/:name", async (c) => {
    const name = c.req.param("name");
    const wf = deps.workflows.get(name);
    if (!wf) {
      const what = `The dashboard knows no workflow “${name}”: it shows the workflows it was given.`;
      return c.html(notFound(what, "/workflows", "Back to the workflows"), 404);
    }
    const [summary, recent] = await Promise.all([
      describeWorkflow(deps, wf),
      client.list({ workflow: name, limit: 10 }),
    ]);
    return c.html(workflowPage(base, summary, recent).value);
  });

  pages.get("/schedules", async (c) =>
    c.html(schedulesPage(base, await loadSchedules(deps.schedules, client, store)).value),
  );

  pages.get("/workers", async (c) => {
    const view = store ? await loadWorkers(store, [...deps.workflows.values()]) : undefined;
    return c.html(workersPage(base, view).value);
  });

  return pages;
}
