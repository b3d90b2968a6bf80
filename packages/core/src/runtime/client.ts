import { z } from "zod";
import type { RunFilter, RunRecord, RunStatus, Store } from "../store/store.js";
import {
  CancelledError,
  type DurableError,
  type ErrorData,
  NonDeterminismError,
  RunNotFoundError,
  TimeoutError,
  ValidationError,
  WorkflowFailedError,
} from "../workflow/errors.js";
import type { JournalEntry } from "../workflow/journal.js";
import { type Duration, parseDuration } from "../workflow/parse-duration.js";
import { DEFAULT_PAYLOAD_LIMIT, decode, encode } from "../workflow/serialize.js";
import { validateWith } from "../workflow/validate-with.js";
import type { Workflow } from "../workflow/workflow.js";
import { uuidv7 } from "./uuidv7.js";

/** A run as users see it: payloads decoded. */
export interface RunInfo<O = unknown> {
  id: string;
  workflow: string;
  version: string;
  status: RunStatus;
  input: unknown;
  output?: O;
  error?: ErrorData;
  heldBy?: string;
  parentId?: string;
  continuedFrom?: string;
  continuedAs?: string;
  tags: Record<string, string>;
  attempts: number;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  wakeAt?: Date;
}

/** Options of `client.start`. */
export interface StartOptions {
  /** The run id (default a UUIDv7). Starting again with the same id returns the existing run. */
  id?: string;
  /** Not before this time. */
  startAt?: Date;
  /** Not before this long from now. */
  delay?: Duration;
  /** String pairs, indexed: `client.list({ tags: { customer: "c-9" } })`. */
  tags?: Record<string, string>;
}

/** Filters of `client.list`. */
export interface ListFilter {
  status?: RunStatus | RunStatus[];
  workflow?: string;
  tags?: Record<string, string>;
  parentId?: string;
  /** Default 100, at most 1,000. */
  limit?: number;
  /** Runs created before this time (paging: pass the last `createdAt` of the previous page). */
  before?: Date;
}

/** The canonical export of a run's journal. */
export interface JournalExport {
  format: "durable.journal/1";
  runId: string;
  workflow: string;
  version: string;
  input: unknown;
  status: RunStatus;
  output?: unknown;
  entries: JournalEntry[];
}

/** A reference to one run. */
export interface RunHandle<O = unknown> {
  readonly id: string;
  /** The run's output once `completed`; throws its error if it ends `failed`, `cancelled` or `blocked`. */
  result(options?: { timeout?: Duration }): Promise<O>;
  get(): Promise<RunInfo<O> | undefined>;
}

/** Options of `new Client()`. */
export interface ClientOptions {
  store: Store;
  /** Payload limit in bytes (default 1 MiB). */
  payloadLimit?: number;
}

const RUN_STATUSES = [
  "pending",
  "running",
  "suspended",
  "completed",
  "failed",
  "cancelled",
  "blocked",
] as const;

const startOptionsSchema = z.object({
  id: z.string().min(1).max(512).optional(),
  startAt: z
    .date()
    .refine((d) => !Number.isNaN(d.getTime()), "must be a valid Date")
    .optional(),
  delay: z.union([z.string(), z.number()]).optional(),
  tags: z.record(z.string().min(1), z.string()).optional(),
});

const listFilterSchema = z.object({
  status: z.union([z.enum(RUN_STATUSES), z.array(z.enum(RUN_STATUSES))]).optional(),
  workflow: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  parentId: z.string().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  before: z.date().optional(),
});

const FINAL: readonly RunStatus[] = ["completed", "failed", "cancelled", "blocked"];

/**
 * Starts runs and looks at them.
 * @example
 * const client = new Client({ store });
 * const run = await client.start(onboarding, { userId: "u1" }, { id: "onboarding:u1" });
 * const output = await run.result({ timeout: "1m" });
 */
export class Client {
  private readonly store: Store;
  private readonly limit: number;

  constructor(options: ClientOptions) {
    this.store = options.store;
    this.limit = options.payloadLimit ?? DEFAULT_PAYLOAD_LIMIT;
  }

  /** Validates the input and creates the run (or returns the existing run with that id). */
  async start<I, O>(workflow: Workflow<I, O>, input: I, options: StartOptions = {}): Promise<RunHandle<O>> {
    const opts = validateWith<StartOptions>(startOptionsSchema, options, "options");
    const delayMs = opts.delay === undefined ? undefined : parseDuration(opts.delay, "options.delay");
    const value = workflow.options.input ? validateWith(workflow.options.input, input, "input") : input;
    const id = opts.id ?? uuidv7();
    const encoded = encode(value, `input of run ${id} (workflow "${workflow.name}")`, this.limit);
    await this.store.createRun({
      id,
      workflow: workflow.name,
      version: workflow.version,
      input: encoded,
      ...(opts.tags ? { tags: opts.tags } : {}),
      ...(opts.startAt ? { startAt: opts.startAt } : {}),
      ...(delayMs !== undefined ? { delayMs } : {}),
    });
    return this.handle<O>(id);
  }

