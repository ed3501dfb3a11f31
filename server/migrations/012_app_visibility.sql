-- "Let friends see I use <app>" (issue 16, friends on this site): a person's choice per app,
-- set on the connected-apps page. No row means the default: friends may see it (as Messenger
-- Connect showed it). Portable SQL (rendered per dialect by store::db::render_migration).
-- Read by `/v1/me/friends` (`uses_this_app`) and by the hub ("here now").
CREATE TABLE app_visibility (
    person_id  TEXT NOT NULL REFERENCES people(id),
    client_id  TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    hidden     INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (person_id, client_id)
);
