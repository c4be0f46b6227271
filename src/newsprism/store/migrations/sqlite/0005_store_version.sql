-- A counter every committed write bumps (Store.commit): the served aggregates are kept under it,
-- so a layer rewritten in place (same row, same count) still drops them.
CREATE TABLE store_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO store_state(id, version) VALUES (1, 0);
