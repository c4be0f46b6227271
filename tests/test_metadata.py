"""Page metadata from JSON-LD, meta tags and markup, on small invented pages."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from newsprism.extract.metadata import (
    clean_names,
    domain_of,
    json_ld_objects,
    machine_date,
    page_metadata,
    shown_date,
    strip_site_name,
)

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def _tree(html: str):
    return lxml.html.fromstring(html)


def test_json_ld_graph_with_author_reference():
    meta = page_metadata(lxml.html.fromstring((FIXTURES / "graph.html").read_bytes()))
    assert meta.title == "Norwick votes to rebuild lighthouse pier"
    assert meta.authors == ["Tom Ashgrove", "Ida Brenn"]
    assert meta.outlet == "The Coastal Ledger"
    assert meta.published == "2023-03-14T18:05:00+01:00"
    assert meta.language == "en"


def test_broken_json_ld_is_repaired_or_skipped():
    tree = _tree(
        '<html><head><script type="application/ld+json"><!--\n{"@type": "NewsArticle", '
        '"headline": "Quay reopens", "datePublished": "2023-01-02",}\n--></script>'
        '<script type="application/ld+json">{"@type": "Article", "headline": </script></head>'
        "<body><p>x</p></body></html>"
    )
    objects = json_ld_objects(tree)
    assert [o["headline"] for o in objects] == ["Quay reopens"]
    assert page_metadata(tree).published == "2023-01-02"


def test_json_ld_list_and_meta_fallbacks():
    tree = _tree(
        '<html lang="pt-BR"><head><script type="application/ld+json">[{"@type": "Organization", "name": "X"},'
        '{"@type": "BlogPosting", "headline": "Feira volta ao centro", "keywords": "feira, centro",'
        '"image": {"url": "https://img.example.com/a.jpg"}, "articleSection": ["Cidade"]}]</script>'
        '<meta name="parsely-author" content="Joana Reis"><meta name="pubdate" content="15.06.2022">'
        "</head><body><h1>Feira volta ao centro</h1></body></html>"
    )
    meta = page_metadata(tree)
    assert meta.title == "Feira volta ao centro"
    assert meta.tags == ["feira", "centro"]
    assert meta.image == "https://img.example.com/a.jpg"
    assert meta.section == "Cidade"
    assert meta.authors == ["Joana Reis"]
    assert meta.published == "2022-06-15"
    assert meta.language == "pt"


def test_visible_headline_beats_a_reworded_og_title():
    tree = _tree(
        '<html><head><meta property="og:title" content="Dam plan: what you need to know | Ledger">'
        "<title>Dam plan | Ledger</title></head><body><header><h1>Ledger</h1></header>"
        "<h1>Valley towns back the new dam plan</h1></body></html>"
    )
    assert page_metadata(tree, "https://ledger.example.org/x").title == "Valley towns back the new dam plan"


def test_title_suffix_and_prefix_naming_the_site():
    site = {"coastal ledger"}
    assert strip_site_name("Pier vote passes - The Coastal Ledger", site) == "Pier vote passes"
    assert strip_site_name("Coastal Ledger | Pier vote passes", site) == "Pier vote passes"
    assert strip_site_name("Why the pier matters: a short history of the harbour", site) == (
        "Why the pier matters: a short history of the harbour"
    )


def test_time_element_and_rfc_2822_dates():
    tree = _tree('<html><body><time class="entry-published" datetime="2021-11-30T08:00:00Z">x</time></body></html>')
    assert page_metadata(tree).published == "2021-11-30T08:00:00+00:00"
    assert machine_date("Tue, 03 May 2022 21:10:00 -0300") == "2022-05-03T21:10:00-03:00"
    assert machine_date("soon") is None


def test_byline_cleaning():
    assert clean_names("By Anna Lind and Omar Haddad") == ["Anna Lind", "Omar Haddad"]
    assert clean_names("Von Jonas Weber, Redakteur; jonas@example.de") == ["Jonas Weber"]
    assert clean_names("Marta Nowak & Marta Nowak | 12.03.2022") == ["Marta Nowak"]
    assert clean_names("View all posts by Sam Ortiz") == ["Sam Ortiz"]
    assert clean_names("https://example.org/author/sam") == []


def test_author_that_is_only_the_site_name_is_dropped():
    tree = _tree(
        '<html><head><meta property="og:site_name" content="Harbour Times">'
        '<meta name="author" content="Harbour Times"></head><body></body></html>'
    )
    assert page_metadata(tree).authors == []


def test_domain_of():
    assert domain_of("https://www.example.co.uk/a?b=1") == "example.co.uk"
    assert domain_of("/relative/path") is None
    assert domain_of("http://[broken") is None


def test_shown_date_is_the_marked_byline_date_nearest_the_headline():
    meta = page_metadata(lxml.html.fromstring((FIXTURES / "byline_date.html").read_bytes()))
    assert meta.shown_date == "2023-04-19"
    assert meta.published == "2023-04-18T23:40:00+00:00"


def test_shown_date_skips_update_and_comment_dates():
    tree = _tree(
        "<html><body><h1>Dyke works finished</h1><span class='last-updated'>Updated 9 June 2021</span>"
        "<div id='comment-list'><time datetime='2021-06-10T10:00:00Z'>yesterday</time></div>"
        "<div class='post-meta'>Posted June 2, 2021</div></body></html>"
    )
    assert shown_date(tree) == "2021-06-02"


def test_shown_date_from_unmarked_text_after_the_headline():
    tree = _tree(
        "<html><body><p>Ausgabe 12/2020</p><h1>Deich fertig</h1><p>Ein Vorspann über den Deich.</p>"
        "<p>07 Dezember, 2020 – Die Arbeiten am Deich sind beendet.</p></body></html>"
    )
    assert shown_date(tree) == "2020-12-07"
    assert shown_date(_tree("<html><body><h1>Deich</h1><p>Kein Datum hier.</p></body></html>")) is None
