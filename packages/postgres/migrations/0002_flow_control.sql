-- durable schema, version 2: flow control (concurrency and rate limits per queue and key, debounce) in SQL.
-- A run's queue is coalesce(queue, workflow): runs created without a queue are on their workflow's queue.

ALTER TABLE {{schema}}.runs
  ADD COLUMN rate_key text,
  ADD COLUMN debounce_key text;

-- What a concurrency limit counts: running runs per queue, and per concurrency key.
CREATE INDEX runs_running_queue_idx ON {{schema}}.runs ((coalesce(queue, workflow)), concurrency_key)
  WHERE status = 'running';

-- What a rate limit counts: first starts per queue within a window; the rate key is read from the index.
CREATE INDEX runs_started_queue_idx ON {{schema}}.runs ((coalesce(queue, workflow)), started_at)
  INCLUDE (rate_key) WHERE started_at IS NOT NULL;

-- Runs a limit holds, per queue: a run of that queue that stops running wakes the workers.
CREATE INDEX runs_held_queue_idx ON {{schema}}.runs ((coalesce(queue, workflow))) WHERE held_by IS NOT NULL;

-- Debounce: at most one run per workflow and key that has not started yet; a later start replaces its input.
CREATE UNIQUE INDEX runs_debounce_idx ON {{schema}}.runs (workflow, debounce_key)
  WHERE debounce_key IS NOT NULL AND status = 'pending' AND attempts = 0;
