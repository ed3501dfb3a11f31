-- 011_media: photo albums and photos (wl.photos), calendars and events (wl.calendars,
-- wl.calendars_update) (issue 16 §4). Portable SQL (rendered per dialect by
-- store::db::render_migration); times are Unix seconds.

-- A person's photo albums.
CREATE TABLE albums (
    id          TEXT PRIMARY KEY,          -- album.<hex>
    owner_id    TEXT NOT NULL REFERENCES people(id),
    name        TEXT NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX albums_owner ON albums(owner_id, id);

-- A photo: the re-encoded image in three sizes (never the uploaded bytes), reachable by its
-- unguessable `media_key` (GET /v1/photos/{media_key}/{size}); `bytes` is the three sizes'
-- total, what the per-person storage cap adds up.
CREATE TABLE photos (
    id           TEXT PRIMARY KEY,         -- photo.<hex>
    owner_id     TEXT NOT NULL REFERENCES people(id),
    album_id     TEXT NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT,
    media_key    TEXT NOT NULL UNIQUE,     -- 32 random hex digits
    content_type TEXT NOT NULL,            -- image/jpeg or image/png (all three sizes)
    width        INTEGER NOT NULL,         -- of the full size
    height       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    full_image   BLOB NOT NULL,            -- at most 2048 px a side
    normal_image BLOB NOT NULL,            -- at most 320 px a side
    thumb_image  BLOB NOT NULL,            -- at most 96 px a side
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX photos_owner ON photos(owner_id, id);
CREATE INDEX photos_album ON photos(album_id, id);

-- A person's calendars; each person has at most one default calendar (created when first
-- listed, or by the demo seed).
CREATE TABLE calendars (
    id          TEXT PRIMARY KEY,          -- calendar.<hex>
    owner_id    TEXT NOT NULL REFERENCES people(id),
    name        TEXT NOT NULL,
    description TEXT,
    is_default  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX calendars_owner ON calendars(owner_id, id);
CREATE UNIQUE INDEX calendars_one_default ON calendars(owner_id) WHERE is_default = 1;

-- An event in a calendar.
CREATE TABLE events (
    id           TEXT PRIMARY KEY,         -- event.<hex>
    owner_id     TEXT NOT NULL REFERENCES people(id),
    calendar_id  TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT,
    location     TEXT,
    start_time   INTEGER NOT NULL,
    end_time     INTEGER NOT NULL,
    is_all_day   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX events_calendar_start ON events(calendar_id, start_time, id);
CREATE INDEX events_owner ON events(owner_id, id);
