-- durable schema, version 3: crashes are charged to the run that caused them, not to its neighbours; events
-- take an idempotency key.

-- A run taken over from a lease that expired (its worker crashed or stalled) is a suspect until one of its
-- activations ends (suspends or finishes). Suspects are taken over freely; a suspect whose worker dies again
-- is isolated: a worker holds at most one isolated run at a time, so when a worker dies holding one, that
-- run alone is charged (`recoveries`), and the others it held become suspects (or isolated) uncharged.
-- `crash_mark` is the journal's length at the last charge: a run whose journal grew since made progress,
-- and its count starts again. An isolated run whose lease expires is taken over `recovery_delay_ms` after
-- the expiry (a backoff that grows with its charges), so a poison run is not taken again at every expiry.
ALTER TABLE {{schema}}.runs
  ADD COLUMN suspect boolean NOT NULL DEFAULT false,
  ADD COLUMN isolated boolean NOT NULL DEFAULT false,
  ADD COLUMN crash_mark integer,
  ADD COLUMN recovery_delay_ms integer NOT NULL DEFAULT 0;

-- Isolated runs released or woken while not running (few): claimed one per worker, apart from the claim order.
CREATE INDEX runs_isolated_idx ON {{schema}}.runs (priority DESC, wake_at, created_seq)
  WHERE isolated AND status IN ('pending', 'suspended');
-- Running suspects (few): when each may be taken over.
CREATE INDEX runs_suspect_lease_idx ON {{schema}}.runs (lease_expires_at) WHERE status = 'running' AND suspect;

-- An event's idempotency key (`sendEvent(runId, name, payload, { id })`): a repeat of a key is stored once.
ALTER TABLE {{schema}}.events ADD COLUMN key text;
CREATE UNIQUE INDEX events_key_idx ON {{schema}}.events (run_id, key) WHERE key IS NOT NULL;
