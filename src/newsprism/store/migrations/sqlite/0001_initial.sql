-- Raw inputs kept compressed so articles can be re-extracted when the extractor improves.
CREATE TABLE raw_inputs (
    id         TEXT PRIMARY KEY,          -- blake2b of kind + data: same bytes, same row
    source     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    url        TEXT,
    fetched    TEXT,
    meta       TEXT NOT NULL DEFAULT '{}',
    data       BLOB NOT NULL,             -- zlib-compressed payload
    size       INTEGER NOT NULL,
    added_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE articles (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    raw_id        TEXT REFERENCES raw_inputs(id) ON DELETE SET NULL,
    source        TEXT NOT NULL,
    url           TEXT,
    canonical_url TEXT,
    outlet        TEXT,
    domain        TEXT,
    title         TEXT,
    description   TEXT,
    published     TEXT,
    modified      TEXT,
    authors       TEXT NOT NULL DEFAULT '[]',
    tags          TEXT NOT NULL DEFAULT '[]',
    section       TEXT,
    image         TEXT,
    language      TEXT,
    dateline      TEXT,
    credits       TEXT NOT NULL DEFAULT '[]',
    text          TEXT NOT NULL,
    extraction    TEXT NOT NULL DEFAULT '{}',
    added_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX articles_raw ON articles(raw_id);
CREATE INDEX articles_outlet_published ON articles(outlet, published);
CREATE INDEX articles_published ON articles(published);

-- Standoff annotation layers: spans point into articles.text by code-point offsets.
CREATE TABLE layers (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    component  TEXT NOT NULL,
    version    TEXT NOT NULL,
    spans      TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, name)
);

CREATE TABLE stories (
    id    TEXT PRIMARY KEY,
    title TEXT
);
CREATE TABLE story_articles (
    story_id   TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, article_id)
);

-- Inputs that gave no article, with the reason: nothing is silently lost.
CREATE TABLE failures (
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (source, reason)
);

-- Full-text index over the normalised form (NFKC, confusables folded, quotes unified), so that
-- a homoglyph title is found by its plain spelling. Kept in step by the store, not by triggers,
-- because the normalisation is Python code.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize='unicode61 remove_diacritics 2');
