"""Page-dump extraction on invented dumps that imitate the seeds' structures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsprism.bench.render_dump import render_dump
from newsprism.errors import InputError
from newsprism.extract.dates import visible_date
from newsprism.extract.dump import (
    best_region,
    body_regions,
    drop_run_on_copies,
    extract_dump,
    viterbi,
    with_copied_paragraphs,
)
from newsprism.extract.dump_features import containment
from newsprism.extract.dump_meta import visible_headline
from newsprism.extract.dump_model import ensemble_from_dict
from newsprism.model import RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "dump"


def extract(name: str):
    path = FIXTURES / name
    return extract_dump(RawRecord(str(path), "dump", path.read_bytes()))


@pytest.fixture(scope="module")
def wordpress():
    return extract("wordpress.txt")


@pytest.fixture(scope="module")
def state_media():
    return extract("state_media.txt")


def test_wordpress_title_keeps_homoglyph(wordpress):
    assert wordpress.title == "Harbour \u0421ouncil Postpones Vote on New Ferry Terminal"


def test_wordpress_metadata_from_credit_lines(wordpress):
    assert wordpress.published == "2022-03-08"
    assert wordpress.outlet == "Harbour Voice"
    assert wordpress.credits == ["Photo: Coastal Daily", "Source: Nordic Press Agency"]
    assert wordpress.language == "en"


def test_wordpress_byline_gives_authors(wordpress):
    assert wordpress.authors == ["Anna Keller", "Tom Fisher"]
    assert "Anna Keller" not in wordpress.text


def test_wordpress_body_is_the_paragraphs_only(wordpress):
    assert wordpress.text.startswith("The city council of Port Elmsworth said on Monday")
    assert wordpress.text.endswith("a plan that lasts for decades.")
    assert wordpress.text.count("\n\n") == 8
    for noise in ("Photo: Coastal Daily", "Harbour Voice", "Related Posts", "Leave a Reply", "Ferry Terminal"):
        assert noise not in wordpress.text


def test_state_media_title_is_the_headline_not_the_ticker(state_media):
    assert state_media.title == "Ministers Agree to Hold River Border Talks Next Tuesday"


def test_state_media_dates_keep_time_zone(state_media):
    assert state_media.published == "2022-03-10T14:05:00+01:00"
    assert state_media.modified == "2022-03-10T16:40:00+01:00"


def test_state_media_metadata(state_media):
    assert state_media.tags == ["valdoria", "ostmark", "river border", "diplomacy"]
    assert state_media.outlet == "Meridian International"
    assert state_media.canonical_url.endswith("ministers-agree-to-river-border-talks-1044556677.html")
    assert state_media.domain == "meridian-news.example"
    assert state_media.image.endswith("1920x0_80.jpg")
    assert state_media.dateline == "VALDORIA (Meridian)"
    assert state_media.credits == ["© AGENCY PHOTO / KARL BENTE"]


def test_state_media_body_starts_after_its_dateline_and_drops_noise(state_media):
    text = state_media.text
    assert state_media.dateline == "VALDORIA (Meridian)"
    assert text.startswith("The foreign ministers of Valdoria and Ostmark")
    assert text.endswith("before the end of the year.")
    assert "The two ministers last met in person" in text
    for noise in (
        "Storm Warning",  # ticker
        "Elsa Morin speaks",  # photo caption
        "Patrol Boat Was Damaged",  # related card headline inside the body
        "Patrol boat on the river",  # related card caption
        "SubscribeNews app",
        "All rights reserved",
        "Заголовок",
        "meridian-news.example",
    ):
        assert noise not in text


def test_state_media_run_on_copy_is_removed(state_media):
    assert state_media.text.count("Our minister has accepted the invitation") == 1
    assert "conference.He added" not in state_media.text


def test_confidence_and_method(state_media):
    assert state_media.extraction["method"].startswith("dump-lines/")
    assert 0.5 < state_media.extraction["confidence"] <= 1.0


def test_navigation_only_page_has_no_article():
    with pytest.raises(InputError, match="no article text found"):
        extract("navigation_only.txt")


def test_empty_dump_has_no_article():
    with pytest.raises(InputError):
        extract_dump(RawRecord("empty.txt", "dump", b"\n \n"))


HARBOUR_DUMP = [
    "Harbour tour (No. 4021) - Quay Holidays",
    "A relaxed afternoon on the water for the whole family.",
    "https://quay.example/tours/4021/harbour-tour",
    "Quay Holidays",
    "• Home",
    "• Tours",
    "More harbour trips nearby",
    "Harbour tour",
    "Boats leave the old pier every hour and circle the lighthouse before heading back along the quay.",
]


def test_visible_headline_is_the_short_line_a_metadata_title_confirms():
    assert visible_headline(HARBOUR_DUMP, 8, HARBOUR_DUMP[2], HARBOUR_DUMP[0]) == "Harbour tour"


def test_visible_headline_prefers_the_line_without_site_name_and_matching_the_slug():
    lines = [
        "Weather warning for the coast",
        "City Courier",
        "Council votes on new tram line",
        "Council votes on new tram line | City Courier",
        "Council votes on new tram line",
        "Weather warning for the coast",
        "The council met on Tuesday evening to decide the route of the tram line through the eastern districts.",
    ]
    url = "https://courier.example/news/council-votes-on-new-tram-line"
    assert visible_headline(lines, 6, url, None) == "Council votes on new tram line"


def test_visible_headline_needs_a_confirming_metadata_line():
    lines = ["• Home", "Latest stories", "A new bakery opens in the old station building with a small garden."]
    assert visible_headline(lines, 2, None, None) is None


def test_viterbi_bridges_a_short_dip_but_not_a_long_one():
    probs = np.array([0.1, 0.9, 0.9, 0.4, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1])
    assert viterbi(probs, 0.1).tolist() == [0, 1, 1, 1, 1, 1, 0, 0, 0, 0]


def test_best_region_is_the_maximum_sum_run():
    assert best_region(np.array([-1.0, 2.0, -0.5, 3.0, -4.0, 1.0])) == (1, 4)
    assert best_region(np.array([-1.0, -2.0])) == (0, 0)


def test_body_regions_keep_a_continuation_after_a_gap():
    scores = np.array([-1.0, 3.0, 2.0, -4.0, -4.0, 2.5, 1.0, -4.0, 0.5, -1.0])
    assert body_regions(scores) == [(1, 3), (5, 7)]
    assert body_regions(np.array([-1.0, -2.0])) == []


def test_run_on_copy_spanning_paragraphs_is_dropped():
    first = "The river authority opened the northern gates on Friday after heavy rain upstream."
    second = "Farmers downstream said their fields were flooded within hours of the decision."
    copy = first + second
    texts = [copy, first, second]
    assert drop_run_on_copies(texts, [0, 1, 2]) == [1, 2]


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("21:37 GMT 18.02.2022", "2022-02-18T21:37:00+00:00"),
        ("Harbour Voice, 08.03.2022", "2022-03-08"),
        ("Erstellt am09.02.2022", "2022-02-09"),
        ("22. November 2022", "2022-11-22"),
        ("Published March 5, 2021 by the desk", "2021-03-05"),
        ("3 de mayo de 2022", "2022-05-03"),
        ("Warehouse 12 opens", None),
    ],
)
def test_visible_dates(line, iso):
    assert visible_date(line) == iso


def test_tree_ensemble_inference_from_plain_json():
    tree = {"feature": [0, 0, 0], "threshold": [0.5, 0.0, 0.0], "left": [1, 1, 2], "right": [2, 1, 2],
            "value": [0.0, -1.0, 2.0], "depth": 1}
    ensemble = ensemble_from_dict({"init": 0.0, "learning_rate": 1.0, "trees": [tree]})
    probs = ensemble.probabilities(np.array([[0.2], [0.9]]))
    assert np.allclose(probs, [1 / (1 + np.e), 1 / (1 + np.exp(-2))])


def test_containment_index_agrees_with_comparing_every_pair():
    body = [f"Paragraph {k} says the harbour board met on day {k} and voted to repair quay {k}." for k in range(12)]
    run_on = " ".join(body)
    lines = ["Menu", run_on, *body, "Paragraph 3 says", body[4], "x" * 90]
    inside, repeats = containment(lines)
    assert list(inside) == [any(t != o and t in o for o in lines if len(o) > 80) and len(t) > 40 for t in lines]
    brute = [sum(len(o) > 40 and o != t and o in t for o in lines) if len(t) > 80 else 0 for t in lines]
    assert list(repeats) == brute and repeats[1] == 13


def test_corpus_html_pages_rendered_to_dumps_come_out_clean():
    """The news pages of the sample corpus, as dumps: same body boundaries and title, no cards or captions."""
    root = Path(__file__).resolve().parents[1]
    gold = json.loads((root / "tests" / "fixtures" / "corpus-gold.json").read_text(encoding="utf-8"))
    problems = []
    for entry in (g for g in gold["articles"] if g["source"].startswith("html/")):
        page = (root / "corpus" / entry["source"]).read_bytes()
        article = extract_dump(RawRecord(entry["source"], "dump", render_dump(page).encode("utf-8")))
        if article.title != entry["title"] or not article.text.endswith(entry["last_words"]):
            problems.append((entry["source"], article.title, article.text[-60:]))
        if entry["first_words"] not in article.text[:300]:
            problems.append((entry["source"], "start", article.text[:60]))
        problems += [(entry["source"], s) for s in entry["boilerplate_snippets"] if s in article.text]
    assert problems == []


def test_paragraphs_repeated_by_the_run_on_copy_join_the_body():
    paragraphs = [f"Paragraph {k}: the quay council agreed on day {k} to rebuild the storm wall." for k in range(4)]
    texts = ["Quay news", paragraphs[1], "".join(paragraphs), "Headline", *paragraphs, "Share this"]
    body = [4, 6, 7]  # the line model missed paragraph 1 (index 5)
    assert with_copied_paragraphs(texts, body) == [4, 5, 6, 7]  # not the description copy before it
    assert with_copied_paragraphs(texts[3:], [1, 2]) == [1, 2]  # no run-on copy: nothing added
