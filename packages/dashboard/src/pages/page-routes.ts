import type { Client, Store } from "@durable/core";
import { Hono } from "hono";
import { html } from "../html/escape-html.js";
import { loadRunView } from "../views/load-run-view.js";
import { listRuns, parseRunsQuery } from "../views/runs-query.js";
import { layout } from "./layout.js";
import { runDetailPage } from "./run-detail.js";
import { runsListPage } from "./runs-list.js";

/** What the pages read runs through, and where the dashboard is mounted. */
export interface PageDeps {
  client: Client;
  store?: Store;
  base: string;
}

/**
 * The HTML pages: `/` (runs, filtered by the query string) and `/runs/<id>` (one run; an unknown run gets
 * a 404 page).
 * @example
 * app.route("/", pageRoutes({ client, base: "" }));
 */
export function pageRoutes(deps: PageDeps): Hono {
  const { client, store, base } = deps;
  const pages = new Hono();
  const notFound = (what: string) =>
    layout({
      base,
      title: "Not found",
      section: "run",
      live: false,
      body: html`<div class="page-head"><h1>Not found</h1></div><div class="card"><p>${what}</p><p><a href="${base}/">Back to the runs</a></p></div>`,
    }).value;

  pages.get("/", async (c) => {
    const query = parseRunsQuery(new URL(c.req.url).searchParams);
    const result = await listRuns(client, query);
    return c.html(runsListPage(base, query, result).value);
  });

  pages.get("/runs/:id", async (c) => {
    const id = c.req.param("id");
    const view = await loadRunView(client, store, id);
    if (!view)
      return c.html(notFound(`No run has the id “${id}” (it was never started, or it was pruned).`), 404);
    return c.html(runDetailPage(base, view).value);
  });

  return pages;
}
