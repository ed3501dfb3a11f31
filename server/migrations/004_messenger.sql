-- 004_messenger: the messenger hub's instant messages (docs/messenger.md).
-- Portable SQL: ids increase in storing order (the order clients show), times as Unix seconds.

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,            -- increasing; never reused (rows are not deleted)
    sender_id    TEXT NOT NULL REFERENCES people(id),
    recipient_id TEXT NOT NULL REFERENCES people(id),
    text         TEXT NOT NULL,
    client_id    TEXT,                           -- the sender's own id for the message
    created_at   INTEGER NOT NULL,
    delivered_at INTEGER                         -- reached one of the recipient's connections
);
-- A conversation, newest first (history), and everything to or after an id (resync).
CREATE INDEX messages_pair ON messages(sender_id, recipient_id, id);
CREATE INDEX messages_recipient ON messages(recipient_id, id);
CREATE INDEX messages_sender ON messages(sender_id, id);
CREATE INDEX messages_undelivered ON messages(recipient_id, id) WHERE delivered_at IS NULL
