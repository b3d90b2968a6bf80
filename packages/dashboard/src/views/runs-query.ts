import type { Client, ListFilter, RunInfo, RunStatus, ValidationIssue } from "@durable/core";
import { RUN_STATUSES } from "@durable/core";

const STATUS_SET = new Set<string>(RUN_STATUSES);

/** The runs list's filters, as read from a query string. */
export interface RunsQuery {
  status?: RunStatus;
  workflow?: string;
  /** `tag=key=value`, repeatable: all must match. */
  tags: Record<string, string>;
  /** Created strictly after / before. */
  after?: Date;
  before?: Date;
  /** Part of a run id. */
  q?: string;
  limit: number;
  /** Filters that could not be read; the rest still apply. */
  issues: ValidationIssue[];
}

/** Runs matching a query, with counts per status. */
export interface RunsResult {
  runs: RunInfo[];
  /** Runs per status under the same filters (status aside), at most `COUNT_CAP` each. */
  counts: Record<RunStatus, number>;
  /** Statuses whose count reached the cap (so it is a lower bound). */
  capped: RunStatus[];
  /** Workflow names seen while counting, sorted: for the workflow filter's suggestions. */
  workflows: string[];
}

/** The most runs counted per status (each count is one `client.list` call). */
export const COUNT_CAP = 1000;

// A time from a query string: ISO 8601, or a `datetime-local` value without a zone (taken as UTC, as the
// dashboard shows every time in UTC).
function parseTime(text: string): Date | undefined {
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text) || !text.includes("T") ? text : `${text}Z`;
  const date = new Date(/^\d{4}-\d\d-\d\d$/.test(zoned) ? `${zoned}T00:00:00Z` : zoned);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Reads the runs list's filters: `status`, `workflow`, `tag=k=v` (repeatable), `after`, `before`, `q` (part
 * of a run id) and `limit` (1 to 1,000, default 50). Unreadable filters are reported in `issues`.
 * @example
 * parseRunsQuery(new URLSearchParams("status=failed&tag=customer=c-9")); // { status: "failed", tags: { customer: "c-9" }, ... }
 */
export function parseRunsQuery(params: URLSearchParams): RunsQuery {
  const query: RunsQuery = { tags: {}, limit: 50, issues: [] };
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const status = text("status");
  if (status !== undefined) {
    if (STATUS_SET.has(status)) query.status = status as RunStatus;
    else query.issues.push({ path: "status", message: `"${status}" is not a run status` });
  }
  const workflow = text("workflow");
  if (workflow !== undefined) query.workflow = workflow;
  for (const tag of params
    .getAll("tag")
    .map((t) => t.trim())
    .filter(Boolean)) {
    const eq = tag.indexOf("=");
    if (eq <= 0) query.issues.push({ path: "tag", message: `"${tag}" is not key=value` });
    else query.tags[tag.slice(0, eq).trim()] = tag.slice(eq + 1).trim();
  }
  for (const field of ["after", "before"] as const) {
    const value = text(field);
    if (value === undefined) continue;
    const date = parseTime(value);
    if (date) query[field] = date;
    else query.issues.push({ path: field, message: `"${value}" is not a date and time` });
  }
  const q = text("q");
  if (q !== undefined) query.q = q;
  const limit = text("limit");
  if (limit !== undefined) {
    const n = Number(limit);
    if (Number.isInteger(n) && n >= 1 && n <= 1000) query.limit = n;
    else query.issues.push({ path: "limit", message: `"${limit}" is not a whole number from 1 to 1000` });
  }
  return query;
}

function baseFilter(query: RunsQuery): ListFilter {
  const filter: ListFilter = {};
  if (query.workflow !== undefined) filter.workflow = query.workflow;
  if (Object.keys(query.tags).length > 0) filter.tags = query.tags;
  if (query.before !== undefined) filter.before = query.before;
  return filter;
}

function matches(query: RunsQuery): (run: RunInfo) => boolean {
  const needle = query.q?.toLowerCase();
  return (run) =>
    (query.after === undefined || run.createdAt > query.after) &&
    (needle === undefined || run.id.toLowerCase().includes(needle));
}

/**
 * Lists the runs a query asks for (newest first) and counts runs per status under the same filters.
 * `after` and `q` are applied to what `client.list` returns, newest first, so they cut nothing the
 * limit would have kept; a search by id looks through the newest 1,000 matching runs, and an exact id
 * is found however old.
 * @example
 * const { runs, counts } = await listRuns(client, parseRunsQuery(url.searchParams));
 */
export async function listRuns(client: Client, query: RunsQuery): Promise<RunsResult> {
  const base = baseFilter(query);
  const keep = matches(query);
  const statuses = [...STATUS_SET] as RunStatus[];
  const [listed, exact, ...perStatus] = await Promise.all([
    client.list({
      ...base,
      ...(query.status ? { status: query.status } : {}),
      limit: query.q === undefined ? query.limit : COUNT_CAP,
    }),
    query.q === undefined ? Promise.resolve(undefined) : client.get(query.q),
    ...statuses.map((status) => client.list({ ...base, status, limit: COUNT_CAP })),
  ]);
  let runs = listed.filter(keep);
  const exactFits =
    exact !== undefined &&
    (query.status === undefined || exact.status === query.status) &&
    (query.workflow === undefined || exact.workflow === query.workflow) &&
    Object.entries(query.tags).every(([k, v]) => exact.tags[k] === v) &&
    (query.before === undefined || exact.createdAt < query.before) &&
    (query.after === undefined || exact.createdAt > query.after);
  if (exactFits && !runs.some((r) => r.id === exact.id)) runs = [exact, ...runs];
  const counts = {} as Record<RunStatus, number>;
  const capped: RunStatus[] = [];
  const workflows = new Set<string>();
  statuses.forEach((status, i) => {
    const all = perStatus[i] ?? [];
    for (const run of all) workflows.add(run.workflow);
    counts[status] = all.filter(keep).length;
    if (all.length >= COUNT_CAP) capped.push(status);
  });
  return { runs: runs.slice(0, query.limit), counts, capped, workflows: [...workflows].sort() };
}
