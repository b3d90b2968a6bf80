import type { Logger } from "@durable/core";

/**
 * A logger that prints errors and counts warnings by message and error message (run ids stripped), so a benchmark's output
 * stays readable while still saying what the worker complained about.
 * @example
 * const logger = countingLogger(); ...; logger.warnings(); // Map { "lost the lease on run <id>; dropping it" => 212 }
 */
export function countingLogger(counts = new Map<string, number>()): Logger & {
  warnings(): Map<string, number>;
} {
  const warn = (obj: unknown, msg?: string) => {
    const err = (obj as { err?: { message?: unknown } } | undefined)?.err?.message;
    const text = `${msg ?? ""}${typeof err === "string" ? ` (${err})` : ""}`;
    const key = text.replace(/run \S+?(;|:|\s|$)/g, "run <id>$1");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const logger = {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn,
    error: (obj: unknown, msg?: string) => {
      warn(obj, msg);
      console.error(msg, obj);
    },
    child: () => logger,
    warnings: () => counts,
  };
  return logger;
}
