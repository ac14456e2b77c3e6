-- Each story's analysis as the per-story stage returned it, and what it was computed from: `inputs` is
-- a hash of the story's members, their reuse, the analysis version and the settings, so a story is
-- analysed again only when one of those changed.
CREATE TABLE story_results (
    story_id    TEXT PRIMARY KEY,
    inputs      TEXT NOT NULL,
    version     INTEGER NOT NULL,           -- storylens.model.ANALYSIS_VERSION
    settings    TEXT NOT NULL,              -- the settings that change results, and the spaCy pipeline
    result      BLOB NOT NULL,              -- zlib-compressed JSON of storylens.model.StoryResult
    errors      INTEGER NOT NULL,           -- steps that failed (listed inside `result`)
    linked      INTEGER NOT NULL DEFAULT 0, -- 1 once its links to other stories (story_links) are worked out
    analyzed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;

-- Texts that are not news articles (boilerplate, too short, not English...): kept, but out of stories.
CREATE TABLE not_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    reason     TEXT NOT NULL
) WITHOUT ROWID;

-- The folded names of each analysed story's named entities, to find stories that share them.
-- (columns in key order: SQLite 3.40's quick_check misreads NOT NULL columns of a WITHOUT ROWID table otherwise)
CREATE TABLE story_names (
    name     TEXT NOT NULL,
    story_id TEXT NOT NULL,
    PRIMARY KEY (name, story_id)
) WITHOUT ROWID;
CREATE INDEX story_names_by_story ON story_names(story_id);

-- Agreements between two analysed stories that share names (storylens.compare.related), kept for each
-- side: `groups` is zlib-compressed JSON of the storylens.model.CrossStoryAgreement records `story_id` shows.
CREATE TABLE story_links (
    story_id TEXT NOT NULL,
    other    TEXT NOT NULL,
    groups   BLOB NOT NULL,
    PRIMARY KEY (story_id, other)
) WITHOUT ROWID;
CREATE INDEX story_links_by_other ON story_links(other);
