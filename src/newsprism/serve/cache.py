"""Store-wide aggregates (story summaries, outlets, speakers, technique counts) and story comparisons kept
between requests.

They scan every article's layers, which takes a second on 10k articles, while the store changes only
on ingest. Each value is kept under the store's version, a counter every committed write bumps
(``Store.commit``), so any ingest, analysis, re-extraction or re-linking drops them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from newsprism.store.base import Connection

T = TypeVar("T")
VERSION_SQL = "SELECT version FROM store_state"


def store_version(db: Connection) -> tuple[Any, ...]:
    return tuple(db.execute(VERSION_SQL).fetchone())


MAX_VALUES = 256  # values kept per store version (story comparisons are among them): the oldest go first


class AggregateCache:
    """Values computed from the store, reused while the store's version stays the same; thread-safe."""

    def __init__(self, max_values: int = MAX_VALUES) -> None:
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._values: dict[Any, Any] = {}
        self.max_values = max_values

    def get(self, db: Connection, key: Any, compute: Callable[[], T]) -> T:
        version = store_version(db)
        with self._lock:
            if version != self._version:
                self._version, self._values = version, {}
            if key in self._values:
                return self._values[key]
        value = compute()
        with self._lock:
            if version == self._version:
                self._values[key] = value
                while len(self._values) > self.max_values:
                    del self._values[next(iter(self._values))]
        return value
