-- A stage or layer that failed on one stored article (model.Failure): the article keeps its other
-- layers, and `analyze` runs the failed layers again (a layer that then runs drops its row).
CREATE TABLE article_failures (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL,
    layer      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (article_id, stage, layer)
) WITHOUT ROWID;