  /** A handle on an existing run. */
  handle<O = unknown>(id: string): RunHandle<O> {
    return {
      id,
      result: (options) => this.waitForResult<O>(id, options?.timeout),
      get: () => this.get(id) as Promise<RunInfo<O> | undefined>,
    };
  }

  /** The run, or `undefined` for an unknown or pruned id. */
  async get(id: string): Promise<RunInfo | undefined> {
    const run = await this.store.getRun(id);
    return run ? toRunInfo(run) : undefined;
  }

  /** Runs, newest first. */
  async list(filter: ListFilter = {}): Promise<RunInfo[]> {
    const f = validateWith<ListFilter>(listFilterSchema, filter, "filter");
    const query: RunFilter = { limit: f.limit ?? 100 };
    if (f.status !== undefined) query.status = f.status;
    if (f.workflow !== undefined) query.workflow = f.workflow;
    if (f.tags !== undefined) query.tags = f.tags;
    if (f.parentId !== undefined) query.parentId = f.parentId;
    if (f.before !== undefined) query.before = f.before;
    return (await this.store.listRuns(query)).map(toRunInfo);
  }

  /** Cancels a run: the workflow sees `CancelledError` at its current await. */
  async cancel(id: string, reason = "cancelled by request"): Promise<RunInfo> {
    const change = await this.store.requestCancel(id, reason);
    if (!change) throw new RunNotFoundError(id);
    return toRunInfo(change.run);
  }

  /** Resumes a `blocked` or `failed` run (a failed run's last failed step runs again). */
  async retry(id: string): Promise<RunInfo> {
    const change = await this.store.retryRun(id);
    if (!change) throw new RunNotFoundError(id);
    if (!change.changed) {
      throw new ValidationError(
        `run ${id} is ${change.run.status}; only a blocked or failed run can be retried`,
        [{ path: "status", message: `is ${change.run.status}` }],
      );
    }
    return toRunInfo(change.run);
  }

  /** The run's journal, entries by seq. */
  async journal(id: string): Promise<JournalEntry[]> {
    return this.store.readJournal(id);
  }

  /** The canonical export of a run and its journal (`durable export`). */
  async exportJournal(id: string): Promise<JournalExport> {
    const run = await this.store.getRun(id);
    if (!run) throw new RunNotFoundError(id);
    const exported: JournalExport = {
      format: "durable.journal/1",
      runId: run.id,
      workflow: run.workflow,
      version: run.version,
      input: decode(run.input),
      status: run.status,
      entries: await this.store.readJournal(id),
    };
    if (run.output !== undefined) exported.output = decode(run.output);
    return exported;
  }

  private async waitForResult<O>(id: string, timeout: Duration | undefined): Promise<O> {
    const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout, "timeout");
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    let wake: (() => void) | undefined;
    const unsubscribe = this.store.subscribe((n) => {
      if (n.type === "finished" && n.runId === id) wake?.();
    });
    try {
      for (let pause = 10; ; pause = Math.min(pause * 2, 1_000)) {
        const run = await this.store.getRun(id);
        if (!run) throw new RunNotFoundError(id);
        if (FINAL.includes(run.status)) return settle<O>(run);
        const left = deadline === undefined ? pause : Math.min(pause, deadline - Date.now());
        if (left <= 0) {
          throw new TimeoutError(`run ${id} did not finish within ${timeout} (it is ${run.status})`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      unsubscribe();
    }
  }
}

function settle<O>(run: RunRecord): O {
  if (run.status === "completed") return (run.output === undefined ? undefined : decode(run.output)) as O;
  throw reviveRunError(run);
}

/** The error a finished run ended with, as a typed error. */
export function reviveRunError(run: RunRecord): DurableError {
  const data: ErrorData = run.error ?? { name: "Error", message: `run ${run.id} ended ${run.status}` };
  let error: DurableError;
  if (run.status === "cancelled") error = new CancelledError(data.message);
  else if (data.code === "non_determinism")
    error = new NonDeterminismError(run.id, { message: data.message });
  else error = new WorkflowFailedError(run.id, run.status, data);
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

/** A stored run as `RunInfo`. */
export function toRunInfo(run: RunRecord): RunInfo {
  const info: RunInfo = {
    id: run.id,
    workflow: run.workflow,
    version: run.version,
    status: run.status,
    input: decode(run.input),
    tags: run.tags,
    attempts: run.attempts,
    createdAt: run.createdAt,
  };
  if (run.output !== undefined) info.output = decode(run.output);
  if (run.error !== undefined) info.error = run.error;
  if (run.parentId !== undefined) info.parentId = run.parentId;
  if (run.startedAt !== undefined) info.startedAt = run.startedAt;
  if (run.finishedAt !== undefined) info.finishedAt = run.finishedAt;
  if (run.wakeAt !== undefined) info.wakeAt = run.wakeAt;
  return info;
}
