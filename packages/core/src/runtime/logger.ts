import { pino } from "pino";
import type { Logger } from "../workflow/context.js";

/**
 * The default logger: pino JSON lines at `DURABLE_LOG_LEVEL` (default `info`).
 * @example
 * const log = defaultLogger().child({ component: "worker" });
 */
export function defaultLogger(): Logger {
  return pino({ level: process.env.DURABLE_LOG_LEVEL ?? "info" });
}

/**
 * A logger that drops everything.
 * @example
 * new Worker({ store, workflows, logger: silentLogger });
 */
export const silentLogger: Logger = pino({ level: "silent" });
