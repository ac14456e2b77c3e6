-- Articles as read, one row per distinct normalized text, and every place each was read from.
CREATE TABLE articles (
    id         TEXT PRIMARY KEY,        -- hash of the normalized text (storylens.ingest.normalize)
    text       TEXT NOT NULL,           -- the text shown to a reader; offsets point into it
    title      TEXT,
    url        TEXT,
    source     TEXT,
    published  TEXT,                    -- ISO date or date-time, NULL when unknown
    byline     TEXT,
    format     TEXT NOT NULL,
    first_path TEXT,                    -- where it was first read from
    added_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    seq        INTEGER NOT NULL UNIQUE  -- arrival order, for incremental stages
);

CREATE TABLE article_paths (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    PRIMARY KEY (article_id, path)
) WITHOUT ROWID;

CREATE INDEX article_paths_by_path ON article_paths(path);
CREATE INDEX articles_by_published ON articles(published);

-- Full-text search over titles and texts, kept in step by triggers.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
