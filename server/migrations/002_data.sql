-- 002_data: indexes for the /v1/me/contacts queries (issue 5).
--
-- Every contacts query is `WHERE owner_id = ?` and ends its ORDER BY with the primary key `id`
-- (stable pages). With these, the default order (by id) and the common orders (by last name,
-- by first name) read one person's rows already sorted and stop after the page, instead of
-- sorting the whole address book: with 10,000 contacts, a $filter + $orderby=last_name,first_name
-- + $top=50 query drops from a temporary B-tree sort of every match to an index walk.
-- Columns keep the default BINARY collation (the OData evaluator compares byte-wise).
CREATE INDEX IF NOT EXISTS contacts_owner_id ON contacts(owner_id, id);
CREATE INDEX IF NOT EXISTS contacts_owner_last_first ON contacts(owner_id, last_name, first_name, id);
CREATE INDEX IF NOT EXISTS contacts_owner_first_last ON contacts(owner_id, first_name, last_name, id);
