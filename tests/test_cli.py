"""Command-level tests on the bundled sample corpus: extract, ingest, search, demo, and bad input."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import main
from newsprism.extract.text import words
from newsprism.serve.exports import write_jsonl
from newsprism.store import Store
from store_targets import BACK_ENDS, new_store_target

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = json.loads((Path(__file__).parent / "fixtures" / "corpus-gold.json").read_text(encoding="utf-8"))
GOLD_BY_SOURCE = {g["source"]: g for g in GOLD["articles"]}


def run(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, lines, result.stderr


@pytest.fixture(scope="module")
def corpus_articles() -> dict[str, dict]:
    code, articles, stderr = run("extract", str(CORPUS))
    assert code == 0, stderr
    return {str(Path(a["source"]).relative_to(CORPUS)): a for a in articles}


def test_extract_finds_every_corpus_article_once(corpus_articles):
    assert sorted(corpus_articles) == sorted(GOLD_BY_SOURCE)
    assert len({a["id"] for a in corpus_articles.values()}) == len(GOLD_BY_SOURCE)


def gold_value(source: str, field: str) -> object:
    """Gold, except that a URL the page does not carry is expected as null (never invented)."""
    gold = GOLD_BY_SOURCE[source]
    if field == "outlet":
        return gold.get("outlet_as_published", gold["outlet"])
    if field == "url" and gold["kind"] == "dump" and gold["url"] not in (CORPUS / source).read_text(encoding="utf-8"):
        return None
    return gold[field]


@pytest.mark.parametrize("field", ["title", "published", "outlet", "language", "url"])
def test_extract_metadata_matches_gold(corpus_articles, field):
    wrong = {
        source: (article[field], gold_value(source, field))
        for source, article in corpus_articles.items()
        if article[field] != gold_value(source, field)
    }
    assert wrong == {}


def test_extract_body_boundaries_and_no_boilerplate(corpus_articles):
    problems = []
    for source, article in corpus_articles.items():
        gold, text = GOLD_BY_SOURCE[source], article["text"]
        opening = words(f"{article['dateline'] or ''} {text[:300]}")  # the dateline is kept apart
        first = words(gold["first_words"])
        if not any(opening[k : k + len(first)] == first for k in range(len(opening))):
            problems.append((source, "start", text[:80]))
        if not text.rstrip().endswith(gold["last_words"]):
            problems.append((source, "end", text[-80:]))
        problems += [(source, "boilerplate", s) for s in gold.get("boilerplate_snippets", []) if s in text]
    assert problems == []


def test_extract_keeps_paragraphs_and_offsets_contract(corpus_articles):
    for article in corpus_articles.values():
        assert "\n\n" in article["text"] and "\n\n\n" not in article["text"]
        assert article["text"] == article["text"].strip()
        assert 0 <= article["extraction"]["confidence"] <= 1


def test_ingest_twice_changes_nothing(store_target):
    db = store_target
    code, _, first = run("ingest", "--db", str(db), str(CORPUS))
    assert code == 0, first
    assert f'"new": {len(GOLD_BY_SOURCE)}' in first
    code, _, second = run("ingest", "--db", str(db), str(CORPUS))
    assert code == 0 and '"new": 0' in second and f'"unchanged": {len(GOLD_BY_SOURCE)}' in second

    code, hits, _ = run("search", "--db", str(db), "--limit", "5", "prisoner", "swap")
    assert code == 0 and hits and all({"id", "title", "outlet", "snippet"} <= set(h) for h in hits)
    code, filtered, _ = run("search", "--db", str(db), "--language", "de", "Gastransit")
    assert code == 0 and filtered and all(h["language"] == "de" for h in filtered)


def test_ingest_links_stories_and_report_renders_one(tmp_path, store_target):
    db = store_target
    code, _, stderr = run("ingest", "--db", str(db), str(CORPUS / "feeds"), str(CORPUS / "exports"))
    stories = json.loads(stderr.split(": ", 1)[1])["stories"]
    assert code == 0 and stories >= 2
    with Store(db) as store:
        story = max(store.stories(), key=lambda s: len(s.article_ids))
    code, _, _ = run("report", story.id, "--db", str(db), "--format", "json", "--out", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert code == 0 and sorted(a["article_id"] for a in report["articles"]) == sorted(story.article_ids)
    code, profiles, _ = run("outlets", "--db", str(db))
    assert code == 0 and {p["outlet"] for p in profiles}
    assert run("report", "no-such-story", "--db", str(db))[0] == 2


def stored_layers(db: str, name: str) -> list[tuple[str, str]]:
    with Store(db) as store:
        query = "SELECT article_id, spans FROM layers WHERE name = ? ORDER BY article_id"
        return [tuple(row) for row in store.db.execute(query, (name,))]


def test_analyze_annotates_the_stored_articles_again_in_workers(store_target):
    db = store_target
    run("ingest", "--db", str(db), "--jobs", "1", str(CORPUS / "exports"))
    ingested = stored_layers(db, "timex")
    with Store(db) as store:
        store.db.execute("DELETE FROM layers WHERE name = 'timex'")
        store.commit()
    code, _, stderr = run("analyze", "--db", str(db), "--layers", "timex", "--jobs", "2")
    assert code == 0 and '"articles": 6' in stderr
    assert len(ingested) == 6 and stored_layers(db, "timex") == ingested
    assert run("analyze", "--db", str(db), "--layers", "nonsense")[0] == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reextract_keeps_articles_stable_and_restores_a_lost_one(store_target, jobs):
    db = store_target
    run("ingest", "--db", str(db), str(CORPUS / "dumps"))
    code, _, stderr = run("reextract", "--db", str(db), "--jobs", jobs)
    assert code == 0 and '"records": 14, "new": 0, "unchanged": 14' in stderr
    with Store(db) as store:
        lost = store.db.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
        store.db.execute("DELETE FROM articles WHERE id = ?", (lost,))
        store.commit()
    code, _, stderr = run("reextract", "--db", str(db), "--jobs", jobs)
    assert code == 0 and '"records": 14, "new": 1, "unchanged": 13' in stderr
    with Store(db) as store:
        assert store.counts()["articles"] == 14 and store.article(lost) is not None


def write_bad_inputs(folder: Path) -> dict[str, str]:
    """A folder of hostile or broken inputs beside one good page; returns file name -> reason start."""
    folder.mkdir()
    (folder / "good.txt").write_bytes((CORPUS / "dumps").glob("*.txt").__next__().read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "cut.txt.gz").write_bytes(gzip.compress(b"Line one of a page.\n" * 500)[:300])
    warc = (CORPUS / "warc" / "crawl.warc.gz").read_bytes()
    (folder / "cut.warc.gz").write_bytes(warc[: len(warc) // 2])
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(200 * 1000 * 1000)
    (folder / "menu.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>", encoding="utf-8"
    )
    (folder / "latin1.txt").write_bytes("Caf\xe9 news\n\nThe caf\xe9 reopened.".encode("latin-1"))
    return {
        "empty.txt": "empty file",
        "binary.txt": "binary file",
        "cut.txt.gz": "",
        "cut.warc.gz": "truncated WARC",
        "huge.txt": "file too large",
        "menu.html": "no article text found",
    }


def test_bad_inputs_give_one_line_errors_and_the_rest_is_processed(tmp_path):
    folder = tmp_path / "inputs"
    expected = write_bad_inputs(folder)
    result = subprocess.run(
        [sys.executable, "-m", "newsprism.cli", "extract", str(folder)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsprism: error: ")]
    assert len(errors) == len(result.stderr.splitlines())
    for name, reason in expected.items():
        assert any(f"{folder / name}" in line and reason in line for line in errors), (name, errors)
    sources = [Path(json.loads(line)["source"]).name for line in result.stdout.splitlines()]
    assert "good.txt" in sources and any(s.startswith("cut.warc.gz#") for s in sources)


def test_usage_errors_exit_2(tmp_path):
    not_a_store = tmp_path / "notes.sqlite"
    not_a_store.write_text("plain text", encoding="utf-8")
    code, _, stderr = run("ingest", "--db", str(not_a_store), str(CORPUS / "html"))
    assert code == 2 and stderr.strip().splitlines() == [
        f"Error: {not_a_store}: cannot use as a newsprism store (file is not a database)"
    ]
    assert run("extract")[0] == 2
    assert run("search", "--db", str(tmp_path / "none.sqlite"), "x")[0] == 2
    assert run("extract", "--jobs", "-1", str(CORPUS))[0] == 2


def test_parallel_extraction_gives_the_same_articles(corpus_articles):
    code, articles, _ = run("extract", "--jobs", "2", str(CORPUS / "exports"), str(CORPUS / "html"))
    assert code == 0
    serial = [a for s, a in corpus_articles.items() if s.startswith(("html/", "exports/"))]
    assert [a["id"] for a in articles] == [a["id"] for a in serial]


def test_demo_reports_where_results_are(tmp_path):
    code, _, _ = run("demo", "--out", str(tmp_path / "demo"))
    assert code == 0
    assert (tmp_path / "demo" / "newsprism.sqlite").is_file()
    lines = (tmp_path / "demo" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(GOLD_BY_SOURCE)


def test_link_prints_the_story_of_every_article_deterministically():
    code, first, _ = run("link", str(CORPUS / "feeds"), str(CORPUS / "exports"))
    assert code == 0 and len(first) == 13
    assert all(set(line) == {"source", "id", "story", "event", "title", "outlet", "published"} for line in first)
    assert len({line["story"] for line in first}) < len(first)  # some articles share a story
    assert run("link", str(CORPUS / "feeds"), str(CORPUS / "exports"))[1] == first


def test_both_back_ends_give_the_same_json_for_the_same_input(tmp_path, request):
    """SQLite and PostgreSQL stores of one input: the same articles with their layers, stories, reports and
    outlet profiles; search finds the same articles (ranks and snippets are each engine's own)."""
    sqlite_db, postgres_db = (new_store_target(back_end, tmp_path, request) for back_end in BACK_ENDS)
    outputs = {}
    for db in (sqlite_db, postgres_db):
        assert run("ingest", "--db", db, "--jobs", "1", str(CORPUS / "feeds"), str(CORPUS / "exports"))[0] == 0
        with Store(db) as store:
            handle = io.StringIO()
            write_jsonl(store, handle)
            stories = [(s.id, s.title, s.article_ids) for s in store.stories()]
        report_path = tmp_path / f"report-{len(outputs)}.json"
        run("report", stories[0][0], "--db", db, "--format", "json", "--out", str(report_path))
        hits = run("search", "--db", db, "--limit", "50", "gas")[1]
        report = report_path.read_text(encoding="utf-8")
        outputs[db] = (handle.getvalue(), stories, report, run("outlets", "--db", db)[1], sorted(h["id"] for h in hits))
    assert outputs[sqlite_db] == outputs[postgres_db]
    assert outputs[sqlite_db][4]  # the search found something
