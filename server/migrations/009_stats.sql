-- Usage statistics (issue 15): daily rollups per app, counts only. Portable SQL (rendered per
-- dialect by store::db::render_migration). No foreign key to apps: a flush never fails on an
-- app deleted meanwhile (deleting an app deletes its rows: store::stats::delete_app).

-- One counter per app, UTC day (days since 1970-01-01) and metric (docs/statistics.md lists
-- them). Every instance adds its own increments (value = value + n).
CREATE TABLE stats_daily (
    client_id TEXT NOT NULL,
    day       INTEGER NOT NULL,
    metric    TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (client_id, day, metric)
);

-- The distinct people active with an app on a day, as a HyperLogLog sketch (1,024 one-byte
-- registers of keyed hashes; no person id, no list): daily actives are its estimate, monthly
-- actives the estimate of the 30 days' sketches merged. Instances merge by register maximum.
CREATE TABLE stats_actives (
    client_id TEXT NOT NULL,
    day       INTEGER NOT NULL,
    sketch    BLOB NOT NULL,
    PRIMARY KEY (client_id, day)
);
