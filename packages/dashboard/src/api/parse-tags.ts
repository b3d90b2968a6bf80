import { badRequest } from "./error-response.js";

/**
 * Run tags from a request body: an object of strings, or text with one `key=value` a line (or separated
 * by commas), as the start form sends it. Anything else is a `ValidationError` on `tags`.
 * @example
 * parseTags("customer=c-9\nteam=growth"); // { customer: "c-9", team: "growth" }
 */
export function parseTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") {
    const tags: Record<string, string> = {};
    for (const part of value.split(/[\n,]/).map((p) => p.trim())) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      if (eq <= 0) throw badRequest("tags", `"${part}" is not key=value`);
      tags[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    return Object.keys(tags).length === 0 ? undefined : tags;
  }
  if (typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v === "string"))
      return Object.fromEntries(entries) as Record<string, string>;
  }
  throw badRequest("tags", "must be an object of strings, or key=value lines");
}
