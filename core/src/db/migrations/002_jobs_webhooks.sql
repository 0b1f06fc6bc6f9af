-- Background jobs (the Postgres runner's queue, and the outbox in front of BullMQ), outbound
-- webhook endpoints and their delivery log, and the feed's commit-order column on events.

CREATE TABLE jobs (
  id text PRIMARY KEY,
  type text NOT NULL,
  payload jsonb NOT NULL,
  -- dispatched: handed to BullMQ (the row stays a day so dedupe keys keep working)
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'dispatched')),
  attempts int NOT NULL DEFAULT 0,
  max_attempts int NOT NULL,
  run_at timestamptz NOT NULL DEFAULT now(),
  -- a running job belongs to its worker until locked_until; the worker extends it while alive
  locked_by text,
  locked_until timestamptz,
  last_error text,
  dedupe_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status IN ('done', 'failed', 'dispatched');

CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id),
  campaign_id text,
  url text NOT NULL,
  description text,
  -- event types, or ["*"] for all
  events jsonb NOT NULL,
  -- the signing secret: needed in clear to compute each signature
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text,
  disabled_at timestamptz,
  consecutive_failures int NOT NULL DEFAULT 0,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, id);

CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  event_id text NOT NULL REFERENCES events(id),
  event_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'retrying', 'failed', 'cancelled')),
  attempts int NOT NULL DEFAULT 0,
  response_status int,
  response_body text,
  error text,
  duration_ms int,
  next_retry_at timestamptz,
  last_attempt_at timestamptz,
  -- a manual redelivery points at the delivery it repeats
  retry_of text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The relay fans an event out to an endpoint once; redeliveries are separate rows.
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_id) WHERE retry_of IS NULL;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- The id of the transaction that wrote each event. The polling feed orders by (txid, seq) and only
-- shows events older than every transaction still open, so an event committed late can never
-- appear behind a cursor a poller has already passed.
ALTER TABLE events ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_feed_commit ON events (workspace_id, txid, seq);
