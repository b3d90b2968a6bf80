-- durable schema, version 1. {{schema}} is replaced by the quoted schema name.
-- Every per-run table is keyed by run_id first, so the tables can be sharded by run.
-- User payloads (input, output, results, event payloads) are `json`, not `jsonb`: json keeps the text as
-- written, so object keys come back in the order the workflow saw them live and replay stays deterministic.

CREATE TABLE {{schema}}.runs (
  id               text        PRIMARY KEY,
  workflow         text        NOT NULL,
  version          text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('pending', 'running', 'suspended', 'completed', 'failed', 'cancelled', 'blocked')),
  input            json        NOT NULL,
  output           json,
  error            jsonb,
  parent_id        text,
  tags             jsonb       NOT NULL DEFAULT '{}',
  wake_at          timestamptz,
  lease_owner      text,
  lease_expires_at timestamptz,
  lease_epoch      integer     NOT NULL DEFAULT 0,
  attempts         integer     NOT NULL DEFAULT 0,
  recoveries       integer     NOT NULL DEFAULT 0,
  cancel_reason    text,
  retry_state      jsonb       NOT NULL DEFAULT '{}',
  queue            text,
  concurrency_key  text,
  priority         float8      NOT NULL DEFAULT 0,
  held_by          text,
  continued_from   text,
  continued_as     text,
  waiting_for      text[]      NOT NULL DEFAULT '{}',
  -- A wake-up (event, finished child) that arrived while the run was running: its next suspend is due at once.
  wake_pending     boolean     NOT NULL DEFAULT false,
  -- Creation order, to break ties between runs created within one clock tick.
  created_seq      bigint      GENERATED ALWAYS AS IDENTITY,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- The claim walks due pending/suspended runs in claim order and stops after its limit, however long the
-- backlog; running runs whose lease expired come from the lease index (few: only crashed workers' runs).
CREATE INDEX runs_claim_idx ON {{schema}}.runs (priority DESC, wake_at, created_seq)
  WHERE status IN ('pending', 'suspended');
CREATE INDEX runs_lease_idx ON {{schema}}.runs (lease_expires_at) WHERE status = 'running';
-- The earliest wake-up (nextWakeAt).
CREATE INDEX runs_due_idx ON {{schema}}.runs (wake_at) WHERE status IN ('pending', 'suspended');
-- Listing, newest first, optionally by status or workflow.
CREATE INDEX runs_created_idx ON {{schema}}.runs (created_at DESC, created_seq DESC);
CREATE INDEX runs_status_created_idx ON {{schema}}.runs (status, created_at DESC);
CREATE INDEX runs_workflow_created_idx ON {{schema}}.runs (workflow, created_at DESC);
CREATE INDEX runs_tags_idx ON {{schema}}.runs USING gin (tags jsonb_path_ops);
CREATE INDEX runs_parent_idx ON {{schema}}.runs (parent_id) WHERE parent_id IS NOT NULL;
-- Pruning finished runs.
CREATE INDEX runs_finished_idx ON {{schema}}.runs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE {{schema}}.journal (
  run_id         text        NOT NULL,
  seq            integer     NOT NULL,
  kind           text        NOT NULL,
  name           text        NOT NULL,
  outcome        text        NOT NULL CHECK (outcome IN ('ok', 'error')),
  result         json,
  error          jsonb,
  delivery_order integer     NOT NULL,
  attempts       integer     NOT NULL,
  started_at     timestamptz NOT NULL,
  completed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE {{schema}}.events (
  run_id       text        NOT NULL,
  id           bigint      GENERATED ALWAYS AS IDENTITY,
  name         text        NOT NULL,
  payload      json        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  consumed_seq integer,
  PRIMARY KEY (run_id, id)
);
