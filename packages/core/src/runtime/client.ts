import { z } from "zod";
import {
  type RunFilter,
  type RunRecord,
  type RunStatus,
  type Store,
  TERMINAL_STATUSES,
} from "../store/store.js";
import type { EventPayload, EventSchemas } from "../workflow/context.js";
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
import { flowFields } from "../workflow/flow-control.js";
import type { JournalEntry } from "../workflow/journal.js";
import { type Duration, parseDuration } from "../workflow/parse-duration.js";
import { isActiveStatus, RUN_STATUSES } from "../workflow/run-status.js";
import { DEFAULT_PAYLOAD_LIMIT, decode, encode } from "../workflow/serialize.js";
import { validateWith } from "../workflow/validate-with.js";
import type { AnyWorkflow, Workflow } from "../workflow/workflow.js";
import { type JournalExport, toJournalExport } from "./journal-export.js";
import { toNewRunFlow } from "./to-new-run-flow.js";
import { traceTags } from "./tracing.js";
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

/** The canonical export of a run's journal (see `journal-export.ts`). */
export type { JournalExport } from "./journal-export.js";

/** A reference to one run. */
export interface RunHandle<O = unknown, E extends EventSchemas = EventSchemas> {
  readonly id: string;
  /**
   * The run's output once `completed` (following a continue-as-new chain to its last run); throws its
   * error if it ends `failed`, `cancelled` or `blocked`.
   */
  result(options?: { timeout?: Duration }): Promise<O>;
  get(): Promise<RunInfo<O> | undefined>;
  /** Sends an event to this run, validated against the workflow's `events` schema. */
  sendEvent<K extends keyof E & string>(name: K, payload: EventPayload<E, K>): Promise<void>;
}

