-- Activities that bring traffic back (issue 17 §1): an activity's action link and its
-- "via <app>" link, and the RSS/Atom feed an app publishes, polled by the provider.
-- Portable SQL (rendered per dialect by store::db::render_migration).

-- The action link ("Read more", "Play now", …): an http(s) URL and its label.
ALTER TABLE activities ADD COLUMN action_href TEXT;
ALTER TABLE activities ADD COLUMN action_name TEXT;
-- The "via <app>" link: the app's site (given by the app, else its registered site).
ALTER TABLE activities ADD COLUMN via_href TEXT;

-- An app's feed (at most one): where it is, what the last poll said, and when to poll next.
CREATE TABLE app_feeds (
    client_id     TEXT PRIMARY KEY REFERENCES apps(client_id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    etag          TEXT,             -- the last answer's ETag (sent as If-None-Match)
    last_modified TEXT,             -- the last answer's Last-Modified (sent as If-Modified-Since)
    status        TEXT NOT NULL,    -- a stable code: pending, ok, not_modified, feed_…
    message       TEXT NOT NULL,    -- what the owner reads about it
    entries_seen  INTEGER NOT NULL, -- entries recorded so far
    checked_at    INTEGER,          -- the last poll, Unix seconds
    next_at       INTEGER NOT NULL, -- the next poll is due then
    updated_at    INTEGER NOT NULL
);

-- The entries already turned into activities (dedupe by the entry's guid, id or link).
CREATE TABLE feed_entries (
    client_id  TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    entry_key  TEXT NOT NULL,
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (client_id, entry_key)
);
