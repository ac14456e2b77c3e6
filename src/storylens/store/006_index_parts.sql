-- The reuse search's LSH index, in parts: each save appends the band-key rows of the articles it placed, one
-- or more blobs per partition of keys (`seq` counts the saves). The tracker's state in `indexes` says up to which
-- save they count, so the parts of a save killed before its state was written are never read.
CREATE TABLE index_parts (
    name TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    part INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX index_parts_by_seq ON index_parts(name, seq, part);
