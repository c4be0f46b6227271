-- Two levels of linking: an event is one happening; a storyline (the `stories` table, as users
-- call it) holds the events that continue one another. The linker's state lives here too, so an
-- ingest links only its new articles (link/state.py).
CREATE TABLE events (
    id        TEXT PRIMARY KEY,
    title     TEXT,
    story_id  TEXT,
    first_day REAL,                        -- publication days since the epoch (UTC)
    last_day  REAL,
    articles  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_story ON events(story_id);
CREATE TABLE event_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    event_id   TEXT NOT NULL
);
CREATE INDEX event_articles_event ON event_articles(event_id);
-- An event or storyline merged into another: the old id stays resolvable.
CREATE TABLE merges (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX story_articles_article ON story_articles(article_id);

-- The linkers' state (JSON values written and read by link/state.py through the store).
CREATE TABLE link_counters (id INTEGER PRIMARY KEY CHECK (id = 1), n_docs INTEGER, created INTEGER, newest_day REAL);
CREATE TABLE link_terms (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE link_events (key TEXT PRIMARY KEY, active INTEGER NOT NULL, last_day REAL, value TEXT NOT NULL);
CREATE INDEX link_events_stale ON link_events(active, last_day);
CREATE TABLE link_postings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE link_recent (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, value TEXT NOT NULL);
CREATE TABLE link_assigned (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE link_links (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE link_storyline_of (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE link_storylines (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Stories linked by earlier versions were single events: the next ingest links the store again.
DELETE FROM story_articles;
DELETE FROM stories;
