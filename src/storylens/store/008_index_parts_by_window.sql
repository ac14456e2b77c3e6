-- The LSH index's parts cut by time window as well as by key partition, so that a run reads only the parts of
-- the windows its articles meet. Parts saved before have no window: every run reads them.
ALTER TABLE index_parts ADD COLUMN window INTEGER;
