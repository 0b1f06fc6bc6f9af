-- Integrations with Pipedrive, HubSpot, Salesforce and Stripe: one row per workspace and vendor,
-- the vendor events received (deduped), the vendor records made for participants, spend seen at
-- the vendor, and contact sync runs with their cursor.

CREATE TABLE integrations (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id),
  vendor text NOT NULL,
  status text NOT NULL CHECK (status IN ('connected', 'needs_reconnect', 'error', 'disconnected')),
  -- AES-256-GCM sealed JSON (lib/secret-box.ts), bound to this row's id; NULL once disconnected
  credentials text,
  webhook_secrets text,
  settings jsonb NOT NULL DEFAULT '{}',
  api_base_url text,
  account jsonb,
  -- the secret part of /hooks/{vendor}/{token}
  inbound_token text NOT NULL UNIQUE,
  webhooks jsonb NOT NULL DEFAULT '[]',
  manual_webhooks jsonb,
  last_error text,
  last_error_at timestamptz,
  -- set while a sync of mode ongoing keeps new vendor contacts coming in: {sync_id, campaign_id}
  ongoing_sync jsonb,
  connected_at timestamptz,
  disconnected_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX integrations_workspace_vendor ON integrations (workspace_id, vendor);

-- Every verified vendor event, once: the unique key is the dedupe, and `applied_at` is written in
-- the same transaction as the change the event makes.
CREATE TABLE vendor_events (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  integration_id text NOT NULL REFERENCES integrations(id),
  vendor text NOT NULL,
  vendor_event_id text NOT NULL,
  kind text NOT NULL,
  signal jsonb NOT NULL,
  occurred_at timestamptz,
  status text NOT NULL CHECK (status IN ('received', 'applied', 'ignored', 'superseded')),
  participant_id text,
  outcome text,
  received_at timestamptz NOT NULL DEFAULT now(),
  applied_at timestamptz
);
CREATE UNIQUE INDEX vendor_events_dedupe ON vendor_events (workspace_id, vendor, vendor_event_id);
CREATE INDEX vendor_events_participant ON vendor_events (participant_id, vendor, occurred_at) WHERE participant_id IS NOT NULL;

-- Which vendor records stand for which participant (a person shared by two campaigns maps to both).
CREATE TABLE vendor_records (
  workspace_id text NOT NULL,
  vendor text NOT NULL,
  object text NOT NULL,
  record_id text NOT NULL,
  participant_id text NOT NULL REFERENCES participants(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, vendor, object, record_id, participant_id)
);
CREATE INDEX vendor_records_participant ON vendor_records (participant_id);

-- Payments and refunds seen at the vendor, each counted once whatever the event order.
CREATE TABLE vendor_payments (
  workspace_id text NOT NULL,
  vendor text NOT NULL,
  payment_id text NOT NULL,
  participant_id text NOT NULL REFERENCES participants(id),
  refund boolean NOT NULL,
  amount bigint NOT NULL,
  currency text NOT NULL,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, vendor, payment_id)
);
CREATE INDEX vendor_payments_participant ON vendor_payments (participant_id, occurred_at);

CREATE TABLE sync_runs (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  integration_id text NOT NULL REFERENCES integrations(id),
  vendor text NOT NULL,
  campaign_id text NOT NULL REFERENCES campaigns(id),
  mode text NOT NULL CHECK (mode IN ('once', 'ongoing')),
  filter jsonb,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  total int,
  processed int NOT NULL DEFAULT 0,
  created int NOT NULL DEFAULT 0,
  updated int NOT NULL DEFAULT 0,
  failed int NOT NULL DEFAULT 0,
  links_written int NOT NULL DEFAULT 0,
  pages int NOT NULL DEFAULT 0,
  -- where the next page starts; advanced in the transaction that stores the page's participants
  cursor text,
  -- links of the last stored page not yet written back to the vendor (written before the next page)
  pending_links jsonb,
  -- the latest failures (contact id and message), newest last, at most 20
  failures jsonb NOT NULL DEFAULT '[]',
  last_error text,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_runs_integration ON sync_runs (integration_id, id);
