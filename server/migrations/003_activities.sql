-- 003_activities: activities (ActivityStreams 2.0) people write and share with their friends.
-- Portable SQL (SQLite now, PostgreSQL later): TEXT/INTEGER columns, times as Unix seconds.

CREATE TABLE activities (
    id           TEXT PRIMARY KEY,          -- sorts newest first (see activities/store.rs)
    actor_id     TEXT NOT NULL REFERENCES people(id),
    kind         TEXT NOT NULL,             -- the AS2 activity type: Create, Announce, …
    object_type  TEXT NOT NULL,             -- the AS2 object type: Note, Link, …
    object_href  TEXT,                      -- the shared link (http or https), if any
    object_name  TEXT,                      -- its title, if known
    summary      TEXT NOT NULL,             -- plain text, one line
    content      TEXT,                      -- plain text: the person's own words, if any
    template     TEXT,                      -- the template it was written with, if any
    audience     TEXT NOT NULL,             -- 'friends' (all friends) | 'chosen' (recipients)
    client_id    TEXT,                      -- the app that wrote it; NULL for provider pages
    published    INTEGER NOT NULL
);
CREATE INDEX activities_actor ON activities(actor_id);

-- The chosen recipients of an activity with audience 'chosen'.
CREATE TABLE activity_recipients (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_recipients_person ON activity_recipients(person_id);
