import { CliError } from "../cli-error.js";
import { type DatabaseTarget, maskUrl } from "./database-target.js";

// What to try next, by the driver's error code (a Node socket error or a Postgres SQLSTATE).
const HINTS: Record<string, string> = {
  ECONNREFUSED: "is the server running?",
  ECONNRESET: "the server closed the connection; is it a Postgres server?",
  ENOTFOUND: "is the host name right?",
  EAI_AGAIN: "is the host name right, and the DNS reachable?",
  ETIMEDOUT: "is the server reachable from here (a firewall, a VPN)?",
  EHOSTUNREACH: "is the server reachable from here (a firewall, a VPN)?",
  "28P01": "check the user and the password",
  "28000": "check the user, and that pg_hba.conf lets it in",
  "3D000": "create the database (createdb) or fix the URL",
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  // An AggregateError (every address of a host refused) carries the code on its parts.
  const errors = (error as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? codeOf(errors[0]) : undefined;
}

/**
 * A connection failure rewritten to name the database (password masked), where its URL came from, and
 * what to try; any other error unchanged.
 * @example
 * explainDatabaseError(new Error("connect ECONNREFUSED 127.0.0.1:5432"), target);
 * // cannot connect to postgres://app:***@db:5432/app (from DATABASE_URL): connect ECONNREFUSED ...; is the server running?
 */
export function explainDatabaseError(error: unknown, target: DatabaseTarget): unknown {
  if (target.kind !== "postgres") return error;
  const code = codeOf(error);
  const hint = code === undefined ? undefined : HINTS[code];
  if (hint === undefined) return error;
  const message = error instanceof Error && error.message !== "" ? error.message : String(code);
  const failure = new CliError(
    `cannot connect to ${maskUrl(target.url)} (from ${target.source}): ${message}; ${hint}`,
  );
  failure.cause = error;
  return failure;
}

/**
 * Runs `fn`, turning a connection failure into an error that names the database and where its URL came from.
 * @example
 * const runs = await withDatabaseErrors(target, () => client.list());
 */
export async function withDatabaseErrors<T>(target: DatabaseTarget, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw explainDatabaseError(error, target);
  }
}
