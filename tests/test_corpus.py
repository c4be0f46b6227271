"""Checks on the bundled sample corpus itself: sizes, coverage, and that its gold file matches the files.

The corpus is the demo input and the fixture for every later stage, so a planted string that
drifted out of its page, or a container record that moved, must fail here and not in a later
stage's test.
"""

from __future__ import annotations

import csv
import gzip
import html
import importlib.util
import io
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import feedparser
import pytest
from warcio.archiveiterator import ArchiveIterator

from newsprism.extract.text import ngrams, words

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = json.loads((Path(__file__).parent / "fixtures" / "corpus-gold.json").read_text(encoding="utf-8"))
ARTICLES = GOLD["articles"]
SEEDS = ROOT.parent / "shared" / "seeds"

SEMEVAL_TECHNIQUES = {
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
}
TIMEX_VALUE = re.compile(
    r"^(\d{4}(-\d{2}(-\d{2}(T(\d{2}:\d{2}|MO|AF|EV|NI))?)?)?|\d{4}-W\d{2}(-WE)?|\d{3}X|\d{4}-(SU|FA|WI|SP)"
    r"|P(\d+|X)[YMWD]|PAST_REF|PRESENT_REF|FUTURE_REF)$"
)


def split_source(source: str) -> tuple[Path, int | None]:
    path, _, index = source.partition("#")
    return CORPUS / path, int(index) if index else None


