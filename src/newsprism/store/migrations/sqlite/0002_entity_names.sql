-- Store-wide canonical names (annotate/names.py): how many articles use each (name, label) of
-- their entities layer, and the (canonical, canonical_label) the store reads it as, when different.
CREATE TABLE entity_names (
    name            TEXT NOT NULL,
    label           TEXT NOT NULL,
    articles        INTEGER NOT NULL DEFAULT 0,
    canonical       TEXT,
    canonical_label TEXT,
    PRIMARY KEY (name, label)
) WITHOUT ROWID;

INSERT INTO entity_names(name, label, articles)
SELECT json_extract(span.value, '$.attrs.canonical'), json_extract(span.value, '$.label'),
       count(DISTINCT layers.article_id)
FROM layers, json_each(layers.spans) AS span
WHERE layers.name = 'entities' AND json_extract(span.value, '$.attrs.canonical') IS NOT NULL
GROUP BY 1, 2;
