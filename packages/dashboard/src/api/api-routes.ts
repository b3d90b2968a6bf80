import { type Client, RunNotFoundError, type Store, TERMINAL_STATUSES, ValidationError } from "@durable/core";
import { Hono } from "hono";
import { exportText } from "../pages/journal-json.js";
import { loadRunView } from "../views/load-run-view.js";
import { listRuns, parseRunsQuery } from "../views/runs-query.js";
import { badRequest, errorResponse } from "./error-response.js";
import { liveRun } from "./live-route.js";
import { readJsonBody } from "./read-json-body.js";
import { entryJson, runJson } from "./to-json.js";

/** What the API reads and changes runs through. */
export interface ApiDeps {
  client: Client;
  store?: Store;
  /** How often a run's live stream looks for changes the store does not announce (ms). */
  livePollMs?: number;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw badRequest(field, "must be a string");
  return value;
}

/**
 * The JSON API: `GET /api/runs` (the list's filters: `status`, `workflow`, `tag=k=v`, `after`, `before`,
 * `q`, `limit`) → `{ runs, counts }`; `GET /api/runs/<id>` → `{ run, journal, children }`;
 * `GET /api/runs/<id>/export` → the canonical export (as `durable export` writes it);
 * `GET /api/runs/<id>/live` → server-sent events while the run changes (see `liveRun`); and the actions,
 * each a `POST` with a JSON body answering `{ run }` (the run after the change; for `fork`, the new run):
 * `cancel` (`{ reason? }`), `retry`, `fork` (`{ fromSeq, id? }`) and `events` (`{ name, payload? }`).
 * Errors answer `{ error: { code, message } }` with a 4xx status.
 * @example
 * app.route("/api", apiRoutes({ client, store }));
 */
export function apiRoutes(deps: ApiDeps): Hono {
  const { client } = deps;
  const api = new Hono();
  api.onError((error, c) => errorResponse(c, error));
  readRoutes(api, deps);
  actionRoutes(api, client);
  return api;
}

/** `GET /runs`, `GET /runs/<id>`, its export and its live stream. */
function readRoutes(api: Hono, deps: ApiDeps): void {
  const { client, store } = deps;
  api.get("/runs", async (c) => {
    const query = parseRunsQuery(new URL(c.req.url).searchParams);
    if (query.issues.length > 0) {
      const issues = query.issues;
      throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
    }
    const result = await listRuns(client, query);
    return c.json({ runs: result.runs.map(runJson), counts: result.counts, capped: result.capped });
  });

  api.get("/runs/:id", async (c) => {
    const id = c.req.param("id");
    const view = await loadRunView(client, store, id);
    if (!view) throw new RunNotFoundError(id);
    return c.json({
      run: runJson(view.run),
      journal: view.journal.map(entryJson),
      children: view.children.map(runJson),
      ...(view.waiting ? { waitingFor: view.waiting.events } : {}),
    });
  });

  api.get("/runs/:id/export", async (c) => {
    const id = c.req.param("id");
    const text = exportText(await client.exportJournal(id));
    const file = `${id.replace(/[^\w.-]+/g, "_")}.journal.json`;
    return c.body(text, 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`${id}.journal.json`)}`,
    });
  });

  api.get("/runs/:id/live", (c) =>
    liveRun(c, { client, ...(store ? { store } : {}), pollMs: deps.livePollMs ?? 1000 }),
  );
}

/** The actions: `POST /runs/<id>/cancel`, `retry`, `fork` and `events`. */
function actionRoutes(api: Hono, client: Client): void {
  api.post("/runs/:id/cancel", async (c) => {
    const id = c.req.param("id");
    const reason = optionalString(await readJsonBody(c), "reason") ?? "cancelled from the dashboard";
    const before = await client.get(id);
    if (!before) throw new RunNotFoundError(id);
    if (TERMINAL_STATUSES.includes(before.status)) {
      throw new ValidationError(`run ${id} is ${before.status}; there is nothing to cancel`, [
        { path: "status", message: `is ${before.status}` },
      ]);
    }
    return c.json({ run: runJson(await client.cancel(id, reason)) });
  });

  api.post("/runs/:id/retry", async (c) => {
    await readJsonBody(c);
    return c.json({ run: runJson(await client.retry(c.req.param("id"))) });
  });

  api.post("/runs/:id/fork", async (c) => {
    const body = await readJsonBody(c);
    const fromSeq =
      typeof body.fromSeq === "string" && body.fromSeq !== "" ? Number(body.fromSeq) : body.fromSeq;
    if (typeof fromSeq !== "number" || !Number.isInteger(fromSeq) || fromSeq < 0) {
      throw badRequest("fromSeq", "must be a whole number of at least 0");
    }
    const newId = optionalString(body, "id");
    const run = await client.fork(c.req.param("id"), { fromSeq, ...(newId ? { id: newId } : {}) });
    return c.json({ run: runJson(run) }, 201);
  });

  api.post("/runs/:id/events", async (c) => {
    const id = c.req.param("id");
    const body = await readJsonBody(c);
    const name = optionalString(body, "name");
    if (name === undefined) throw badRequest("name", "is required: the event's name");
    await client.sendEvent(id, name, body.payload);
    const run = await client.get(id);
    if (!run) throw new RunNotFoundError(id);
    return c.json({ run: runJson(run) });
  });
}
