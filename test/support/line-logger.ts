import type { Logger } from "@durable/core";

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 } as const;
type Level = keyof typeof LEVELS;

/**
 * A logger that writes JSON lines to stderr from `level` up, so a test can show what a worker process said.
 * @example
 * new Worker({ store, workflows, logger: lineLogger("warn") });
 */
export function lineLogger(level: Level, bindings: Record<string, unknown> = {}): Logger {
  const at =
    (name: Level) =>
    (obj: unknown, msg?: string): void => {
      if (LEVELS[name] < LEVELS[level]) return;
      const fields = obj instanceof Error ? { err: obj.message } : (obj as Record<string, unknown>);
      process.stderr.write(`${JSON.stringify({ level: name, ...bindings, ...fields, msg }, replacer)}\n`);
    };
  return {
    trace: at("trace"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => lineLogger(level, { ...bindings, ...more }),
  };
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
