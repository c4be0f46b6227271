"""The fields extractor: feed items and table rows into Articles, metadata normalised, nothing invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.errors import InputError
from newsprism.extract import extract
from newsprism.extract.fields import extract_fields
from newsprism.ingest import iter_records
from newsprism.model import RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def articles(name: str) -> list:
    return [extract(r) for r in iter_records([FIXTURES / name]) if isinstance(r, RawRecord)]


def test_rss_item_becomes_article_with_its_metadata() -> None:
    bridge, choir = articles("feed.rss")
    assert bridge.to_dict() | {"id": None} == {
        "id": None,
        "source": f"{FIXTURES / 'feed.rss'}#0",
        "url": "https://www.valleygazette.example/news/bridge-reopens",
        "canonical_url": None,
        "outlet": "Valley Gazette",
        "domain": "valleygazette.example",
        "title": "Bridge on the old mill road reopens",
        "description": "The mill road bridge is open again.",
        "published": "2022-03-08T09:30:00+01:00",
        "modified": None,
        "authors": ["Ada Linwood", "Tom Rees"],
        "tags": ["Transport", "Roads"],
        "section": None,
        "image": None,
        "language": "en",
        "dateline": None,
        "credits": [],
        "text": "The stone bridge on the old mill road reopened to traffic on Tuesday after a six-week closure."
        "\n\nCouncil workers repointed the arches and widened the footpath on the eastern side.",
        "extraction": {"method": "fields", "confidence": 1.0},
        "failures": [],
    }
    assert choir.published == "2022-03-10T16:45:00-05:00"
    assert choir.description is None and choir.authors == []


def test_atom_entry_keeps_time_zone_and_language() -> None:
    (article,) = articles("atom.data")
    assert article.published == "2022-04-02T08:00:00+02:00"
    assert article.modified == "2022-04-02T09:15:00+02:00"
    assert article.language == "de" and article.authors == ["Greta Sommer"]
    assert article.text.count("\n\n") == 1 and "Seilbahn" in article.text


def test_table_rows_map_columns_and_split_names() -> None:
    first, last = articles("rows.jsonl")
    assert (first.title, first.outlet, first.domain) == (
        "Tram line extension approved",
        "North Post",
        "northpost.example",
    )
    assert first.authors == ["Mira Olsen", "Jakob Lind"]
    assert first.tags == ["transport", "city council"]
    assert first.published == "2022-05-03T14:00:00+02:00"
    assert last.published == "2022-05-04"
    assert (
        last.text
        == "Volunteers collected forty bags of litter from the harbour.\n\nThe next cleanup is planned for June."
    )
    night, quotes = articles("rows.csv")
    assert night.authors == ["Omar Haddad", "Ines Roy"] and night.section == "Local"
    assert quotes.text == 'She said "yes" twice.' and quotes.title == 'Quote "marks" survive'
    assert night.text.split("\n\n") == [
        "The night market returns to the old square this Friday.",
        "Organisers say there will be sixty stalls, ten more than last year.",
    ]


def record(data: str, **meta: object) -> RawRecord:
    return RawRecord(source="t.jsonl#0", kind="fields", data=data.encode(), meta=dict(meta))


def test_html_fragment_drops_scripts_styles_images_and_captions() -> None:
    html = (
        "<div><h2>Market day</h2><style>p{}</style><p>Stalls opened <em>early</em>.</p>"
        "<figure><img src='a.jpg'><figcaption>Crowds. Photo: Desk</figcaption></figure>"
        "<script>var x = 1;</script><p>Prices<br>stayed low.</p><ul><li>Apples</li><li>Pears</li></ul></div>"
    )
    assert (
        extract_fields(record(html)).text
        == "Market day\n\nStalls opened early.\n\nPrices\n\nstayed low.\n\nApples\n\nPears"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "First line of the piece\nwraps here.\n\nSecond paragraph.",
            "First line of the piece wraps here.\n\nSecond paragraph.",
        ),
        ("One paragraph.\nAnother paragraph.\n", "One paragraph.\n\nAnother paragraph."),
        ("  Spaced \u00a0 out  \r\n\r\n  text  ", "Spaced out\n\ntext"),
    ],
)
def test_plain_text_paragraphs(text: str, expected: str) -> None:
    assert extract_fields(record(text)).text == expected


def test_metadata_normalisation() -> None:
    article = extract_fields(
        record(
            "Der Stadtrat hat am Dienstag den Ausbau der Straßenbahn beschlossen und die Mittel freigegeben.",
            authors='["Eva Kern", "Paul Brandt"]',
            tags="Verkehr; Stadt | Politik",
            published="Tue, 03 May 2022 14:00:00 GMT",
            title="<b>Straßenbahn</b> wird ausgebaut",
            image=["https://img.example/1.jpg"],
        )
    )
    assert article.authors == ["Eva Kern", "Paul Brandt"]
    assert article.tags == ["Verkehr", "Stadt", "Politik"]
    assert article.published == "2022-05-03T14:00:00+00:00"
    assert article.title == "Straßenbahn wird ausgebaut"
    assert article.image == "https://img.example/1.jpg"
    assert article.language == "de"  # detected: no language given
    assert article.url is None and article.domain is None


def test_given_language_wins_and_bad_values_are_dropped() -> None:
    article = extract_fields(
        record("Short text in English about the weather today.", language="fr-CA", published="soon")
    )
    assert article.language == "fr"
    assert article.published is None


@pytest.mark.parametrize("data", ["", "  \n\n ", "<p> </p><script>only()</script>"])
def test_no_text_is_an_input_error(data: str) -> None:
    with pytest.raises(InputError) as caught:
        extract_fields(record(data))
    assert (caught.value.source, caught.value.reason) == ("t.jsonl#0", "no article text found")
