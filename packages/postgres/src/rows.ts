import type { EventRecord, JournalEntry, RunRecord } from "@durable/core";
import type { EventRow, JournalRow, RunRow } from "./database.js";

/** Maps a `runs` row to the store's camelCase record; null columns become absent properties. */
export function toRunRecord(row: RunRow): RunRecord {
  const run: RunRecord = {
    id: row.id,
    workflow: row.workflow,
    version: row.version,
    status: row.status,
    input: row.input,
    tags: row.tags ?? {},
    leaseEpoch: row.lease_epoch,
    attempts: row.attempts,
    recoveries: row.recoveries,
    retryState: row.retry_state ?? {},
    priority: row.priority,
    waitingFor: row.waiting_for ?? [],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
  if (row.output !== null) run.output = row.output;
  if (row.error !== null) run.error = row.error;
  if (row.parent_id !== null) run.parentId = row.parent_id;
  if (row.wake_at !== null) run.wakeAt = toDate(row.wake_at);
  if (row.lease_owner !== null) run.leaseOwner = row.lease_owner;
  if (row.lease_expires_at !== null) run.leaseExpiresAt = toDate(row.lease_expires_at);
  if (row.cancel_reason !== null) run.cancelReason = row.cancel_reason;
  if (row.queue !== null) run.queue = row.queue;
  if (row.concurrency_key !== null) run.concurrencyKey = row.concurrency_key;
  if (row.rate_key !== null) run.rateKey = row.rate_key;
  if (row.debounce_key !== null) run.debounceKey = row.debounce_key;
  if (row.held_by !== null) run.heldBy = row.held_by;
  if (row.continued_from !== null) run.continuedFrom = row.continued_from;
  if (row.continued_as !== null) run.continuedAs = row.continued_as;
  if (row.started_at !== null) run.startedAt = toDate(row.started_at);
  if (row.finished_at !== null) run.finishedAt = toDate(row.finished_at);
  if (row.suspect) run.suspect = true;
  if (row.isolated) run.isolated = true;
  return run;
}

/** Maps a `journal` row (or one from a json aggregate, with string timestamps) to its entry. */
export function toJournalEntry(row: JournalRow): JournalEntry {
  const common = {
    kind: row.kind,
    runId: row.run_id,
    seq: row.seq,
    name: row.name,
    order: row.delivery_order,
    attempts: row.attempts,
    startedAt: toDate(row.started_at),
    completedAt: toDate(row.completed_at),
  };
  const outcome =
    row.outcome === "error" ? { outcome: "error", error: row.error } : { outcome: "ok", result: row.result };
  return { ...common, ...outcome } as JournalEntry;
}

/** Maps an `events` row to its record; ids are zero-padded so they also sort as strings. */
export function toEventRecord(row: EventRow): EventRecord {
  const event: EventRecord = {
    id: eventId(row.id),
    runId: row.run_id,
    name: row.name,
    payload: row.payload,
    createdAt: toDate(row.created_at),
  };
  if (row.consumed_seq !== null) event.consumedSeq = row.consumed_seq;
  if (row.key !== null && row.key !== undefined) event.key = row.key;
  return event;
}

/** The public form of an event's bigint id. */
export function eventId(id: string | number): string {
  return String(id).padStart(12, "0");
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
