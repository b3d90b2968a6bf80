-- durable schema, version 3: crashes are charged to the run that caused them, not to its neighbours.

-- A run taken over from a lease that expired (its worker crashed or stalled) is a suspect until one of its
-- activations ends (suspends or finishes). A worker holds at most one suspect at a time, so when a worker
-- dies holding a suspect, that suspect is charged (`recoveries`), and the other runs it held become suspects
-- without being charged. `crash_mark` is the journal's length at the last charge: a run whose journal grew
-- since made progress, and its count starts again.
-- A suspect whose lease expires is taken over `recovery_delay_ms` after the expiry (a backoff that grows with
-- its charges), so a poison run is not taken again at every expiry.
ALTER TABLE {{schema}}.runs
  ADD COLUMN suspect boolean NOT NULL DEFAULT false,
  ADD COLUMN crash_mark integer,
  ADD COLUMN recovery_delay_ms integer NOT NULL DEFAULT 0;

-- Suspects released or woken while not running (few): claimed one per worker, apart from the claim order.
CREATE INDEX runs_suspect_idx ON {{schema}}.runs (priority DESC, wake_at, created_seq)
  WHERE suspect AND status IN ('pending', 'suspended');
-- Running suspects (at most one per worker): when each may be taken over.
CREATE INDEX runs_suspect_lease_idx ON {{schema}}.runs (lease_expires_at) WHERE status = 'running' AND suspect;
