-- What the web app reads: the story list, the entity pages and search, written with each story's analysis
-- (Store.put_results), so that listing or searching 10,000 stories decodes none of them.

-- One row per analysed story: what a line of the story list shows.
CREATE TABLE story_list (
    story_id        TEXT PRIMARY KEY,
    title           TEXT,                   -- headline of its earliest dated article that has one
    articles        INTEGER NOT NULL,
    sources         TEXT NOT NULL,          -- JSON list of its outlets
    conflicts       INTEGER NOT NULL,
    quotes          INTEGER NOT NULL,
    first_published TEXT,
    last_published  TEXT,
    updated_at      TEXT NOT NULL           -- when its analysis was last stored
) WITHOUT ROWID;
CREATE INDEX story_list_by_newest ON story_list(last_published DESC, articles DESC, story_id);
CREATE INDEX story_list_by_updated ON story_list(updated_at);

-- The outlets of each story, to filter the list by source.
CREATE TABLE story_sources (
    source   TEXT NOT NULL,
    story_id TEXT NOT NULL,
    PRIMARY KEY (source, story_id)
) WITHOUT ROWID;
CREATE INDEX story_sources_by_story ON story_sources(story_id);

-- The quotes each story's report shows (direct and reported), offsets into their article's text.
CREATE TABLE quotes (
    id         INTEGER PRIMARY KEY,
    story_id   TEXT NOT NULL,
    article_id TEXT NOT NULL,
    speaker    TEXT,
    speaker_entity TEXT,                   -- entities.entity_id of the speaker, when known
    text       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL
);
CREATE INDEX quotes_by_story ON quotes(story_id);
CREATE INDEX quotes_by_article ON quotes(article_id);
CREATE INDEX quotes_by_speaker ON quotes(speaker_entity);

-- Each story's entities; `entity_id` is the same in every story that names the entity alike.
CREATE TABLE entities (
    id        INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    story_id  TEXT NOT NULL,
    name      TEXT NOT NULL,
    type      TEXT NOT NULL,
    aliases   TEXT NOT NULL,                -- one name a line
    mentions  INTEGER NOT NULL
);
CREATE INDEX entities_by_entity ON entities(entity_id);
CREATE INDEX entities_by_story ON entities(story_id);

-- Full-text search over quotes and entities (articles_fts covers the articles), kept in step by triggers.
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker, content='quotes', content_rowid='id');
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;

CREATE VIRTUAL TABLE entities_fts USING fts5(name, aliases, content='entities', content_rowid='id');
CREATE TRIGGER entities_fts_insert AFTER INSERT ON entities BEGIN
    INSERT INTO entities_fts(rowid, name, aliases) VALUES (new.id, new.name, new.aliases);
END;
CREATE TRIGGER entities_fts_delete AFTER DELETE ON entities BEGIN
    INSERT INTO entities_fts(entities_fts, rowid, name, aliases) VALUES ('delete', old.id, old.name, old.aliases);
END;

-- Sources `storylens watch` polls (feed and page URLs, files), and what it needs to poll them politely:
-- the HTTP validators of the last answer, a hash of the last body, and when to try again after errors.
CREATE TABLE watched (
    source        TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    signature     TEXT,                     -- a hash of the last body read, or a file's mtime and size
    failures      INTEGER NOT NULL DEFAULT 0,
    next_poll     REAL NOT NULL DEFAULT 0,  -- Unix time
    last_error    TEXT,
    checked_at    TEXT
) WITHOUT ROWID;
