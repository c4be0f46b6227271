"""Crash safety of the store: an ingest killed at any point, a full disk, a store locked by another writer.

Real `newsprism ingest` processes on a real SQLite file: killed with SIGKILL at random moments, run on a
small tmpfs (when this machine lets us mount one), or run while another connection holds the write lock.
The store must always open, hold no half-written article, and a rerun must complete with nothing lost
and nothing twice.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsprism.store import Store

NEWSPRISM = str(Path(sys.executable).parent / "newsprism")
CORPUS_HTML = Path(__file__).resolve().parents[1] / "corpus" / "html"
KILL_TRIALS = 16


def ingest(db: Path, inputs: Path, *options: str) -> subprocess.Popen[str]:
    command = [NEWSPRISM, "ingest", "--db", str(db), "--jobs", "1", "--no-progress", *options, str(inputs)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


def contents(db: Path) -> dict[str, frozenset[str]]:
    """Each stored article id with the names of its layers; the store must open and pass SQLite's check."""
    with Store(db) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = store.db.execute("SELECT articles.id, layers.name FROM articles LEFT JOIN layers ON "
                                "layers.article_id = articles.id").fetchall()
        raw = store.db.execute("SELECT count(*) FROM raw_inputs").fetchone()[0]
    found: dict[str, set[str]] = {}
    for article_id, layer in rows:
        found.setdefault(article_id, set()).update([layer] if layer else [])
    return {"raw inputs": frozenset({str(raw)})} | {k: frozenset(v) for k, v in found.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, frozenset[str]], float]:
    """The inputs, what a whole uninterrupted ingest stores, and how long it took."""
    folder = tmp_path_factory.mktemp("crash")
    inputs = folder / "in"
    shutil.copytree(CORPUS_HTML, inputs)
    started = time.monotonic()
    code, stderr = finished(ingest(folder / "reference.sqlite", inputs))
    assert code == 0, stderr
    return inputs, contents(folder / "reference.sqlite"), time.monotonic() - started


def test_an_ingest_killed_at_any_moment_leaves_a_whole_store_and_a_rerun_completes(
    reference: tuple[Path, dict[str, frozenset[str]], float], tmp_path: Path
) -> None:
    inputs, expected, seconds = reference
    layers = max(expected.values(), key=len)
    db = tmp_path / "killed.sqlite"
    moments = random.Random(18).sample(range(40, 100), KILL_TRIALS)  # the first ~half loads the models
    for percent in moments:
        process = ingest(db, inputs, "--batch", "1")  # a commit after every article: kills land between and in them
        time.sleep(seconds * percent / 100)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if db.exists():
            partial = contents(db)
            assert all(found == layers for key, found in partial.items() if key != "raw inputs"), percent
    code, stderr = finished(ingest(db, inputs))
    assert code == 0, stderr
    assert contents(db) == expected
    code, stderr = finished(ingest(db, inputs))
    assert code == 0 and '"new": 0' in stderr and contents(db) == expected


def test_a_store_locked_by_another_writer_gives_one_line_and_no_change(
    reference: tuple[Path, dict[str, frozenset[str]], float], tmp_path: Path
) -> None:
    inputs, expected, _ = reference
    db = tmp_path / "locked.sqlite"
    Store(db).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, stderr = finished(ingest(db, inputs))
    finally:
        holder.rollback()
        holder.close()
    lines = stderr.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "the store is locked by another writer" in lines[0]
    assert contents(db) == {"raw inputs": frozenset({"0"})}
    assert finished(ingest(db, inputs))[0] == 0 and contents(db) == expected


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 400 KB tmpfs, room for an empty store but not for the articles; skipped where mounting is not allowed."""
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_gives_one_line_and_the_store_stays_whole(
    reference: tuple[Path, dict[str, frozenset[str]], float], small_disk: Path
) -> None:
    inputs, expected, _ = reference
    db = small_disk / "full.sqlite"
    code, stderr = finished(ingest(db, inputs))
    lines = stderr.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "cannot write the store" in lines[0], stderr
    before = contents(db)
    assert all(found == max(expected.values(), key=len) for key, found in before.items() if key != "raw inputs")
