"""The timex layer on invented sentences, and the TempEval-3 scoring of its benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.annotate.timex import Timex, find_timexes
from newsprism.bench import timex as bench

FIXTURES = Path(__file__).parent / "fixtures" / "timex"
DCT = "2022-02-23"  # a Wednesday
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "timex"


def spans(text: str, dct: str | None = DCT) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in find_timexes(text, dct)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ferry sank on Tuesday, February 22, the coastguard said.",
         [("Tuesday, February 22", "DATE", "2022-02-22")]),
        ("The canal reopened on 23.02.2022 after repairs.", [("23.02.2022", "DATE", "2022-02-23")]),
        ("Registrations closed on 2022-02-21.", [("2022-02-21", "DATE", "2022-02-21")]),
        ("The mill was sold on Feb. 20, 2021 to a cooperative.", [("Feb. 20, 2021", "DATE", "2021-02-20")]),
        ("The mill was sold on 20 February 2021.", [("20 February 2021", "DATE", "2021-02-20")]),
        ("The orchard opened in January 1998 and closed in 2004.",
         [("January 1998", "DATE", "1998-01"), ("2004", "DATE", "2004")]),
        ("Wool prices peaked in the 1990s.", [("the 1990s", "DATE", "199")]),
        ("Lamp sales doubled in the third quarter.", [("the third quarter", "DATE", "2021-Q3")]),
        ("The choir will tour next Wednesday.", [("next Wednesday", "DATE", "2022-03-02")]),
        ("The mayor said Thursday that the bridge was safe.", [("Thursday", "DATE", "2022-02-17")]),
        ("The bridge will reopen on Thursday.", [("Thursday", "DATE", "2022-02-24")]),
        ("The bakery closed last Friday.", [("last Friday", "DATE", "2022-02-18")]),
        ("Rents rose last week.", [("last week", "DATE", "2022-W07")]),
        ("Earlier this month the pier flooded.", [("Earlier this month", "DATE", "2022-02")]),
        ("The vote is due next year.", [("next year", "DATE", "2023")]),
        ("The kiln cracked two days ago.", [("two days ago", "DATE", "2022-02-21")]),
        ("Yesterday it rained, today it snows and tomorrow it clears.",
         [("Yesterday", "DATE", "2022-02-22"), ("today", "DATE", "2022-02-23"), ("tomorrow", "DATE", "2022-02-24")]),
        ("The siren sounded at 3 a.m. and again at 21:37 GMT.",
         [("3 a.m.", "TIME", "2022-02-23T03:00"), ("21:37 GMT", "TIME", "2022-02-23T21:37")]),
        ("The ferry left this morning.", [("this morning", "TIME", "2022-02-23TMO")]),
        ("Tolls are now higher than in the past.", [("now", "DATE", "PRESENT_REF"), ("the past", "DATE", "PAST_REF")]),
        ("The lighthouse was recently painted.", [("recently", "DATE", "PAST_REF")]),
        ("The dig lasted three years, then two weeks, then several months.",
         [("three years", "DURATION", "P3Y"), ("two weeks", "DURATION", "P2W"), ("several months", "DURATION", "PXM")]),
        ("The strike lasted 48 hours.", [("48 hours", "DURATION", "PT48H")]),
        ("Buses run every week, trams daily and the fair annually.",
         [("every week", "SET", "P1W"), ("daily", "SET", "P1D"), ("annually", "SET", "P1Y")]),
        ("The glacier retreated this summer.", [("this summer", "DATE", "2022-SU")]),
    ],
)
def test_spans_and_values(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(sentence) == expected


def test_without_dct_values_keep_placeholders() -> None:
    assert spans("On Thursday, February 24, the dam held; it cracked last week.", None) == [
        ("Thursday, February 24", "DATE", "XXXX-02-24"),
        ("last week", "DATE", "XXXX-WXX"),
    ]


def test_offsets_index_the_text() -> None:
    text = "Le port, in \u00e9t\u00e9: the ferry left on Monday and returns in two weeks."
    found = find_timexes(text, DCT)
    assert [t.text for t in found] == ["Monday", "two weeks"]
    for timex in found:
        assert text[timex.start:timex.end] == timex.text
        assert timex.to_dict() == {"start": timex.start, "end": timex.end, "text": timex.text,
                                   "type": timex.type, "value": timex.value}


def test_numbers_that_are_not_years() -> None:
    assert spans("Shares rose 5% to 1,998 points; 2000 troops left; it cost $1998.") == []


def test_hostile_input_returns() -> None:
    assert find_timexes("1." * 100_000, DCT) == []
    assert find_timexes("12 " * 60_000 + "last week", DCT)[-1].value == "2022-W07"
    assert len(find_timexes("Monday, " * 20_000, DCT)) == 20_000


def test_parse_tml_reconstructs_plain_text_and_offsets() -> None:
    doc = bench.parse_tml(FIXTURES / "tiny.tml")
    assert doc.dct == "2022-02-23"
    assert doc.text.startswith("\nThe harbour board said Tuesday")
    assert "three years & will" in doc.text
    assert [(t.text, t.value) for t in doc.timexes][:3] == [
        ("Tuesday", "2022-02-22"), ("three years", "P3Y"), ("next year", "2023")]
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)


def test_tempeval_counts_on_the_fixture() -> None:
    doc = bench.parse_tml(FIXTURES / "tiny.tml")
    counts = bench.Counts()
    counts.add(doc.timexes, find_timexes(doc.text, doc.dct))
    # strict hits: 5; "the third quarter of last year" is read as two timexes (one relaxed hit, one
    # false positive) and "the near term" is missed
    assert (counts.gold, counts.predicted, counts.strict, counts.relaxed) == (7, 7, 5, 6)
    assert counts.value_ok == counts.type_ok == 6
    figures = counts.figures()
    assert figures["strict_f1"] == pytest.approx(5 / 7)
    assert figures["relaxed_f1"] == pytest.approx(6 / 7)
    assert figures["value_f1"] == pytest.approx(6 / 7 * 6 / 6)


def test_relaxed_pairs_are_one_to_one() -> None:
    gold = [Timex(0, 10, "x" * 10, "DATE", "2022")]
    predicted = [Timex(0, 4, "xxxx", "DATE", "2022"), Timex(5, 10, "xxxxx", "DATE", "2021")]
    assert len(bench.relaxed_pairs(gold, predicted)) == 1


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared data not available")
def test_benchmark_runs_on_the_development_set() -> None:
    results = bench.run(SHARED_DATA, "tune")
    assert results["results"]["all"]["docs"] > 100
    assert results["results"]["all"]["value_f1"] > 0.6
    assert "value_f1" in bench.format_table(results)
