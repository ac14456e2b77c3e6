-- Stories past their time window (`stories.closed`), kept out of the tracker's state in `indexes`: each version
-- of a story written by save `seq` (its state and members, zlib-compressed JSON; NULL once the story is gone),
-- and the terms it is indexed under. The tracker's state says up to which save they count; the save that
-- commits drops the older versions of the stories it wrote, so one version of each story stays.
CREATE TABLE closed_stories (
    name  TEXT NOT NULL,
    story TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    data  BLOB,
    PRIMARY KEY (name, story, seq)
);
CREATE TABLE closed_terms (
    name  TEXT NOT NULL,
    term  TEXT NOT NULL,
    story TEXT NOT NULL,
    seq   INTEGER NOT NULL
);
CREATE INDEX closed_terms_by_term ON closed_terms(name, term, seq);
CREATE INDEX closed_terms_by_story ON closed_terms(name, story, seq);
