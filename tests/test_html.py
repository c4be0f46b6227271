"""HTML extraction on small invented pages, and the benchmark harness on a tiny invented set."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsprism.bench import extract as bench
from newsprism.bench.scoring import SnippetCounts
from newsprism.errors import InputError
from newsprism.extract.html import article_paragraphs, decode_html, extract_html, published_date
from newsprism.model import RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def _extract(name: str, url: str | None = None):
    path = FIXTURES / name
    return extract_html(RawRecord(source=str(path), kind="html", data=path.read_bytes(), url=url))


def test_news_article_with_json_ld_graph_fills_every_field():
    article = _extract("graph.html")
    assert article.title == "Norwick votes to rebuild lighthouse pier"
    assert article.outlet == "The Coastal Ledger"
    assert article.url == article.canonical_url == "https://ledger.example.org/news/norwick-pier"
    assert article.domain == "ledger.example.org"
    assert article.published == "2023-03-14T18:05:00+01:00"
    assert article.modified == "2023-03-15T09:00:00+01:00"
    assert article.authors == ["Tom Ashgrove", "Ida Brenn"]
    assert article.tags == ["harbours", "councils"]
    assert article.section == "Local"
    assert article.image == "https://ledger.example.org/img/pier.jpg"
    assert article.language == "en"
    assert article.dateline == "NORWICK (Coast Wire)"
    assert article.credits == ["Photo: Sam Reed"]
    assert article.extraction["method"].startswith("html/trafilatura")
    assert 0 <= article.extraction["confidence"] <= 1


def test_body_is_paragraphs_only_without_title_caption_or_footer():
    article = _extract("graph.html")
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The harbour council")  # the dateline is kept apart, in `dateline`
    assert article.dateline == "NORWICK (Coast Wire)"
    assert "low tide" not in article.text
    assert "All rights reserved" not in article.text


def test_record_url_wins_over_the_declared_one():
    article = _extract("og_only.html", url="https://mirror.example.net/frost")
    assert article.url == "https://mirror.example.net/frost"
    assert article.canonical_url == "https://valley.example.com/2023/04/frost"
    assert article.domain == "mirror.example.net"


def test_open_graph_only_page():
    article = _extract("og_only.html")
    assert article.title == "Orchard growers fear late frost"
    assert article.outlet == "Valley Post"
    assert article.published == "2023-04-02T07:30:00+00:00"
    assert article.authors == ["Lena Moor", "Piet Vane"]
    assert article.description == "Cold nights threaten the blossom."
    assert article.text.startswith("Apple and pear growers")


def test_site_name_suffix_is_dropped_from_the_title():
    article = _extract("suffix.html")
    assert article.title == "Neue Buslinie verbindet drei Dörfer"
    assert article.published == "2023-05-09"
    assert article.language == "de"


def test_navigation_cookie_banner_related_links_and_comments_stay_out():
    text = _extract("boilerplate.html").text
    assert text.startswith("The public library in Eastmere has opened a seed bank")
    assert text.endswith("cold wind from the marshes.")
    for boilerplate in ("cookies", "Front page", "Related stories", "Marsh birds", "Grumpy Gardener",
                        "basil", "Imprint", "newsletter"):  # fmt: skip
        assert boilerplate not in text


def test_scripts_and_javascript_links_do_not_leak():
    text = _extract("script.html").text
    assert "Tickets can be booked online or at the harbour office" in text
    for code in ("adSlot", "loadAds", "trackerId", "function", "javascript", "openBooking", "enable JavaScript"):
        assert code not in text


def test_page_without_article_text_is_an_input_error():
    with pytest.raises(InputError) as err:
        _extract("nonarticle.html")
    assert err.value.reason == "no article text found"


def test_declared_windows_1251_is_decoded():
    article = _extract("cp1251.html")
    assert article.title == "Новый мост через реку откроют осенью"
    assert article.text.startswith("Строители завершили установку")
    assert article.language == "ru"


def test_utf8_page_with_a_stray_latin1_byte_stays_utf8():
    data = '<html><head><meta charset="utf-8"></head><body><p>Grüße aus Köln</p>\xe9</body></html>'
    text = decode_html(data.encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))
    assert "Grüße aus Köln" in text


def test_garbage_bytes_do_not_crash():
    with pytest.raises(InputError):
        extract_html(RawRecord(source="junk", kind="html", data=b"\x00\xff" * 500))


def test_teasers_and_repeated_headline_are_removed():
    paragraphs = ["Pier plan approved", "First real paragraph of the story goes here.",
                  "Read more: Another story entirely", "Second real paragraph.", "Related articles",
                  "Link one", "Link two"]  # fmt: skip
    kept = article_paragraphs(paragraphs, "Pier plan approved")
    assert kept == ["First real paragraph of the story goes here.", "Second real paragraph."]


def test_shown_day_wins_when_a_time_zone_shift_explains_it():
    assert published_date("2022-05-04T00:25:56+00:00", "2022-05-03", None) == "2022-05-03"
    assert published_date("2022-05-05T21:00:00-05:00", "2022-05-06", None) == "2022-05-06"
    assert published_date("2022-05-03T13:32:45", "2022-05-04", None) == "2022-05-04"


def test_stated_timestamp_wins_over_an_unexplained_shown_day():
    assert published_date("2022-12-30T07:00:40+01:00", "2022-12-29", None) == "2022-12-30T07:00:40+01:00"
    assert published_date("2022-12-04T15:00:00+01:00", "2022-12-06", None) == "2022-12-04T15:00:00+01:00"


def test_guess_only_overrules_a_utc_timestamp():
    assert published_date("2022-05-04T00:25:56+00:00", None, "2022-05-03") == "2022-05-03"
    assert published_date("2022-05-04T00:25:56+02:00", None, "2022-05-03") == "2022-05-04T00:25:56+02:00"
    assert published_date(None, "2022-05-03", "2022-06-15") == "2022-05-03"
    assert published_date(None, None, "2022-05-03") == "2022-05-03"


def test_byline_day_corrects_a_utc_timestamp_near_midnight():
    article = extract_html(RawRecord(source="b", kind="html", data=(FIXTURES / "byline_date.html").read_bytes()))
    assert article.published == "2023-04-19"


def test_snippet_metric_on_a_hand_made_example():
    counts = SnippetCounts()
    counts.add("Alpha beta  gamma.\n\nDelta epsilon.", ["beta gamma.", "zeta"], ["Delta", "Menu"])
    counts.add("", ["anything"], ["nothing"])
    assert (counts.tp, counts.fp, counts.fn, counts.tn) == (1, 1, 2, 2)
    figures = counts.figures()
    assert figures["precision"] == 0.5
    assert figures["f1"] == pytest.approx(2 / 5)


def test_harness_scores_a_tiny_invented_set(tmp_path: Path):
    (tmp_path / "html").mkdir()
    gold = {}
    for name, entry in {
        "graph.html": {"with": ["timber piles under the pier"], "without": ["All rights reserved"],
                       "title": "Norwick votes to rebuild lighthouse pier", "date": "2023-03-14",
                       "author": "Tom Ashgrove and Ida Brenn"},
        "nonarticle.html": {"with": ["Contact"], "without": ["Home"]},
    }.items():  # fmt: skip
        (tmp_path / "html" / f"{name}.gz").write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
        gold[f"https://example.org/{name}"] = {"file": name, **entry}
    (tmp_path / "evaldata.json").write_text(json.dumps(gold), encoding="utf-8")
    results = bench.run(tmp_path, ["html"], "all", baseline=False, limit=None, workers=1)
    figures = results["results"]["all"]["html"]["newsprism"]
    assert figures["pages"] == 2 and figures["errors"] == 1
    assert (figures["snippet"]["tp"], figures["snippet"]["fn"], figures["snippet"]["tn"]) == (1, 1, 2)
    assert figures["title"] == {"gold": 1, "exact": 1, "casefold": 1}
    assert figures["date"] == {"gold": 1, "day": 1}
    assert figures["author"] == {"gold": 1, "exact": 1, "overlap": 1}
    assert "| all | html | newsprism | 2 |" in bench.format_table(results)
