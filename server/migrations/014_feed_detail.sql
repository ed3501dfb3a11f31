-- The values in the last poll's message (issue 17, feeds), so the app's page can say it in the
-- reader's language: a JSON array of strings, in the order the message for `status` names them
-- (`ok`: entries read, new, activities written; `feed_http_error`: the status; …). Empty for
-- the rows polled before this column (their English `message` is shown). Portable SQL.
ALTER TABLE app_feeds ADD COLUMN detail TEXT NOT NULL DEFAULT '';
