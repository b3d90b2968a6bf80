import { afterEach, describe, expect, it } from "vitest";
import { createEnv, errorOf, journey, WORKFLOWS } from "../__tests__/harness.js";

let env: Awaited<ReturnType<typeof createEnv>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads server-sent events off a response, one at a time. */
function sseReader(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<SseEvent | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          return { event: field("event") ?? "message", data: JSON.parse(field("data") ?? "null") };
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe("a run's live stream", () => {
  it("sends the run's key at once, again when it changes, then ends when the run finishes", async () => {
    env = await createEnv({ workflows: WORKFLOWS, livePollMs: 20 });
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const res = await env.app.request(`/api/runs/${run.id}/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseReader(res);
    const first = await events.next();
    expect(first).toMatchObject({ event: "run", data: { status: "suspended", entries: 3 } });
    const page = await (await env.app.request(`/runs/${run.id}`)).text();
    expect(page).toContain(`data-live-key="${String(first?.data.key)}"`);

    await env.client.sendEvent(run.id, "approved", { by: "ann" });
    await env.until(run.id, ["completed"]);
    const seen: SseEvent[] = [];
    for (let e = await events.next(); e; e = await events.next()) seen.push(e);
    expect(seen.at(-1)).toEqual({ event: "end", data: { status: "completed" } });
    const last = seen.filter((e) => e.event === "run").at(-1);
    expect(last?.data).toMatchObject({ status: "completed", entries: 5 });
    expect(last?.data.key).not.toBe(first?.data.key);
  });

  it("ends at once for a finished run, and answers an unknown run with 404", async () => {
    env = await createEnv({ workflows: WORKFLOWS });
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    await env.client.cancel(run.id, "done with it");
    await env.until(run.id, ["cancelled"]);
    const events = sseReader(await env.app.request(`/api/runs/${run.id}/live`));
    expect((await events.next())?.event).toBe("run");
    expect(await events.next()).toEqual({ event: "end", data: { status: "cancelled" } });
    expect(await events.next()).toBeUndefined();
    const missing = await env.app.request("/api/runs/nope/live");
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe("run_not_found");
  });

  it("stops following when the page goes away", async () => {
    env = await createEnv({ workflows: WORKFLOWS, livePollMs: 20 });
    const run = await env.client.start(journey, { userId: "u1" });
    await env.waitingFor(run.id, "approved");
    const events = sseReader(await env.app.request(`/api/runs/${run.id}/live`));
    expect((await events.next())?.event).toBe("run");
    await events.cancel();
    await env.client.sendEvent(run.id, "approved", { by: "ann" });
    expect((await env.until(run.id, ["completed"])).status).toBe("completed");
  });
});
