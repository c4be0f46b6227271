"""Credits, wire sign-offs and datelines are recognised the same way for every input kind."""

from __future__ import annotations

import pytest

from newsprism.extract.attribution import caption_credit, is_credit_line, split_credits, split_dateline
from newsprism.ingest.feed import feed_publisher


@pytest.mark.parametrize(
    "line",
    [
        "Source: Baltic Wire",
        "Picture: Harbour Ledger",
        "© CPA / Ivo Marsh",
        "(Reporting by Ana Ruiz; editing by Tom Lee)",
    ],
)
def test_credit_lines(line):
    assert is_credit_line(line)


@pytest.mark.parametrize(
    "line",
    ["The source said the ferry was late.", "(The figures were revised on Monday.)", "Photos of the flood spread."],
)
def test_body_lines_are_not_credits(line):
    assert not is_credit_line(line)


def test_caption_credit_after_the_caption_sentence():
    assert caption_credit("Crews clear the quay on Monday. Photo: Harbour Ledger / Ivo Marsh") == (
        "Photo: Harbour Ledger / Ivo Marsh"
    )
    assert caption_credit("Crews said the photo: was fake news and more") is None


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        ("VARNO, March 3 (CPA) - The council met.", "VARNO, March 3 (CPA)", "The council met."),
        ("Kyiv (Baltic Wire) – Trains ran again.", "Kyiv (Baltic Wire)", "Trains ran again."),
        ("The council met on Monday (briefly) - then left.", None, "The council met on Monday (briefly) - then left."),
    ],
)
def test_dateline_is_kept_apart_from_the_body(paragraph, dateline, rest):
    assert split_dateline([paragraph, "Second."]) == (dateline, [rest, "Second."])


def test_a_dateline_alone_leaves_no_empty_paragraph():
    assert split_dateline(["OSLO (Baltic Wire) - ", "Body."]) == ("OSLO (Baltic Wire)", ["Body."])
    assert split_dateline([]) == (None, [])


def test_split_credits_keeps_order():
    assert split_credits(["One.", "(Writing by Ana Ruiz)", "Two."]) == (["One.", "Two."], ["(Writing by Ana Ruiz)"])


def test_feed_publisher_spells_out_an_acronym_from_the_rights_line():
    feed = {"title": "HPA | Morning Digest", "rights": "© 2026 Harbour Press Agency. All rights reserved."}
    assert feed_publisher(feed) == "Harbour Press Agency"
    assert feed_publisher({"title": "Quay Times – Business"}) == "Quay Times"
    assert feed_publisher({"title": "Digest", "publisher": "Quay Media"}) == "Quay Media"
