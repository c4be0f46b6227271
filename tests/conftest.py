"""Fixtures for the back ends: an SQLite file, and a database on a real PostgreSQL server that the session
starts on loopback (its tests are skipped, with the reason, where PostgreSQL is not installed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsprism.store.server import server_binaries, temporary_server
from store_targets import BACK_ENDS, new_store_target


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    if server_binaries() is None:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql)")
    with temporary_server() as url:
        yield url


@pytest.fixture(params=BACK_ENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store's --db value, on each back end in turn."""
    return new_store_target(request.param, tmp_path, request)


@pytest.fixture(scope="module", params=BACK_ENDS)
def module_store_target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh store's --db value shared by one test module, on each back end in turn."""
    return new_store_target(request.param, tmp_path_factory.mktemp("store"), request)
