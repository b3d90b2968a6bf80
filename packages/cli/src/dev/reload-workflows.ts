import { relative } from "node:path";
import { Client } from "@durable/core";
import { loadedUserFiles } from "../config/load-config.js";
import type { Session } from "../session.js";
import { startWorker, type WorkerFlags, type WorkerHost, workerWorkflows } from "../worker-host.js";
import { watchFiles } from "./watch-files.js";

/** What `reloadOnChange` takes. */
export interface ReloadOptions {
  session: Session;
  flags: WorkerFlags;
  /** The running worker; its `worker`, `workflows` and `client` are replaced at each reload. */
  host: WorkerHost;
  print: (line: string) => void;
  /** Called after each reload that succeeded. */
  onReloaded?: (host: WorkerHost) => Promise<void> | void;
}

function shown(files: readonly string[]): string {
  return files.map((f) => relative(process.cwd(), f) || f).join(", ");
}

/**
 * Watches the project's files that the workflows were loaded from (the workflow modules and what they
 * import, outside node_modules) and, when one changes, imports them afresh and swaps the worker in
 * process: the old one drains gracefully (running steps finish within the grace, its runs are released),
 * then a new one runs the new code. Code that fails to load is reported and the old worker keeps running.
 * @example
 * const reloader = reloadOnChange({ session, flags, host, print });
 * await reloader.stop();
 */
export function reloadOnChange(options: ReloadOptions): { stop(): Promise<void> } {
  const { session, host, print } = options;
  let closed = false;
  let watcher = watchFiles({ files: loadedUserFiles(), onChange: (files) => schedule(files) });
  let chain: Promise<void> = Promise.resolve();

  const reload = async (changed: string[]) => {
    if (closed) return;
    const config = session.loaded.file;
    if (changed.includes(config)) print(`${shown([config])} changed: restart durable dev to apply it`);
    const files = changed.filter((f) => f !== config);
    if (files.length === 0) return;
    print(`${shown(files)} changed: reloading workflows`);
    let workflows: Awaited<ReturnType<typeof workerWorkflows>>;
    try {
      workflows = await workerWorkflows(session, options.flags, { fresh: true });
    } catch (error) {
      print(`reload failed, the worker keeps the code it had: ${(error as Error).message}`);
      return;
    } finally {
      watcher.close();
      if (!closed) watcher = watchFiles({ files: loadedUserFiles(), onChange: (f) => schedule(f) });
    }
    await host.worker.stop({ graceMs: host.graceMs });
    if (closed) return;
    host.worker = await startWorker(session, host.db, workflows, options.flags);
    host.workflows = workflows;
    host.client = new Client({ store: host.db.store, workflows });
    await options.onReloaded?.(host);
    print(`reloaded: worker running ${workflows.map((w) => w.name).join(", ") || "no workflows"}`);
  };

  // One reload at a time, in order: a save during a reload reloads again after it.
  const schedule = (files: string[]) => {
    chain = chain
      .then(() => reload(files))
      .catch((error) => {
        session.logger.error({ err: error }, "reloading the workflows failed");
      });
  };

  return {
    stop: async () => {
      closed = true;
      watcher.close();
      await chain;
    },
  };
}
