-- Custom activity templates (issue 15): an app's own one-line patterns with {placeholders},
-- which `POST /v1/me/activities` accepts by name next to the built-in ones, for that app only.
-- Portable SQL (rendered per dialect by store::db::render_migration).

CREATE TABLE app_templates (
    client_id  TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, name)
);
