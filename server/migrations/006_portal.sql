-- The application management portal (issue 15): who owns an app, and what the consent screen
-- shows about it. Portable SQL (rendered per dialect by store::db::render_migration).

ALTER TABLE apps ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN terms_url TEXT;
ALTER TABLE apps ADD COLUMN privacy_url TEXT;
-- The logo as re-encoded by the provider (PNG bytes), never the uploaded file itself.
ALTER TABLE apps ADD COLUMN logo BLOB;
-- The scopes the app may request, space-separated; NULL: every scope the provider knows.
ALTER TABLE apps ADD COLUMN allowed_scopes TEXT;

-- An app's owners: only they see or change it in the portal and read its statistics.
CREATE TABLE app_owners (
    client_id TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (client_id, person_id)
);
CREATE INDEX app_owners_person ON app_owners(person_id);