@cache
def warc_article_records() -> list[tuple[str, str]]:
    """(url, html) of the article records: 200 responses with an HTML payload, in file order."""
    records = []
    with (CORPUS / "warc" / "crawl.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if record.http_headers.get_statuscode() == "200" and content_type.startswith("text/html"):
                url = record.rec_headers.get_header("WARC-Target-URI")
                records.append((url, record.content_stream().read().decode("utf-8")))
    return records


@cache
def feed_entries(path: Path) -> list:
    return feedparser.parse(path.read_bytes()).entries


@cache
def table_rows(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return list(csv.DictReader(io.StringIO(text, newline="")))


def record_text(source: str) -> tuple[str | None, str]:
    """(title field, text holding the planted strings) of one gold source.

    Pages (dumps, HTML, WARC records) have no separate title field: None and the whole page.
    Feed entries give their paragraphs joined by blank lines, as the exports store them.
    """
    path, index = split_source(source)
    if index is None:
        return None, path.read_text(encoding="utf-8")
    if path.suffix == ".gz":
        return None, warc_article_records()[index][1]
    if path.suffix in (".rss", ".atom"):
        entry = feed_entries(path)[index]
        paragraphs = re.findall(r"<p>(.*?)</p>", entry.content[0].value, flags=re.S)
        return entry.title, "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs)
    row = table_rows(path)[index]
    return row["title"], row["text"]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_counts_per_kind_outlet_and_story() -> None:
    kinds = Counter(a["kind"] for a in ARTICLES)
    assert len(ARTICLES) >= 42
    assert kinds["dump"] >= 14 and kinds["html"] >= 14 and kinds["warc"] >= 5 and kinds["rss"] >= 5
    assert kinds["jsonl"] >= 2 and kinds["csv"] >= 2
    outlets = Counter(a["outlet"] for a in ARTICLES)
    assert len(outlets) >= 6 and set(outlets) == set(GOLD["outlets"])
    outlet_kinds = " ".join(v["kind"] for v in GOLD["outlets"].values())
    for kind in ("state-backed", "wire", "blog", "regional"):
        assert kind in outlet_kinds
    assert sum("independent" in v["kind"] for v in GOLD["outlets"].values()) >= 2
    covered = {s: {a["outlet"] for a in ARTICLES if a["story"] == s} for s in GOLD["stories"]}
    assert sum(len(o) >= 3 for o in covered.values()) >= 5
    assert sum(len(o) == 1 for o in covered.values()) >= 2
    assert sum(a["language"] != "en" for a in ARTICLES) >= 2


def test_dates_fall_in_the_two_weeks_and_keep_time_zones() -> None:
    for article in ARTICLES:
        assert "2026-03-02" <= article["published"][:10] <= "2026-03-15", article["source"]
        if "T" in article["published"]:
            assert re.search(r"[+-]\d\d:\d\d$", article["published"]), article["source"]


def test_every_source_exists_and_container_records_match_gold() -> None:
    for article in ARTICLES:
        path, index = split_source(article["source"])
        assert path.is_file(), article["source"]
        if index is None:
            continue
        if path.suffix == ".gz":
            assert warc_article_records()[index][0] == article["url"]
        elif path.suffix in (".rss", ".atom"):
            assert feed_entries(path)[index].link == article["url"]
        else:
            assert table_rows(path)[index]["url"] == article["url"]
        title, _ = record_text(article["source"])
        assert title in (None, article["title"])


def test_titles_and_bodies_occur_in_their_files() -> None:
    for article in ARTICLES:
        title, text = record_text(article["source"])
        if title is None:
            assert html.escape(article["title"], quote=False) in text, article["source"]
        else:
            assert title == article["title"]
        body = squeeze(text)
        assert article["first_words"] in body, article["source"]
        assert article["last_words"] in body, article["source"]


def planted_strings(article: dict) -> list[str]:
    strings = [q[key] for q in article["quotes"] for key in ("text", "speaker", "cue")]
    strings += [t["text"] for t in article["timex"]] + [c["value"] for c in article["conflicts"]]
    strings += [e["text"] for e in article["entities"]] + [t["text"] for t in article["techniques"]]
    strings += [m["text"] for m in article["misattributed"]] + article["commentary"]
    return strings


def test_every_planted_string_occurs_verbatim() -> None:
    missing = []
    for article in ARTICLES:
        _, text = record_text(article["source"])
        missing += [(article["source"], s) for s in planted_strings(article) if s not in text]
    assert not missing


def test_annotation_values_are_well_formed() -> None:
    for article in ARTICLES:
        assert {t["technique"] for t in article["techniques"]} <= SEMEVAL_TECHNIQUES
        assert all(TIMEX_VALUE.match(t["value"]) for t in article["timex"]), article["source"]
        assert all(q["kind"] in ("direct", "indirect") for q in article["quotes"])
    techniques = Counter(a["outlet"] for a in ARTICLES for _ in a["techniques"])
    assert techniques["Meridian Today"] >= 20 and techniques["Frontline Digest"] >= 10


def test_planted_comparison_phenomena_are_present() -> None:
    values = {}
    for article in ARTICLES:
        for conflict in article["conflicts"]:
            values.setdefault(conflict["fact"], set()).add(conflict["value"])
    assert {"March 23", "March 24"} <= values["meeting_date"]
    assert {"About 400 people", "Around 40 activists"} <= values["crowd_size"]
    assert any(a["omits"] for a in ARTICLES)
    assert any(a["misattributed"] for a in ARTICLES)
    assert len(GOLD["planted"]["quote_variants"]) >= 3
    speakers = {q["speaker"] for a in ARTICLES for q in a["quotes"]}
    assert {"she", "he", "him", "her"} <= speakers
    relative = {t["text"] for a in ARTICLES for t in a["timex"]}
    assert {"from next Wednesday", "on Tuesday", "last week", "23.03.2026"} <= relative


def test_blog_copies_carry_the_wire_text_verbatim_plus_commentary() -> None:
    blog = [a for a in ARTICLES if a["republished_from"]]
    assert len(blog) >= 5
    for article in blog:
        _, copy = record_text(article["source"])
        _, original = record_text(article["republished_from"])
        sign_off = set(next(a for a in ARTICLES if a["source"] == article["republished_from"])["boilerplate_snippets"])
        for paragraph in original.split("\n\n"):
            assert paragraph in sign_off or paragraph in copy
        assert len(article["commentary"]) == 2


def test_boilerplate_snippets_are_on_the_page() -> None:
    for article in ARTICLES:
        _, raw = record_text(article["source"])
        snippets = article["boilerplate_snippets"]
        if article["kind"] in ("dump", "html", "warc"):
            assert len(snippets) == 3
        assert all(html.escape(s, quote=False) in raw or s in raw for s in snippets), article["source"]


def test_exactly_one_hostile_page_and_its_markup_is_there() -> None:
    hostile = [a for a in ARTICLES if a.get("hostile_markup")]
    assert len(hostile) == 1
    raw = (CORPUS / hostile[0]["source"]).read_text(encoding="utf-8")
    assert all(s in raw for s in hostile[0]["hostile_markup"])


def test_warc_holds_the_expected_records_and_rebuilds_identically() -> None:
    with (CORPUS / "warc" / "crawl.warc.gz").open("rb") as stream:
        records = [
            (
                r.rec_type,
                r.http_headers.get_statuscode() if r.http_headers else None,
                (r.http_headers.get_header("Content-Type") or "") if r.http_headers else "",
            )
            for r in ArchiveIterator(stream)
        ]
    responses = [r for r in records if r[0] == "response"]
    assert len(warc_article_records()) >= 5
    assert any(r[0] == "request" for r in records)
    assert any(r[2] == "image/png" for r in responses)
    assert any(r[1] == "404" for r in responses)
    spec = importlib.util.spec_from_file_location("builder", ROOT / "scripts" / "build_corpus_containers.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert builder.build() == (CORPUS / "warc" / "crawl.warc.gz").read_bytes()
    assert gzip.decompress((CORPUS / "warc" / "crawl.warc.gz").read_bytes()).startswith(b"WARC/1.")


def test_feeds_parse_with_inline_content() -> None:
    for name, minimum in (("cpa-wire-world.rss", 5), ("meridian-heute.atom", 2)):
        parsed = feedparser.parse((CORPUS / "feeds" / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) >= minimum
        for entry in parsed.entries:
            assert entry.content[0].type == "text/html" and len(entry.content[0].value) > 400
            assert entry.published and entry.author and entry.tags


def test_exports_parse() -> None:
    for path in sorted((CORPUS / "exports").iterdir()):
        rows = table_rows(path)
        assert len(rows) >= 2
        for row in rows:
            assert {"url", "title", "published", "outlet", "authors", "text"} <= set(row)
            assert row["text"].count("\n\n") >= 3


def test_corpus_size_stays_small() -> None:
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < 1_500_000


def shingles(text: str) -> set[tuple[str, ...]]:
    """8-word runs: a shared one means a copied sentence, not a shared phrase."""
    return ngrams(words(text), 8)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not available")
def test_no_sentence_is_copied_from_the_seeds() -> None:
    seed = set().union(*(shingles(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")))
    for path in CORPUS.rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".html", ".rss", ".atom", ".jsonl", ".csv"):
            assert not shingles(path.read_text(encoding="utf-8")) & seed, path
