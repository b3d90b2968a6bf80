import { type Client, isTerminalStatus, RunNotFoundError, type Store } from "@durable/core";
import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import { liveKey, loadRunView } from "../views/load-run-view.js";

/** What the live stream reads a run through, and how often it looks when nothing is announced. */
export interface LiveDeps {
  client: Client;
  store?: Store;
  /** Milliseconds between looks (store announcements wake it sooner). */
  pollMs: number;
}

// Wakes the stream's loop after `pollMs`, or sooner when the store announces something about this run
// (or new work), but never more often than every `MIN_GAP_MS`: a busy store announces a lot.
const MIN_GAP_MS = 200;

function changeSignal(store: Store | undefined, runId: string, signal: AbortSignal) {
  let poke: (() => void) | undefined;
  let announced = false;
  const unsubscribe = store?.subscribe((n) => {
    if (n.type !== "wake" && n.runId !== runId) return;
    announced = true;
    poke?.();
  });
  signal.addEventListener("abort", () => {
    unsubscribe?.();
    poke?.();
  });
  return (pollMs: number) =>
    new Promise<void>((resolve) => {
      const started = Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        clearTimeout(timer);
        poke = undefined;
        announced = false;
        resolve();
      };
      timer = setTimeout(finish, pollMs);
      poke = () => {
        poke = undefined;
        clearTimeout(timer);
        if (signal.aborted) finish();
        else timer = setTimeout(finish, Math.max(0, MIN_GAP_MS - (Date.now() - started)));
      };
      if (announced || signal.aborted) poke();
    });
}

async function follow(
  stream: SSEStreamingApi,
  deps: LiveDeps,
  id: string,
  signal: AbortSignal,
  nextChange: (pollMs: number) => Promise<void>,
): Promise<void> {
  let last: string | undefined;
  while (!signal.aborted) {
    const view = await loadRunView(deps.client, deps.store, id);
    if (!view) {
      await stream.writeSSE({ event: "end", data: JSON.stringify({ status: "pruned" }) });
      return;
    }
    const key = liveKey(view);
    if (key !== last) {
      last = key;
      const data = JSON.stringify({ key, status: view.run.status, entries: view.journal.length });
      await stream.writeSSE({ event: "run", data });
    }
    if (isTerminalStatus(view.run.status)) {
      await stream.writeSSE({ event: "end", data: JSON.stringify({ status: view.run.status }) });
      return;
    }
    await nextChange(deps.pollMs);
  }
}

/**
 * `GET /api/runs/<id>/live`: server-sent events for a run's page. Event `run` carries
 * `{ key, status, entries }` at once and again whenever the key (`liveKey`) changes; event `end` follows
 * when the run has finished, and the stream closes. An unknown run is a 404 before the stream opens.
 * @example
 * api.get("/runs/:id/live", (c) => liveRun(c, { client, store, pollMs: 1000 }));
 */
export async function liveRun(c: Context, deps: LiveDeps): Promise<Response> {
  const id = c.req.param("id") as string;
  if (!(await deps.client.get(id))) throw new RunNotFoundError(id);
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    try {
      await follow(stream, deps, id, abort.signal, changeSignal(deps.store, id, abort.signal));
    } finally {
      abort.abort();
    }
  });
}
