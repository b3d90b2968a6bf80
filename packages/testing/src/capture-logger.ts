import type { Logger } from "@durable/core";

/** The levels a durable logger writes, lowest first. */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** One line a captured logger received: its level, message and fields (bindings included). */
export interface LogRecord {
  level: LogLevel;
  msg: string | undefined;
  fields: Record<string, unknown>;
}

const LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error"];

/**
 * A logger that keeps what it receives in `records` (from `minLevel` up), for tests that look at what the
 * runtime said: determinism warnings, activation failures.
 * @example
 * const records: LogRecord[] = [];
 * new Worker({ store, workflows, logger: captureLogger(records, "warn") });
 * records.filter((r) => r.fields.api === "Math.random()");
 */
export function captureLogger(records: LogRecord[], minLevel: LogLevel = "debug"): Logger {
  const floor = LEVELS.indexOf(minLevel);
  const make = (bindings: Record<string, unknown>): Logger => {
    const write = (level: LogLevel) => (obj: unknown, msg?: string) => {
      if (LEVELS.indexOf(level) < floor) return;
      const own = typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>) : { value: obj };
      records.push({
        level,
        msg: msg ?? (typeof obj === "string" ? obj : undefined),
        fields: { ...bindings, ...own },
      });
    };
    return {
      trace: write("trace"),
      debug: write("debug"),
      info: write("info"),
      warn: write("warn"),
      error: write("error"),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return make({});
}
