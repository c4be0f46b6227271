-- `newsprism watch`: every response it got (the evidence log, with where the WARC record is), the pages
-- it knows and what it needs to ask for them again politely, and the versions of each article page.
CREATE TABLE fetches (
    id          BIGSERIAL PRIMARY KEY,
    source      TEXT COLLATE "C" NOT NULL,            -- the source's name in SOURCES.toml
    url         TEXT COLLATE "C" NOT NULL,            -- as asked for
    final_url   TEXT COLLATE "C",                     -- after redirects
    kind        TEXT COLLATE "C" NOT NULL,            -- robots | home | feed | sitemap | article
    status      INTEGER,                  -- HTTP status; NULL when there was no answer
    error       TEXT COLLATE "C",                     -- one line, when the fetch failed
    fetched_at  TEXT COLLATE "C" NOT NULL,
    seconds     DOUBLE PRECISION NOT NULL,
    size        BIGINT NOT NULL DEFAULT 0,
    warc_file   TEXT COLLATE "C",                     -- the archived response: file name in the WARC folder,
    warc_offset BIGINT,                  -- its byte offset there,
    warc_record TEXT COLLATE "C"                      -- and its WARC-Record-ID
);
CREATE INDEX fetches_source_at ON fetches(source, fetched_at);
CREATE INDEX fetches_at ON fetches(fetched_at);

CREATE TABLE watch_pages (
    url           TEXT COLLATE "C" PRIMARY KEY,       -- normalised, so a URL listed twice is one page
    source        TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL,          -- article, or the listing it is (feed, sitemap, home)
    first_seen    TEXT COLLATE "C" NOT NULL,
    listed        TEXT COLLATE "C",                   -- the date its feed or sitemap entry gave last
    due           INTEGER NOT NULL DEFAULT 1,  -- 1: fetch it in the next round
    fetched_at    TEXT COLLATE "C",
    etag          TEXT COLLATE "C",
    last_modified TEXT COLLATE "C",
    attempts      INTEGER NOT NULL DEFAULT 0,  -- failed rounds in a row
    error         TEXT COLLATE "C"
);
CREATE INDEX watch_pages_due ON watch_pages(due, kind);

CREATE TABLE page_versions (
    url        TEXT COLLATE "C" NOT NULL,
    version    INTEGER NOT NULL,          -- 1, 2, ... in fetch order
    fetched_at TEXT COLLATE "C" NOT NULL,
    status     INTEGER NOT NULL,          -- 200, or 404/410 when the outlet deleted the page
    article_id TEXT COLLATE "C",                      -- the article this version gave; NULL when deleted
    fetch_id   BIGINT,
    PRIMARY KEY (url, version)
);
CREATE INDEX page_versions_article ON page_versions(article_id);
CREATE INDEX page_versions_at ON page_versions(fetched_at);  -- what changed since, articles per day
CREATE INDEX watch_pages_source ON watch_pages(source, kind);
-- a source's last error without reading every fetch it made
CREATE INDEX fetches_errors ON fetches(source, fetched_at) WHERE error IS NOT NULL;

-- "what is new since": articles by when they were stored
CREATE INDEX articles_added ON articles(added_at);