/** Options of `new Client()`. */
export interface ClientOptions {
  store: Store;
  /** Workflows whose `events` schemas `sendEvent` checks payloads against (by the run's workflow name). */
  workflows?: readonly AnyWorkflow[];
  /** Payload limit in bytes (default 1 MiB). */
  payloadLimit?: number;
}

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
  private readonly workflows = new Map<string, AnyWorkflow>();

  constructor(options: ClientOptions) {
    this.store = options.store;
    this.limit = options.payloadLimit ?? DEFAULT_PAYLOAD_LIMIT;
    for (const wf of options.workflows ?? []) this.workflows.set(wf.name, wf);
  }

  /** Validates the input and creates the run (or returns the existing run with that id). */
  async start<I, O, E extends EventSchemas>(
    workflow: Workflow<I, O, E>,
    input: NoInfer<I>,
    options: StartOptions = {},
  ): Promise<RunHandle<O, E>> {
    const opts = validateWith<StartOptions>(startOptionsSchema, options, "options");
    const delayMs = opts.delay === undefined ? undefined : parseDuration(opts.delay, "options.delay");
    const value = workflow.options.input ? validateWith(workflow.options.input, input, "input") : input;
    const id = opts.id ?? uuidv7();
    const encoded = encode(value, `input of run ${id} (workflow "${workflow.name}")`, this.limit);
    const flow = flowFields(workflow as AnyWorkflow, value);
    const { run } = await this.store.createRun({
      id,
      workflow: workflow.name,
      version: workflow.version,
      input: encoded,
      ...toNewRunFlow(flow),
      tags: { ...opts.tags, ...traceTags() },
      ...(opts.startAt ? { startAt: opts.startAt } : {}),
      ...(delayMs !== undefined ? { delayMs } : {}),
    });
    this.workflows.set(workflow.name, workflow as AnyWorkflow);
    return this.handle<O, E>(run.id);
  }

  /** A handle on an existing run. */
  handle<O = unknown, E extends EventSchemas = EventSchemas>(id: string): RunHandle<O, E> {
    return {
      id,
      result: (options) => this.waitForResult<O>(id, options?.timeout),
      get: () => this.get(id) as Promise<RunInfo<O> | undefined>,
      sendEvent: (name, payload) => this.sendEvent(id, name, payload),
    };
  }

  /**
   * Sends an event to a run: kept until the run waits for it, then consumed once. When this client knows
   * the run's workflow, the payload is checked against its `events` schema before anything is written.
   * `id` is an idempotency key: a sender that retries after a lost reply passes the same one, and the run
   * gets the event once (a repeat stores nothing; the first payload stands).
   * @example
   * await client.sendEvent(runId, "approved", { by: "ann" }, { id: "approval:7f3a" });
   */
  async sendEvent(
    runId: string,
    name: string,
    payload?: unknown,
    options: { id?: string } = {},
  ): Promise<void> {
    if (typeof name !== "string" || name === "") {
      throw new ValidationError("sendEvent: the event name must be a non-empty string", [
        { path: "name", message: "must be a non-empty string" },
      ]);
    }
    const key = options.id;
    if (key !== undefined && (typeof key !== "string" || key === "" || key.length > 512)) {
      throw new ValidationError(
        `sendEvent to run ${runId}: the event id must be a non-empty string of at most 512 characters`,
        [{ path: "id", message: "must be a non-empty string of at most 512 characters" }],
      );
    }
    const run = await this.store.getRun(runId);
    if (!run) throw new RunNotFoundError(runId);
    if (TERMINAL_STATUSES.includes(run.status)) {
      throw new ValidationError(`run ${runId} is ${run.status}; it takes no more events`, [
        { path: "runId", message: `is ${run.status}` },
      ]);
    }
    let value = payload;
    const schemas = this.workflows.get(run.workflow)?.options.events as EventSchemas | undefined;
    if (schemas) {
      const schema = schemas[name];
      if (!schema) {
        const known = Object.keys(schemas).join(", ") || "none";
        throw new ValidationError(
          `workflow "${run.workflow}" declares no event "${name}" (it declares: ${known})`,
          [{ path: "name", message: `not declared by ${run.workflow}` }],
        );
      }
      value = validateWith(schema, payload, `event "${name}" payload`);
    }
    const encoded = encode(value, `event "${name}" payload for run ${runId}`, this.limit);
    const sent = await this.store.sendEvent(runId, name, encoded, key === undefined ? undefined : { key });
    if (!sent) throw new RunNotFoundError(runId);
  }

  /**
   * A new run that reuses the journal entries before `fromSeq` and runs live from there: for a run that
   * no longer replays, or to re-run its tail.
   */
  async fork(id: string, options: { fromSeq: number; id?: string }): Promise<RunInfo> {
    const source = await this.store.getRun(id);
    if (!source) throw new RunNotFoundError(id);
    if (!Number.isInteger(options.fromSeq) || options.fromSeq < 0) {
      throw new ValidationError(
        `fork: fromSeq must be a whole number of at least 0, got ${options.fromSeq}`,
        [{ path: "fromSeq", message: "must be a whole number >= 0" }],
      );
    }
    const run = await this.store.forkRun(
      id,
      {
        id: options.id ?? uuidv7(),
        workflow: source.workflow,
        version: this.workflows.get(source.workflow)?.version ?? source.version,
        input: source.input,
        tags: { ...source.tags, "durable.forkedFrom": id },
      },
      options.fromSeq,
    );
    return toRunInfo(run);
  }

  /** Deletes finished runs (completed, failed, cancelled) older than `olderThan`, with their journals. */
  async prune(options: { olderThan: Duration }): Promise<number> {
    const ms = parseDuration(options.olderThan, "olderThan");
    const now = await this.store.now();
    return this.store.pruneRuns(new Date(now.getTime() - ms));
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

  /**
   * The canonical export of a run and its journal (`durable.journal/2`, what `durable export` writes): its
   * JSON text replays with `replayJournal` from `@durable/testing`.
   */
  async exportJournal(id: string): Promise<JournalExport> {
    const run = await this.store.getRun(id);
    if (!run) throw new RunNotFoundError(id);
    return toJournalExport(run, await this.store.readJournal(id));
  }

  private async waitForResult<O>(firstId: string, timeout: Duration | undefined): Promise<O> {
    let id = firstId;
    const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout, "timeout");
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    let wake: (() => void) | undefined;
    const unsubscribe = this.store.subscribe((n) => {
      if (n.type === "finished") wake?.();
    });
    try {
      for (let pause = 10; ; pause = Math.min(pause * 2, 1_000)) {
        const run = await this.store.getRun(id);
        if (!run) throw new RunNotFoundError(id);
        if (run.status === "completed" && run.continuedAs !== undefined) {
          id = run.continuedAs;
          continue;
        }
        if (!isActiveStatus(run.status)) return settle<O>(run);
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
  if (run.heldBy !== undefined) info.heldBy = run.heldBy;
  if (run.continuedFrom !== undefined) info.continuedFrom = run.continuedFrom;
  if (run.continuedAs !== undefined) info.continuedAs = run.continuedAs;
  return info;
}
