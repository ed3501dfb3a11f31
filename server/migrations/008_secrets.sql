-- Confidential clients (issue 15): an app's client secrets. Only the SHA-256 of a secret is
-- stored (like tokens); the secret itself is shown once when it is made. Portable SQL.
--
-- A secret is live while revoked_at is NULL and expires_at is NULL or in the future. Rotation
-- sets expires_at on the secrets it replaces (the overlap window); revocation sets revoked_at.
-- An app with any row here is confidential (docs/confidential-clients.md).
CREATE TABLE client_secrets (
    id           TEXT PRIMARY KEY,           -- short public id (shown in lists, used to revoke)
    client_id    TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    secret_hash  BLOB NOT NULL UNIQUE,       -- SHA-256 of the secret
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,                    -- end of a rotation's overlap window
    revoked_at   INTEGER,
    last_used_at INTEGER
);
CREATE INDEX client_secrets_client ON client_secrets(client_id);
