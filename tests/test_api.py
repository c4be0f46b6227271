"""The Python API under the CLI: the same run from library calls."""

from __future__ import annotations

from pathlib import Path

import newsprism
from newsprism import Article, InputError, Store, extract_paths, ingest

HTML = Path(__file__).resolve().parents[1] / "corpus" / "html"


def test_extract_then_ingest_then_search(tmp_path):
    outcomes = list(extract_paths([HTML]))
    assert outcomes and all(isinstance(article, Article) for _, article in outcomes)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with Store(tmp_path / "news.sqlite") as store:
        report = ingest(extract_paths([HTML, empty]), store)
        assert (report.new, len(report.failures)) == (len(outcomes), 1)
        assert isinstance(report.failures[0], InputError) and report.failures[0].source == str(empty)
        assert store.search("Kharniv", limit=3)
    assert newsprism.__version__
