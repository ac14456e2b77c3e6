-- Where each article went: its story and, for a near-exact copy, the article it copies.
CREATE TABLE placements (
    article_id   TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id     TEXT NOT NULL,
    duplicate_of TEXT
) WITHOUT ROWID;
CREATE INDEX placements_by_story ON placements(story_id);

-- Passages of article a found again in article b (offsets into each article's text).
CREATE TABLE reuse (
    a           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_start     INTEGER NOT NULL,
    a_end       INTEGER NOT NULL,
    b           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    b_start     INTEGER NOT NULL,
    b_end       INTEGER NOT NULL,
    similarity  REAL NOT NULL,
    kind        TEXT NOT NULL,              -- verbatim | near | paraphrase
    first       TEXT,                       -- the article that had it first, when dates tell
    PRIMARY KEY (a, a_start, b, b_start)
) WITHOUT ROWID;
CREATE INDEX reuse_by_b ON reuse(b);

-- Saved state of the incremental stages (story centroids, MinHash index), written with the
-- placements it matches, in the same transaction.
CREATE TABLE indexes (
    name TEXT PRIMARY KEY,
    data BLOB NOT NULL
) WITHOUT ROWID;
