-- The schema of SQLite's migrations 1 to 5 in one step, in PostgreSQL's types. Layers and lists stay
-- JSON text, as in SQLite, so both back ends give the same JSON; the queries cast them to jsonb.
-- Text sorts by its bytes (collation "C"), as SQLite's BINARY does, whatever the database's locale.
CREATE TABLE raw_inputs (
    id       TEXT COLLATE "C" PRIMARY KEY,          -- blake2b of kind + data: same bytes, same row
    rowid    BIGSERIAL UNIQUE,          -- the order they came in
    source   TEXT COLLATE "C" NOT NULL,
    kind     TEXT COLLATE "C" NOT NULL,
    url      TEXT COLLATE "C",
    fetched  TEXT COLLATE "C",
    meta     TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    data     BYTEA NOT NULL,            -- zlib-compressed payload
    size     BIGINT NOT NULL,
    added_at TEXT COLLATE "C" NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

CREATE TABLE articles (
    rowid         BIGSERIAL PRIMARY KEY,
    id            TEXT COLLATE "C" NOT NULL UNIQUE,
    raw_id        TEXT COLLATE "C" REFERENCES raw_inputs(id) ON DELETE SET NULL,
    source        TEXT COLLATE "C" NOT NULL,
    url           TEXT COLLATE "C",
    canonical_url TEXT COLLATE "C",
    outlet        TEXT COLLATE "C",
    domain        TEXT COLLATE "C",
    title         TEXT COLLATE "C",
    description   TEXT COLLATE "C",
    published     TEXT COLLATE "C",
    modified      TEXT COLLATE "C",
    authors       TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    tags          TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    section       TEXT COLLATE "C",
    image         TEXT COLLATE "C",
    language      TEXT COLLATE "C",
    dateline      TEXT COLLATE "C",
    credits       TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    text          TEXT COLLATE "C" NOT NULL,
    extraction    TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    added_at      TEXT COLLATE "C" NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX articles_raw ON articles(raw_id);
CREATE INDEX articles_outlet_published ON articles(outlet, published);
CREATE INDEX articles_published ON articles(published);

-- Full-text index of the normalised title (weight A) and text (weight D), ranked by ts_rank.
CREATE TABLE articles_fts (
    rowid BIGINT PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    doc   TSVECTOR NOT NULL
);
CREATE INDEX articles_fts_doc ON articles_fts USING GIN (doc);

CREATE TABLE layers (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name       TEXT COLLATE "C" NOT NULL,
    component  TEXT COLLATE "C" NOT NULL,
    version    TEXT COLLATE "C" NOT NULL,
    spans      TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, name)
);

CREATE TABLE stories (
    id    TEXT COLLATE "C" PRIMARY KEY,
    title TEXT COLLATE "C"
);
CREATE TABLE story_articles (
    story_id   TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX story_articles_article ON story_articles(article_id);

CREATE TABLE failures (
    source TEXT COLLATE "C" NOT NULL,
    reason TEXT COLLATE "C" NOT NULL,
    at     TEXT COLLATE "C" NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    PRIMARY KEY (source, reason)
);

CREATE TABLE entity_names (
    name            TEXT COLLATE "C" NOT NULL,
    label           TEXT COLLATE "C" NOT NULL,
    articles        BIGINT NOT NULL DEFAULT 0,
    canonical       TEXT COLLATE "C",
    canonical_label TEXT COLLATE "C",
    PRIMARY KEY (name, label)
);
CREATE INDEX entity_names_canonical ON entity_names(canonical);

CREATE TABLE events (
    id        TEXT COLLATE "C" PRIMARY KEY,
    title     TEXT COLLATE "C",
    story_id  TEXT COLLATE "C",
    first_day DOUBLE PRECISION,
    last_day  DOUBLE PRECISION,
    articles  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX events_story ON events(story_id);
CREATE TABLE event_articles (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    event_id   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX event_articles_event ON event_articles(event_id);
CREATE TABLE merges (
    old_id TEXT COLLATE "C" PRIMARY KEY,
    new_id TEXT COLLATE "C" NOT NULL,
    at     TEXT COLLATE "C" NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

CREATE TABLE link_counters (id BIGINT PRIMARY KEY CHECK (id = 1), n_docs BIGINT, created BIGINT,
                            newest_day DOUBLE PRECISION);
CREATE TABLE link_terms (key TEXT COLLATE "C" PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE link_events (key TEXT COLLATE "C" PRIMARY KEY, active BIGINT NOT NULL, last_day DOUBLE PRECISION,
                          value TEXT COLLATE "C" NOT NULL);
CREATE INDEX link_events_stale ON link_events(active, last_day);
CREATE TABLE link_postings (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);
CREATE TABLE link_recent (seq BIGSERIAL PRIMARY KEY, key TEXT COLLATE "C" NOT NULL UNIQUE, value TEXT COLLATE "C" NOT NULL);
CREATE TABLE link_assigned (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);
CREATE TABLE link_links (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);
CREATE TABLE link_storyline_of (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);
CREATE TABLE link_storylines (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);

CREATE TABLE article_failures (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    stage      TEXT COLLATE "C" NOT NULL,
    layer      TEXT COLLATE "C" NOT NULL,
    reason     TEXT COLLATE "C" NOT NULL,
    at         TEXT COLLATE "C" NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    PRIMARY KEY (article_id, stage, layer)
);

CREATE TABLE store_state (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO store_state(id, version) VALUES (1, 0);
