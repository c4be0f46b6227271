"""bench scale's own parts: the memory of a whole process tree, and the export its ingests read."""

from __future__ import annotations

import sys

from newsprism.bench.link import synthetic_stream
from newsprism.bench.scale import PART_RECORDS, format_tables, run_measured, write_export
from newsprism.model import Article
from newsprism.pipeline import extract_paths

CHILD_HOLDS_60_MB = ("import subprocess, sys; subprocess.run([sys.executable, '-c', "
                     "'import time; x = bytearray(60_000_000); time.sleep(1.5)'])")


def test_the_peak_memory_counts_the_children_of_the_command():
    measured = run_measured([sys.executable, "-c", CHILD_HOLDS_60_MB])
    assert measured["peak_mb"] >= 60 and measured["seconds"] >= 1.5


def test_the_export_holds_the_stream_as_articles_an_ingest_reads(tmp_path):
    groups = [[("Ferry pier reopens", "The ferry pier in Port Velm reopened on Monday after repairs. "
                "Crews worked through the night. The harbour master thanked them.")]]
    export = write_export(tmp_path / "stream", groups, PART_RECORDS + 3)
    assert [p.name for p in sorted(export.iterdir())] == ["part-00000.jsonl", "part-00001.jsonl"]
    read = [a for _, a in extract_paths([export]) if isinstance(a, Article)]
    stream = [a for a, _ in synthetic_stream(groups, PART_RECORDS + 3)]
    assert [(a.title, a.outlet, a.published[:19]) for a in read] == [  # dates read to the second
        (a.title, a.outlet, a.published[:19]) for a in stream]


def test_the_tables_name_every_measured_row():
    results = {"stages": {}, "store": [], "readers": {},
               "ingest": [{"articles": 10, "executor": "1 process", "store": "SQLite", "seconds": 2.0,
                           "articles_per_s": 5.0, "peak_mb": 300}]}
    assert "| 10 | 1 process | SQLite | 2.0 | 5.0 | 300 |" in format_tables(results)
