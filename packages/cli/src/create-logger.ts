import type { Logger } from "@durable/core";
import { pino } from "pino";
import PinoPretty from "pino-pretty";

/** The levels `--log-level` takes. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** What `createLogger` takes. */
export interface LoggerOptions {
  level: string;
  /** Pretty lines for a person (a TTY); JSON lines otherwise. */
  pretty: boolean;
  /** Keep payloads (inputs, outputs, results, event payloads) in log records; redacted by default. */
  payloads: boolean;
}

// Fields that carry user data, at the top of a record or one level down (`{ run: { input } }`).
const PAYLOAD_FIELDS = ["input", "output", "payload", "result", "value"];
const REDACT_PATHS = [...PAYLOAD_FIELDS, ...PAYLOAD_FIELDS.map((f) => `*.${f}`)];

/**
 * The CLI's logger: pino to stderr (stdout is for a command's own output), JSON lines or pretty lines.
 * @example
 * const log = createLogger({ level: "info", pretty: process.stderr.isTTY, payloads: false });
 */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { pid: process.pid },
    ...(options.payloads
      ? {}
      : { redact: { paths: REDACT_PATHS, censor: "[redacted; --log-payloads shows it]" } }),
  };
  if (options.pretty) {
    return pino(base, PinoPretty({ destination: 2, sync: true, colorize: true, ignore: "pid,hostname" }));
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}
