// BigInts (which superjson revives in outputs and results) print as strings rather than throwing.
function replacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * Prints a value as pretty JSON on stdout: what `--json` prints.
 * @example
 * printJson({ id: "order:42", status: "completed" });
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, replacer, 2)}\n`);
}

/**
 * Prints a value as one line of JSON on stdout (for streams of records: `show --follow --json`).
 * @example
 * printJsonLine({ type: "entry", seq: 0 });
 */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, replacer)}\n`);
}

/**
 * Prints a line on stdout.
 * @example
 * printLine("order:42: cancelled");
 */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}
