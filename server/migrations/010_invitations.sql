-- 010_invitations: invitations to connect, by e-mail address (issue 16 §3). Portable SQL
-- (rendered per dialect by store::db::render_migration); times as Unix seconds.
--
-- An invitation names an address, never a person: writing one looks no account up, so the
-- answer to the inviter cannot tell whether the address belongs to a member. The invitee sees
-- it on the provider's /invitations page (pending ones addressed to their e-mail) and accepts
-- (the friendship is stored both ways) or declines. No e-mail is sent.
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,                    -- "invitation.<16 hex>"
    inviter_id  TEXT NOT NULL REFERENCES people(id),
    email       TEXT NOT NULL,                       -- the invited address, lowercased
    status      TEXT NOT NULL,                       -- pending | accepted | declined | cancelled
    created_at  INTEGER NOT NULL,
    decided_at  INTEGER,                             -- when accepted, declined or cancelled
    invitee_id  TEXT REFERENCES people(id)           -- who accepted or declined
);
CREATE INDEX invitations_inviter ON invitations(inviter_id, created_at);
CREATE INDEX invitations_email ON invitations(email, status);
