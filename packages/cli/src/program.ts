import { createRequire } from "node:module";
import { Command } from "commander";
import { registerCancel } from "./commands/cancel.js";
import { registerCompletion } from "./commands/completion.js";
import { registerDashboard } from "./commands/dashboard.js";
import { registerDev } from "./commands/dev.js";
import { registerExport } from "./commands/export.js";
import { registerFork } from "./commands/fork.js";
import { registerInit } from "./commands/init.js";
import { registerMigrate } from "./commands/migrate.js";
import { registerPrune } from "./commands/prune.js";
import { registerReplay } from "./commands/replay.js";
import { registerRetry } from "./commands/retry.js";
import { registerRuns } from "./commands/runs.js";
import { registerSendEvent } from "./commands/send-event.js";
import { registerShow } from "./commands/show.js";
import { registerStart } from "./commands/start.js";
import { registerWorker } from "./commands/worker.js";
import type { DevService } from "./dev/dev-services.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

/** Options of `createProgram`. */
export interface ProgramOptions {
  /** Services `durable dev` runs beside its worker (the dashboard). */
  devServices?: readonly DevService[];
}

/**
 * The `durable` program with every command. Commander's exits are turned into exceptions (see `main`).
 * @example
 * await createProgram().parseAsync(["node", "durable", "runs", "--json"]);
 */
export function createProgram(options: ProgramOptions = {}): Command {
  const program = new Command("durable")
    .description("durable functions for TypeScript: run workers, start and inspect runs")
    .version(version)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerWorker(program);
  registerDev(program, options.devServices);
  registerMigrate(program);
  registerStart(program);
  registerRuns(program);
  registerShow(program);
  registerSendEvent(program);
  registerCancel(program);
  registerRetry(program);
  registerFork(program);
  registerDashboard(program);
  registerExport(program);
  registerReplay(program);
  registerPrune(program);
  registerInit(program);
  registerCompletion(program);
  return program;
}
