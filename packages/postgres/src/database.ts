import type { Encoded, ErrorData, RetryState, RunStatus } from "@durable/core";
import { type Kysely, type RawBuilder, sql } from "kysely";

/** A row of `<schema>.runs`, as the database returns it. */
export interface RunRow {
  id: string;
  workflow: string;
  version: string;
  status: RunStatus;
  input: Encoded;
  output: Encoded | null;
  error: ErrorData | null;
  parent_id: string | null;
  tags: Record<string, string>;
  wake_at: Date | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  lease_epoch: number;
  attempts: number;
  recoveries: number;
  cancel_reason: string | null;
  retry_state: RetryState;
  queue: string | null;
  concurrency_key: string | null;
  rate_key: string | null;
  debounce_key: string | null;
  priority: number;
  held_by: string | null;
  continued_from: string | null;
  continued_as: string | null;
  waiting_for: string[];
  wake_pending: boolean;
  suspect: boolean;
  isolated: boolean;
  crash_mark: number | null;
  recovery_delay_ms: number;
  created_seq: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

/** A row of `<schema>.journal`. Timestamps are strings when the row arrives inside a json aggregate. */
export interface JournalRow {
  run_id: string;
  seq: number;
  kind: string;
  name: string;
  outcome: "ok" | "error";
  result: Encoded | null;
  error: ErrorData | null;
  delivery_order: number;
  attempts: number;
  started_at: Date | string;
  completed_at: Date | string;
}

/** A row of `<schema>.events`. `id` is a bigint, returned as a string. */
export interface EventRow {
  run_id: string;
  id: string | number;
  name: string;
  payload: Encoded;
  created_at: Date | string;
  consumed_seq: number | null;
  key: string | null;
}

/** A row of `<schema>.migrations`. */
export interface MigrationRow {
  version: number;
  name: string;
  applied_at: Date;
}

/** The durable tables, for Kysely. */
export interface DurableDatabase {
  runs: RunRow;
  journal: JournalRow;
  events: EventRow;
  migrations: MigrationRow;
}

/** What every query module needs: the database, the schema's tables and the notification channel. */
export interface SqlContext {
  /** Kysely bound to the durable schema, for built queries. */
  readonly db: Kysely<DurableDatabase>;
  /** The schema's name (unquoted), e.g. for advisory lock keys. */
  readonly schema: string;
  /** The schema-qualified, quoted tables, for raw statements. */
  readonly runs: RawBuilder<unknown>;
  readonly journal: RawBuilder<unknown>;
  readonly events: RawBuilder<unknown>;
  /** The channel `pg_notify` announces on. */
  readonly channel: string;
}

/** Builds the context for a schema. */
export function sqlContext(db: Kysely<DurableDatabase>, schema: string, channel: string): SqlContext {
  return {
    db: db.withSchema(schema),
    schema,
    runs: sql.id(schema, "runs"),
    journal: sql.id(schema, "journal"),
    events: sql.id(schema, "events"),
    channel,
  };
}

/** Encodes a value for a `json`/`jsonb` parameter; the statement casts it. */
export function jsonParam(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
