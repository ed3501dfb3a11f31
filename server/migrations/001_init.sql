-- wl-connect reference provider: initial schema.
-- Portable SQL (SQLite now, PostgreSQL later): TEXT/INTEGER/BLOB columns, times as Unix seconds.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE people (
    id            TEXT PRIMARY KEY,          -- public id, e.g. "8c8ce076ca27823f"
    username      TEXT NOT NULL UNIQUE,      -- sign-in name, lowercase
    password_hash TEXT NOT NULL,             -- argon2id PHC string
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    email         TEXT NOT NULL,
    locale        TEXT NOT NULL,
    picture_key   TEXT NOT NULL UNIQUE,      -- unguessable path segment of the public picture
    color         TEXT NOT NULL,             -- avatar background
    updated_at    INTEGER NOT NULL
);

CREATE TABLE friendships (
    person_id TEXT NOT NULL REFERENCES people(id),
    friend_id TEXT NOT NULL REFERENCES people(id),
    since     INTEGER NOT NULL,
    PRIMARY KEY (person_id, friend_id)
);

CREATE TABLE contacts (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL REFERENCES people(id),
    person_id  TEXT REFERENCES people(id),   -- set when the contact is a wl-connect member
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    email      TEXT,
    phone      TEXT,
    is_favorite INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_owner ON contacts(owner_id);

CREATE TABLE apps (
    client_id  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE app_redirect_uris (
    client_id TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    uri       TEXT NOT NULL,
    PRIMARY KEY (client_id, uri)
);

CREATE TABLE app_origins (
    client_id TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    origin    TEXT NOT NULL,
    PRIMARY KEY (client_id, origin)
);
CREATE INDEX app_origins_origin ON app_origins(origin);

CREATE TABLE sessions (
    id_hash    BLOB PRIMARY KEY,             -- SHA-256 of the cookie value
    person_id  TEXT NOT NULL REFERENCES people(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- One grant per (person, app): the scopes the person allowed and until when.
CREATE TABLE grants (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people(id),
    client_id  TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    scopes     TEXT NOT NULL,
    remember   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX grants_person ON grants(person_id, client_id);

CREATE TABLE auth_codes (
    code_hash      BLOB PRIMARY KEY,
    grant_id       TEXT NOT NULL REFERENCES grants(id),
    client_id      TEXT NOT NULL,
    person_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    nonce          TEXT,
    code_challenge TEXT NOT NULL,
    remember       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER
);

CREATE TABLE tokens (
    token_hash BLOB PRIMARY KEY,             -- SHA-256 of the opaque token
    kind       TEXT NOT NULL,                -- 'access' | 'refresh'
    grant_id   TEXT NOT NULL REFERENCES grants(id),
    person_id  TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    code_hash  BLOB,                         -- the authorization code it came from, if any
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX tokens_grant ON tokens(grant_id);
CREATE INDEX tokens_code ON tokens(code_hash);
