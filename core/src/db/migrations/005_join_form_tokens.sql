-- One-time tokens of the public join form. A token is issued signed (no row per page view); its
-- nonce is written here when a submission uses it, in the transaction that adds the participant,
-- so a token adds at most one participant. Rows older than the token lifetime are swept.

CREATE TABLE join_form_tokens (
  nonce text PRIMARY KEY,
  workspace_id text NOT NULL,
  campaign_id text NOT NULL,
  participant_id text,
  used_at timestamptz NOT NULL
);
CREATE INDEX join_form_tokens_used ON join_form_tokens (used_at);
