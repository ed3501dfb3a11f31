-- 005_rotation: what a refresh-token rotation left behind, so a client whose answer was lost
-- can retry it once (docs/security.md, "Tokens and grants").
-- On a rotated refresh token: when it was rotated, the pair that rotation minted (the
-- successor refresh and access tokens' hashes), and when its one retry happened.
ALTER TABLE tokens ADD COLUMN rotated_at INTEGER;
ALTER TABLE tokens ADD COLUMN successor_refresh BLOB;
ALTER TABLE tokens ADD COLUMN successor_access BLOB;
ALTER TABLE tokens ADD COLUMN retried_at INTEGER;
-- On an access token: when it was first validated from the database (first used).
ALTER TABLE tokens ADD COLUMN used_at INTEGER
