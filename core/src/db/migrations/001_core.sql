-- Core referral engine: tenants, keys, campaigns, participants, clicks, qualifications, rewards,
-- conversions, the timeline, idempotency and the events outbox. Every tenant table carries
-- workspace_id and every query filters on it.

CREATE TABLE install_settings (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE workspaces (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id),
  kind text NOT NULL CHECK (kind IN ('secret', 'publishable')),
  name text NOT NULL,
  -- the first characters of the key, shown in listings so a person can tell keys apart
  hint text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);

CREATE TABLE campaigns (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id),
  name text NOT NULL,
  slug text NOT NULL,
  status text NOT NULL,
  destination_url text NOT NULL,
  code_length int NOT NULL,
  code_prefix text NOT NULL DEFAULT '',
  attribution text NOT NULL,
  attribution_window_days int NOT NULL,
  cookie_days int NOT NULL,
  review_mode text NOT NULL,
  test_mode boolean NOT NULL DEFAULT false,
  reward_rules jsonb NOT NULL DEFAULT '[]',
  fraud jsonb NOT NULL DEFAULT '{}',
  goal jsonb,
  allowed_origins jsonb NOT NULL DEFAULT '[]',
  page jsonb NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}',
  inbound_token text NOT NULL UNIQUE,
  inbound_secret text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_workspace ON campaigns (workspace_id, id);
CREATE UNIQUE INDEX campaigns_slug ON campaigns (slug);

CREATE TABLE participants (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id),
  campaign_id text NOT NULL REFERENCES campaigns(id),
  type text NOT NULL CHECK (type IN ('direct', 'referred', 'imported')),
  email text NOT NULL,
  -- lower-cased: the identity of a participant inside a campaign
  email_key text NOT NULL,
  -- plus-tags and gmail dots removed: what the self-referral check compares
  email_canonical text NOT NULL,
  first_name text,
  last_name text,
  external_id text,
  code text NOT NULL,
  share_token text NOT NULL UNIQUE,
  referrer_id text REFERENCES participants(id),
  referral_status text CHECK (referral_status IN ('pending', 'qualified', 'unqualified', 'flagged')),
  flag_reasons jsonb,
  -- a qualification that arrived while the referral was flagged waits here for the review
  held_status text,
  click_id text,
  channel text,
  signup_ip_hash text,
  crm jsonb NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}',
  qualified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX participants_code ON participants (code);
CREATE UNIQUE INDEX participants_campaign_email ON participants (campaign_id, email_key);
CREATE INDEX participants_workspace ON participants (workspace_id, id);
CREATE INDEX participants_workspace_email ON participants (workspace_id, email_key);
CREATE INDEX participants_campaign ON participants (campaign_id, id);
CREATE INDEX participants_referrer ON participants (referrer_id);
CREATE INDEX participants_canonical ON participants (campaign_id, email_canonical);
CREATE INDEX participants_external ON participants (workspace_id, external_id);

CREATE TABLE clicks (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  campaign_id text NOT NULL,
  participant_id text NOT NULL,
  channel text,
  utm_source text,
  utm_medium text,
  utm_campaign text,
  utm_term text,
  utm_content text,
  referer text,
  landing_url text,
  ip_hash text,
  user_agent text,
  is_bot boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clicks_participant ON clicks (participant_id, created_at);
CREATE INDEX clicks_campaign ON clicks (campaign_id, created_at);
CREATE INDEX clicks_ip ON clicks (participant_id, ip_hash);

CREATE TABLE qualifications (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  campaign_id text NOT NULL,
  participant_id text NOT NULL REFERENCES participants(id),
  from_status text,
  to_status text NOT NULL,
  source text NOT NULL,
  reason text,
  idempotency_key text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qualifications_participant ON qualifications (participant_id, created_at);
CREATE UNIQUE INDEX qualifications_idempotency ON qualifications (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE rewards (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  campaign_id text NOT NULL,
  participant_id text NOT NULL REFERENCES participants(id),
  referral_id text NOT NULL REFERENCES participants(id),
  rule_id text NOT NULL,
  recipient text NOT NULL CHECK (recipient IN ('referrer', 'friend')),
  kind text NOT NULL,
  amount bigint,
  currency text,
  percent_off int,
  description text,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'delayed', 'declined', 'issued')),
  -- the rule's approval at creation (manual when the campaign reviews every reward)
  approval text NOT NULL,
  release_at timestamptz,
  reason text,
  issued_at timestamptz,
  external_id text,
  reward_code text,
  last_error text,
  -- one reward per rule, earner and recipient: a retried qualification never pays twice
  dedupe_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX rewards_dedupe ON rewards (workspace_id, dedupe_key);
CREATE INDEX rewards_workspace ON rewards (workspace_id, id);
CREATE INDEX rewards_participant ON rewards (participant_id);
CREATE INDEX rewards_referral ON rewards (referral_id);
CREATE INDEX rewards_release ON rewards (release_at) WHERE status = 'delayed';

CREATE TABLE conversions (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  campaign_id text NOT NULL,
  participant_id text NOT NULL REFERENCES participants(id),
  event text NOT NULL,
  amount bigint,
  currency text,
  transaction_id text,
  dedupe_key text NOT NULL,
  source text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX conversions_dedupe ON conversions (workspace_id, dedupe_key);
CREATE INDEX conversions_participant ON conversions (participant_id, created_at);

-- Everything that happened to a participant that is not a click, oldest first.
CREATE TABLE activities (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  participant_id text NOT NULL,
  kind text NOT NULL,
  source text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_participant ON activities (participant_id, id);

CREATE TABLE idempotency_keys (
  workspace_id text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code int,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, key)
);

-- The outbox, audit trail and polling feed in one: written in the transaction of the change.
CREATE TABLE events (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  workspace_id text NOT NULL,
  campaign_id text,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  relayed_at timestamptz
);
CREATE INDEX events_feed ON events (workspace_id, seq);
CREATE INDEX events_unrelayed ON events (seq) WHERE relayed_at IS NULL;
