-- Dashboard sign-ins: a secret API key is exchanged for a session cookie. Only the SHA-256 of the
-- session id is stored, so a copy of this table cannot be replayed as cookies. A session ends at
-- expires_at, on sign-out, or when the key it was opened with is revoked.

CREATE TABLE dashboard_sessions (
  id_hash text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id),
  key_id text NOT NULL REFERENCES api_keys(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);
