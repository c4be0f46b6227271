"""Invariants that must hold for any input, checked on inputs hypothesis makes up (property tests).

Spans of every layer lie inside their text and quote it exactly; comparison evidence is the article's
own slice; an ingest run twice stores nothing new; workers give what one process gives.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.annotate.registry import annotate_article, annotate_isolated, available_layers
from newsprism.compare import compare_story
from newsprism.model import Article, RawRecord
from newsprism.pipeline import annotate_paths, extract_paths, ingest, safe_extract
from newsprism.store import Store

WORDS = ["the", "council", "said", "Harrow", "Mira Jansen", "on", "Monday", "17", "killed", "“", "”", '"', ",",
         ".", "\n\n", "at least", "about", "tomorrow", "2026", "said the minister", "according to", "(", ")", "—",
         "See it now", "★", "ü", "Ж", "\u200b", "'s", "-", "three", "people", "injured", "March 3"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(text=texts, dct=st.sampled_from([None, "2026-03-02", "9999-12-31"]))
def test_every_span_of_every_layer_lies_inside_its_text_and_quotes_it(text: str, dct: str | None) -> None:
    done, failed = annotate_isolated(text, available_layers(), dct)
    assert failed == []
    for spans in done.values():
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(text) and text[span["start"] : span["end"]] == span["text"]


def _article(outlet: str, text: str) -> Article:
    return Article(source=f"{outlet}.txt", text=text, outlet=outlet, published="2026-03-02T08:00:00+00:00")


@SLOW
@given(st.lists(texts, min_size=2, max_size=4))
def test_comparison_evidence_is_always_the_articles_own_slice(bodies: list[str]) -> None:
    articles = [annotate_article(_article(f"Outlet {i}", body), ["entities", "quotes", "timex"])
                for i, body in enumerate(bodies)]
    by_id = {a.id: a for a in articles}
    comparison = compare_story(articles)
    evidence = [e for c in comparison.conflicts for v in c.values for e in v.evidence]
    evidence += [e for o in comparison.omissions for e in o.evidence]
    assert all(by_id[e.article_id].text[e.start : e.end] == e.text for e in evidence)


def _page(title: str, body: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body><article><p>{body}</p></article></body></html>".encode()


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=4))
def test_an_ingest_run_twice_stores_nothing_new(pages: list[tuple[str, str]]) -> None:
    records = [RawRecord(source=f"page{i}.html", kind="html", data=_page(t, b)) for i, (t, b) in enumerate(pages)]
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.sqlite") as store:
        first = ingest([(r, safe_extract(r)) for r in records], store)
        stored = sorted(a.id for a in store.articles())
        second = ingest([(r, safe_extract(r)) for r in records], store)
        assert second.new == 0 and second.unchanged == first.new + first.unchanged
        assert sorted(a.id for a in store.articles()) == stored


@settings(max_examples=2, deadline=None)
@given(st.lists(texts, min_size=3, max_size=6))
def test_two_workers_give_what_one_process_gives(bodies: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for i, body in enumerate(bodies):
            (Path(folder) / f"{i:02d}.txt").write_text(body, encoding="utf-8")
            (Path(folder) / f"{i:02d}.html").write_bytes(_page(f"Page {i}", body))
        layers = ["entities", "quotes", "timex"]
        serial, parallel = (list(annotate_paths([folder], layers, None, jobs=jobs)) for jobs in (1, 2))
        assert serial == parallel
        one = [(r.source if r else None, a.to_dict() if isinstance(a, Article) else str(a))
               for r, a in extract_paths([folder], jobs=1)]
        two = [(r.source if r else None, a.to_dict() if isinstance(a, Article) else str(a))
               for r, a in extract_paths([folder], jobs=2)]
        assert one == two


LISTING_PARTS = [b"<?xml version='1.0'?>", b"<rss version='2.0'><channel>", b"<item><link>", b"/news/a",
                 b"https://x.example/b?utm_source=1", b"</link><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>",
                 b"<urlset><url><loc>", b"</loc><lastmod>2026-03-02</lastmod></url>", b"<sitemapindex><sitemap><loc>",
                 b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"&e;", b"\x1f\x8b\x08", b"{\"items\": [",
                 b"{\"url\": \"/c\"}", b"]}", b"<link rel='alternate' type='application/rss+xml' href='/f'>",
                 b"\xff\xfe", b"\x00", b"javascript:alert(1)", b"</channel></rss>"]


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.sampled_from(LISTING_PARTS) | st.binary(max_size=40), max_size=30))
def test_a_listing_from_a_hostile_site_never_raises_and_gives_only_http_links(parts: list[bytes]) -> None:
    from newsprism.watch.listings import read_listing

    for kind in ("feed", "sitemap", "home"):
        listing = read_listing(kind, b"".join(parts), "https://site.example/feed")
        for url in [e.url for e in listing.entries] + listing.sitemaps + listing.feeds:
            assert url.startswith(("http://", "https://")) and "root:" not in url  # no entity was expanded
