"""The back ends every store test runs on, and where a fresh store of each lives."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from newsprism.store.server import create_database

BACK_ENDS = ["sqlite", "postgresql"]
_stores = itertools.count()


def new_store_target(back_end: str, folder: Path, request: pytest.FixtureRequest) -> str:
    """A fresh, empty store's --db value on ``back_end``: a new SQLite file, or a new database on the
    session's PostgreSQL server."""
    if back_end == "sqlite":
        return str(folder / f"store{next(_stores)}.sqlite")
    return create_database(request.getfixturevalue("postgres_server"), f"store{next(_stores)}")
