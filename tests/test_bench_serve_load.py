"""`newsprism bench serve --load`: real clients against a real `newsprism serve` while a real ingest writes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsprism.bench import serve as serve_bench
from newsprism.cli import main

PAGES = Path(__file__).parent / "fixtures" / "failures"


def test_clients_get_answers_while_an_ingest_writes(tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite"
    assert CliRunner().invoke(main, ["ingest", "--db", str(source), "--jobs", "1", str(PAGES)]).exit_code == 0
    results = serve_bench.run_load(articles=100, clients=2, seconds=2, source_db=source, corpus=PAGES)
    assert results["requests"] > 10 and results["errors"] == 0
    assert set(results["pages"]) == set(serve_bench.LOAD_PAGES)
    assert results["latency_ms"]["p50"] <= results["latency_ms"]["p95"] <= results["latency_ms"]["p99"]
    assert results["ingest_alone_s"] > 0 and results["ingest_under_load_s"] > 0
    table = serve_bench.format_load_table(results)
    assert "2 clients for 2 s" in table and "| all |" in table
