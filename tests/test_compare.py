"""The cross-outlet comparison, on the sample corpus with its GOLD story grouping (so these tests do not
depend on the linker) and on small invented stories for the edge cases.

Measured on the sample corpus (46 articles, gold stories; `.venv/bin/pytest tests/test_compare.py -q`,
quotes/entities/timex layers as of 2026-11-23): planted conflicts found 5 of 5 (7 conflicts reported
in all), cut quotes 13 of 13, misattributed quotes 1 of 1 (1 group flagged in all), planted
omissions 3 of 3 (85 omissions reported in all: facts, quotes and actors most outlets carry and an
outlet never does; 117 when articles of an outlet that carried the thing in another were listed too),
added commentary paragraphs 10 of 10 (10 added passages in all). The thresholds below leave one
miss of slack where the upstream layers (still changing) may vary.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from newsprism import Store, extract_paths, ingest
from newsprism.compare import compare_story, outlet_profiles
from newsprism.compare.facts import fact_mentions, stated_by
from newsprism.compare.result import Comparison
from newsprism.model import Article, Layer, Span
from newsprism.report import story_report

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "fixtures" / "corpus-gold.json"
NUMBER_WORDS = {
    w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OMISSION_WORDS = {"stavky_shelling": "stavky", "injured": "injured", "civilians_among_freed": "civilian"}


def corpus_key(article: Article) -> str:
    path, _, number = article.source.partition("#")
    key = Path(path).resolve().relative_to(CORPUS).as_posix()
    return f"{key}#{number}" if number else key


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[Article]], dict, dict[str, Article]]:
    """The corpus annotated and stored (so store-wide names apply), grouped by the gold stories."""
    if not CORPUS.is_dir() or not GOLD.is_file():
        pytest.skip("sample corpus not present")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    story_of = {entry["source"]: entry["story"] for entry in gold["articles"]}
    with Store(tmp_path_factory.mktemp("compare") / "corpus.sqlite") as store:
        ingest(extract_paths([CORPUS], annotate=True), store)
        articles = [store.article(a.id) for a in store.articles()]
    by_key = {corpus_key(a): a for a in articles if a}
    stories: dict[str, list[Article]] = defaultdict(list)
    for key, article in by_key.items():
        stories[story_of[key]].append(article)
    return dict(stories), gold, by_key


@pytest.fixture(scope="module")
def comparisons(corpus: tuple) -> dict[str, Comparison]:
    stories, _, _ = corpus
    return {story: compare_story(articles) for story, articles in stories.items()}


def gold_value(text: str) -> tuple[str, str] | None:
    """A planted value reduced to what can disagree: its number or its weekday (kind, value)."""
    lower = text.lower()
    digits = re.search(r"\d+", lower)
    if digits:
        return "number", str(int(digits.group(0)))
    word = next((w for w in re.findall(r"[a-z]+", lower) if w in NUMBER_WORDS), None)
    if word:
        return "number", str(NUMBER_WORDS[word])
    day = next((d for d in WEEKDAYS if d in lower), None)
    return ("day", day) if day else None


def planted_conflicts(gold: dict) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(story, fact) -> value -> gold strings, for facts whose articles disagree within a story."""
    values: dict[tuple[str, str], dict[tuple[str, str], list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for entry in gold["articles"]:
        for conflict in entry["conflicts"]:
            value = gold_value(conflict["value"])
            if value:
                values[(entry["story"], conflict["fact"])][value].append((entry["source"], conflict["value"]))
    planted = {}
    for slot, by_value in values.items():
        kinds = defaultdict(set)
        for kind, value in by_value:
            kinds[kind].add(value)
        if any(len(v) > 1 for v in kinds.values()):
            planted[slot] = by_value
    return planted


def found_conflict(comparison: Comparison, by_value: dict, by_key: dict[str, Article]) -> bool:
    """Some conflict shows two of the planted, differing values, each with its own article's passage."""
    for conflict in comparison.conflicts:
        shown = set()
        for value in conflict.values:
            for ev in value.evidence:
                for gold_key, strings in by_value.items():
                    if any(by_key[source].id == ev.article_id and text in ev.text for source, text in strings):
                        shown.add(gold_key)
        if len(shown) > 1:
            return True
    return False


def test_planted_conflicts_are_found_with_their_passages(corpus: tuple, comparisons: dict) -> None:
    _, gold, by_key = corpus
    planted = planted_conflicts(gold)
    assert len(planted) == 5
    found = [slot for slot, by_value in planted.items() if found_conflict(comparisons[slot[0]], by_value, by_key)]
    assert len(found) >= 4, found
    assert ("s1-summit", "meeting_date") in found and ("s2-kharniv-strike", "injured") in found
    assert sum(len(c.conflicts) for c in comparisons.values()) <= 10  # measured 7: few false conflicts


def test_evidence_offsets_point_at_the_quoted_text(corpus: tuple, comparisons: dict) -> None:
    _, _, by_key = corpus
    texts = {a.id: a.text for a in by_key.values()}
    data = json.dumps([c.to_dict() for c in comparisons.values()])
    evidence = re.findall(
        r'\{"article_id": "(\w+)", "outlet": "[^"]*", "text": ("(?:[^"\\]|\\.)*"), '
        r'"start": (\d+), "end": (\d+)\}',
        data,
    )
    assert len(evidence) > 200
    assert all(texts[a][int(s) : int(e)] == json.loads(t) for a, t, s, e in evidence)


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def test_cut_quotes_are_found(corpus: tuple, comparisons: dict) -> None:
    _, gold, by_key = corpus
    planted = [(v["story"], source, cut) for v in gold["planted"]["quote_variants"] for source, cut in v["cut_in"]]
    found = []
    for story, source, cut in planted:
        variants = [
            v
            for g in comparisons[story].quotes
            for v in g.variants
            if v.evidence.article_id == by_key[source].id and v.relation == "cut"
        ]
        if any(_words(cut) in _words(v.evidence.text) or _words(v.evidence.text) in _words(cut) for v in variants):
            found.append((story, source))
    assert len(planted) == 13
    assert len(found) >= 12, found


def test_misattributed_quote_is_flagged(corpus: tuple, comparisons: dict) -> None:
    _, gold, by_key = corpus
    for entry in (e for e in gold["articles"] if e["misattributed"]):
        for wrong in entry["misattributed"]:
            groups = [g for g in comparisons[entry["story"]].quotes if g.misattributed]
            variants = [v for g in groups for v in g.variants if v.evidence.article_id == by_key[entry["source"]].id]
            assert any(v.speaker_name == wrong["attributed_to"] for v in variants)
            assert any(g.speaker_name == wrong["actual_speaker"] for g in groups)
    assert sum(g.misattributed for c in comparisons.values() for g in c.quotes) <= 2  # measured 1


def test_planted_omissions_are_found(corpus: tuple, comparisons: dict) -> None:
    _, gold, by_key = corpus
    planted = [(e["story"], e["source"], fact) for e in gold["articles"] for fact in e["omits"]]
    found = [
        (story, source, fact)
        for story, source, fact in planted
        if any(
            o.article_id == by_key[source].id and OMISSION_WORDS[fact] in o.what.lower() and o.evidence
            for o in comparisons[story].omissions
        )
    ]
    assert len(planted) == 3
    assert found == planted


def test_added_commentary_of_republished_wire_copy(corpus: tuple, comparisons: dict) -> None:
    _, gold, by_key = corpus
    expected = [(e["story"], e["source"], start) for e in gold["articles"] for start in e["commentary"]]
    found = []
    for story, source, start in expected:
        copies = [r for r in comparisons[story].republications if r.copy_id == by_key[source].id]
        if any(ev.text.startswith(start) for r in copies for ev in r.added):
            found.append(start)
    assert len(expected) == 10
    assert len(found) == 10


def test_language_editions_count_as_their_outlet(corpus: tuple, comparisons: dict) -> None:
    _, gold, _ = corpus
    assert {story: set(c.outlets) for story, c in comparisons.items()} == {
        story: set(entry["outlets"]) for story, entry in gold["stories"].items()
    }


def test_timeline_names_the_wire_first(corpus: tuple, comparisons: dict) -> None:
    _, _, by_key = corpus
    first = comparisons["s1-summit"].timeline.first
    assert first is not None and first.article_id == by_key["feeds/cpa-wire-world.rss#4"].id
    reports = comparisons["s1-summit"].timeline.reports
    assert [r.published for r in reports] == sorted((r.published for r in reports), key=lambda p: p[:10])


def test_outlets_name_actors_their_own_way(comparisons: dict) -> None:
    naming = {n.canonical: n.forms for n in comparisons["s1-summit"].naming + comparisons["s2-kharniv-strike"].naming}
    assert "Sergey Vetrov" in naming["Sergei Vetrov"]["Meridian Today"]
    assert "Sergei Vetrow" in naming["Sergei Vetrov"]["Frontline Digest"]
    assert "Kharnov" in naming["Kharniv"]["Meridian Today"]


def test_outlets_label_actors_their_own_way(comparisons: dict) -> None:
    labels = {n.canonical: n.descriptors for n in comparisons["s1-summit"].naming}
    assert any("puppet" in words for words in labels.get("Varno", {}).values())


def test_invented_naming_forms_and_labels() -> None:
    first = "The regime in Orvald closed the border, the so-called ministry said."
    second = "The Orvaldian government in Orvald closed the border on Friday."
    third = "Orwald closed its border, officials said."
    story = [
        _article(name, text, entities=[_span(text, written, "GPE", canonical="Orvald")])
        for name, text, written in (("Alpha", first, "Orvald"), ("Beta", second, "Orvald"), ("Gamma", third, "Orwald"))
    ]
    naming = compare_story(story).naming
    assert [n.canonical for n in naming] == ["Orvald"]
    assert naming[0].forms == {"Alpha": {"Orvald": 1}, "Beta": {"Orvald": 1}, "Gamma": {"Orwald": 1}}
    assert naming[0].descriptors == {"Alpha": {"regime": 1}, "Beta": {"government": 1}}


def test_voices_only_some_outlets_quote(comparisons: dict) -> None:
    voices = {v.speaker_name: v for v in comparisons["s1-summit"].voices}
    assert voices["Tomas Reinholt"].only_some
    assert "Meridian Today" not in voices["Tomas Reinholt"].outlets


def test_voices_are_named_speakers_not_relative_words_or_common_nouns() -> None:
    first = 'The harbour board, which said "the quay is safe", met Ilse Varga, who said "repairs start soon".'
    second = 'The leadership said "the quay is safe" while Ilse Varga said "repairs start soon".'
    story = [
        _article(outlet, text, entities=[_span(text, "Ilse Varga", "PERSON", canonical="Ilse Varga")],
                 quotes=[_span(text, '"the quay is safe"', "direct", speaker_name=odd),
                         _span(text, '"repairs start soon"', "direct", speaker_name="Ilse Varga")])
        for outlet, text, odd in (("Alpha", first, "which"), ("Beta", second, "leadership"))
    ]
    assert [(v.speaker_name, v.outlets) for v in compare_story(story).voices] == [("Ilse Varga", ["Alpha", "Beta"])]


def test_two_dates_of_one_planned_meeting_conflict_though_their_neighbour_words_differ() -> None:
    first = ("Foreign Minister Ida Marlow accepted Pavel Renko's offer of talks on the border dispute in Quillon on "
             "23 May, her office said. Marlow spoke to reporters on Tuesday.")
    second = ("Ida Marlow said her talks with Pavel Renko on the border dispute in Quillon, set for Thursday, will "
              "not take place.")
    story = [
        _article("Alpha", first, timex=[_span(first, "23 May", "DATE", value="2026-05-23"),
                                        _span(first, "Tuesday", "DATE", value="2026-05-19")]),
        _article("Beta", second, timex=[_span(second, "Thursday", "DATE", value="2026-05-24")]),
    ]
    conflicts = compare_story(story).conflicts
    assert [(c.kind, [v.value for v in c.values]) for c in conflicts] == [("date", ["2026-05-23", "2026-05-24"])]
    assert conflicts[0].values[0].evidence[0].text.startswith("Foreign Minister Ida Marlow")


def test_a_sum_of_money_and_a_count_are_never_one_fact() -> None:
    first = "Pirates seized the tanker Vessa, loaded with $ 100 million of crude, off the Brell coast on Sunday."
    second = "Pirates seized the tanker Vessa off the Brell coast on Sunday, loaded with 13 containers of crude."
    third = "The tanker Vessa, loaded with $ 120 million of crude, was seized by pirates off the Brell coast on Sunday."
    story = [_article("Alpha", first), _article("Beta", second), _article("Gamma", third)]
    conflicts = compare_story(story).conflicts
    assert [sorted(v.value for v in c.values) for c in conflicts] == [["100", "120"]]


def test_outlet_profiles_on_the_corpus(corpus: tuple) -> None:
    stories, _, _ = corpus
    profiles = {p.outlet: p for p in outlet_profiles(stories)}
    assert profiles["Frontline Digest"].copies == 5
    assert profiles["Continental Press Agency"].copies == 0
    assert profiles["Continental Press Agency"].first >= 4


def test_hostile_page_stays_inert_in_the_html_report(corpus: tuple) -> None:
    stories, _, _ = corpus
    page = story_report(stories["s4-exchange"], "html")
    assert "<script" not in page.lower()
    assert 'href="javascript' not in page.lower()


# Invented stories for the edge cases: layers are built by hand, so these tests need no model.


def _article(
    outlet: str, text: str, published: str | None = "2026-05-10T08:00:00+00:00", **layers: list[Span]
) -> Article:
    article = Article(source=f"{outlet}.txt", text=text, outlet=outlet, published=published, title=f"{outlet} report")
    for name, spans in layers.items():
        article.layers[name] = Layer(name, f"test.{name}", "0", spans)
    return article


def _span(text: str, part: str, label: str, **attrs: object) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), label, dict(attrs))


MINE_A = "A gas blast at the Dornvik copper mine killed 4 miners and injured 12 on Tuesday, the mine operator said."
MINE_B = "A gas blast at the Dornvik copper mine killed 6 miners and injured 12 on Tuesday, rescuers said."
MINE_C = "Rescuers said the gas blast at the Dornvik copper mine killed 4 miners and injured 12 workers."


def test_invented_number_conflict_and_agreement() -> None:
    story = [_article("Alpha", MINE_A), _article("Beta", MINE_B), _article("Gamma", MINE_C)]
    comparison = compare_story(story)
    agreed = {a.slot: ([v.value for v in a.values], a.outlets) for a in comparison.agreements}
    assert agreed == {"injured": (["12"], ["Alpha", "Beta", "Gamma"])}  # shown, not hidden
    for fmt in ("md", "html"):
        assert "Facts the outlets agree on" in story_report(story, fmt)
    assert len(comparison.conflicts) == 1
    conflict = comparison.conflicts[0]
    assert {v.value for v in conflict.values} == {"4", "6"}
    assert "miners" in conflict.slot
    beta = next(v for v in conflict.values if v.value == "6").evidence[0]
    assert beta.outlet == "Beta" and MINE_B[beta.start : beta.end] == beta.text and "6 miners" in beta.text


WHEN_CONFLICTS = [  # (first text, its time expression, its value, second ..., the values in conflict)
    ("The ministers of Orvald and Kestria will open the border talks in Brelmora on 12 May, officials said.",
     "12 May", "2026-05-12",
     "The ministers of Orvald and Kestria will open the border talks in Brelmora on 13 May, the agency said.",
     "13 May", "2026-05-13", ["2026-05-12", "2026-05-13"]),
    ("The trawler Marit sank off Hollum shortly after 2 a.m. on Sunday, the harbour master said.",
     "shortly after 2 a.m.", "2026-05-10T02:00",
     "The trawler Marit sank off Hollum just after 2:30 a.m. on Sunday, the harbour master said.",
     "just after 2:30 a.m.", "2026-05-10T02:30", ["02:00", "02:30"]),  # the same day; clock times differ
]


@pytest.mark.parametrize(("first", "first_part", "first_value", "second", "second_part", "second_value", "expected"),
                         WHEN_CONFLICTS)
def test_invented_date_and_time_conflicts_from_the_timex_layer(
    first: str, first_part: str, first_value: str, second: str, second_part: str, second_value: str,
    expected: list[str],
) -> None:
    story = [
        _article("Alpha", first, timex=[_span(first, first_part, "DATE", value=first_value)]),
        _article("Beta", second, timex=[_span(second, second_part, "DATE", value=second_value)]),
    ]
    conflicts = compare_story(story).conflicts
    assert [(c.kind, [v.value for v in c.values]) for c in conflicts] == [("date", expected)]


CLOCKS = [  # (one outlet's clock time, another's, whether they conflict)
    ("at about 7 p.m.", "at 7:05 p.m.", False),  # "about" allows CLOCK_SLACK minutes
    ("at about 1 a.m.", "around 1:30 a.m.", True),
    ("at 7 p.m.", "at 7:05 p.m.", True),
]


@pytest.mark.parametrize(("first", "second", "in_conflict"), CLOCKS)
def test_clock_times_of_one_happening_told_with_other_verbs(first: str, second: str, in_conflict: bool) -> None:
    """Clock times are few in a story: one shared word ties "driving his van at ..." to "stopped in his van
    at ...", and an approximate time agrees with a close exact one."""
    texts = {"Alpha": f"Police said Orlen was driving his grey van {first} on the Harlen ring road.",
             "Beta": f"Orlen was stopped in his grey van {second}, a spokesman for the highway patrol said."}
    story = [_article(name, text, timex=[_span(text, part, "TIME", value=f"2026-05-10T{_clock(part)}")])
             for (name, text), part in zip(texts.items(), (first, second), strict=True)]
    comparison = compare_story(story)
    assert [c.kind for c in comparison.conflicts] == (["date"] if in_conflict else [])
    clocks_agreed = [a for a in comparison.agreements if ":" in a.values[0].value]  # the day agrees as well
    assert len(clocks_agreed) == (0 if in_conflict else 1)


def _clock(said: str) -> str:
    hour, minute, half = re.search(r"(\d+)(?::(\d\d))? ([ap])", said).groups()
    return f"{int(hour) + (12 if half == 'p' else 0):02d}:{minute or '00'}"


def test_different_things_counted_never_share_a_slot() -> None:
    """ "9 killed" never meets "14 wounded", nor a part ("12 Tessan sailors") the whole ("23 sailors");
    the different tolls of one thing do, named in a reader's words."""
    first = "A ferry fire off Skarn Point killed 9 passengers and wounded 14 crew members, the coastguard said."
    second = "A ferry fire off Skarn Point killed 11 passengers and wounded 14 crew members, rescuers said."
    third = "The ferry fire off Skarn Point killed 9 passengers, and the coastguard rescued 23 sailors."
    fourth = "The ferry fire off Skarn Point killed 9 passengers, and the coastguard rescued 12 Tessan sailors."
    story = [_article("Alpha", first), _article("Beta", second), _article("Gamma", third), _article("Delta", fourth)]
    conflicts = compare_story(story).conflicts
    assert [sorted(v.value for v in c.values) for c in conflicts] == [["11", "9"]]
    assert conflicts[0].slot == "passengers killed"


BOUNDED = [  # (a figure, another outlet's figure of the same thing, whether they conflict)
    ("more than 100 mph", "120 mph", False),
    ("more than 20 mph", "17 mph", True),
    ("about 600 mph", "609 mph", False),
    ("almost 50 mph", "40 mph", True),
    ("up to 90 mph", "80 mph", False),
    ("90 mph or more", "80 mph", True),
]


@pytest.mark.parametrize(("first", "second", "in_conflict"), BOUNDED)
def test_figures_that_only_bound_one_another_agree(first: str, second: str, in_conflict: bool) -> None:
    """ "more than 100" and "120" can both be true: not a conflict; "more than 20" and "17" cannot."""
    text = "Police chased the stolen van along the Harlen ring road at {} before it crashed, officers said."
    story = [_article("Alpha", text.format(first)), _article("Beta", text.format(second))]
    comparison = compare_story(story)
    assert bool(comparison.conflicts) == in_conflict
    assert [len(a.values) for a in comparison.agreements] == ([] if in_conflict else [2])  # both values, agreeing


def test_a_toll_the_article_recalls_from_an_earlier_time_is_not_this_storys() -> None:
    first = "The quake on Verra island killed 10 people, the governor said. A quake in 2011 killed 30 people there."
    second = "The quake on Verra island killed 10 people and injured 40, officials said."
    third = "The 2011 quake on Verra island killed 37 people, officials said."
    fourth = "In February, a quake on Verra island killed 40 people, officials said."
    fifth = "The quake on Verra island in 2011 was stronger. It killed 35 people, officials said."
    recalled = {"2011": "2011", "February": "XXXX-02"}  # a year, a month before the story's (May 2026)
    texts = {"Alpha": first, "Beta": second, "Gamma": third, "Delta": fourth, "Epsilon": fifth}
    story = [_article(name, text, timex=[_span(text, part, "DATE", value=value) for part, value in recalled.items()
                                         if part in text])
             for name, text in texts.items()]
    assert compare_story(story).conflicts == []


def test_a_date_recalls_the_counts_of_its_own_action_not_of_a_main_clause_joined_to_it() -> None:
    """ "proposed the rules in February and has since received 3,000 comments": the comments are now; "In
    February, a quake measuring 6.4 hit Verra, killing 40 people and injuring 300": all of that was then."""
    proposed = "The ministry proposed the Verra building rules in February and has since received 3,000 comments."
    received = "The ministry has received 2,500 comments on the Verra building rules, officials said."
    earlier = "In February, a quake measuring 6.4 hit Verra, killing 40 people and injuring 300, officials said."
    today = "A quake measuring 5.2 hit Verra on Sunday, killing 10 people and injuring 30, officials said."
    story = [_article(name, text, timex=[_span(text, "February", "DATE", value="XXXX-02")] if "February" in text
                      else [])
             for name, text in (("Alpha", proposed), ("Beta", received), ("Gamma", earlier), ("Delta", today))]
    [conflict] = compare_story(story).conflicts
    assert [v.value for v in conflict.values] == ["2500", "3000"]


def test_the_whole_that_a_part_is_taken_from_is_not_how_many_did_it() -> None:
    first = "Nearly all of the 50,000 residents of Verra cast their votes on Sunday, officials said."
    second = "Some 38,500 residents of Verra cast their votes on Sunday, officials said."
    assert compare_story([_article("Alpha", first), _article("Beta", second)]).conflicts == []
    third = "Some 30,000 residents of Verra cast their votes on Sunday, the commission said."
    assert compare_story([_article("Beta", second), _article("Gamma", third)]).conflicts  # two counts of voters


def test_sums_in_different_currencies_and_numbers_inside_names_are_no_conflict() -> None:
    first = "Thieves drove a four-by-four into the Orsay jewellers and took gems worth €103 million, police said."
    second = "Thieves drove a 4x4 into the Orsay jewellers and took gems worth $136 million, police said."
    third = "Thieves drove two cars into the Orsay jewellers and took gems worth £88 million, police said."
    story = [_article("Alpha", first), _article("Beta", second), _article("Gamma", third)]
    assert compare_story(story).conflicts == []


def test_one_that_stands_for_a_thing_counts_nothing() -> None:
    pronouns = ("Police in Orla found a rifle like the one used in the raid, and may find another one, officers "
                "said. They also found a box consistent with one that would hold a rifle.")
    count = "The gunman in Orla killed one man and wounded one other, officers said."
    assert [m.value for m in fact_mentions([_article("Alpha", pronouns)])] == []
    assert [m.value for m in fact_mentions([_article("Beta", count)])] == ["1", "1"]


def test_a_mother_of_twelve_has_twelve_children_whatever_the_sentence_did() -> None:
    first = "A stray bullet killed Vera Osk, a mother of 12, outside an Orla school on Monday, police said."
    second = "A stray bullet hit the mother of 13 outside an Orla school as she collected her children on Monday."
    [conflict] = compare_story([_article("Alpha", first), _article("Beta", second)]).conflicts
    assert [v.value for v in conflict.values] == ["12", "13"] and conflict.slot.endswith("children of the mother")


def test_a_values_evidence_stays_in_its_clause_and_at_one_point_is_no_count() -> None:
    first = "At one point on Friday, internet services in Verra were down by 80 percent, in Orla by 65 percent."
    second = "At one point on Friday, internet services in Orla were down by 70 percent, officials said."
    places = ("Verra", "Orla")
    story = [_article(outlet, text, entities=[_span(text, place, "GPE") for place in places if place in text])
             for outlet, text in (("Alpha", first), ("Beta", second))]
    assert "1" not in {m.value for m in fact_mentions(story)}
    [conflict] = compare_story(story).conflicts
    assert {e.text for v in conflict.values for e in v.evidence} == {"65 percent",
                                                                    "services in Orla were down by 70 percent"}


def test_a_number_that_names_a_road_or_a_flight_counts_nothing() -> None:
    text = ("Police stopped the driver on state Route 52 after he left Interstate 75, near Gate 4 where Flight 370 "
            "had landed with 12 passengers.")
    assert [m.value for m in fact_mentions([_article("Alpha", text)])] == ["12"]


def test_the_digits_of_a_telephone_number_count_nothing() -> None:
    first = "Anyone with information on the Orla fire is asked to call police on 0845 125 2222, the police said."
    second = "Anyone with information on the Orla fire is asked to call police on 0845 127 2222, the police said."
    third = "Anyone with information on the Orla fire is asked to call Crimestoppers on +44 20 7946 0958."
    story = [_article("Alpha", first), _article("Beta", second), _article("Gamma", third)]
    assert [m.value for m in fact_mentions(story)] == []
    comparison = compare_story(story)
    assert comparison.conflicts == [] and comparison.agreements == []


def test_passengers_and_crew_are_not_the_passengers_and_a_model_number_counts_nothing() -> None:
    first = "The ferry Orla evacuated some 420 passengers and crew off Harrow Point, the coastguard said."
    second = "The ferry Orla evacuated its 246 passengers off Harrow Point, the coastguard said."
    third = "Police at Harrow Point seized 12 AK 47 guns and three machine guns from the ferry Orla, officers said."
    fourth = "Police at Harrow Point seized three machine guns from the ferry Orla, officers said."
    story = [_article("Alpha", first), _article("Beta", second), _article("Gamma", third), _article("Delta", fourth)]
    assert compare_story(story).conflicts == []
    # a tokenised fraction ("41 / 2" for 4 1/2) holds no count of 41 or 2
    garbled = "The captain of the Orla served 41 / 2 months in prison for fraud, the court heard."
    plain = "The captain of the Orla served 4 months in prison for fraud, the court heard."
    assert compare_story([_article("Alpha", garbled), _article("Beta", plain)]).conflicts == []


def test_a_score_is_not_a_count_and_a_part_of_a_season_is_not_the_season() -> None:
    first = "The Harlen Hawks won 18 of their next 23 games and tied the final 13-13 at home, the club said."
    second = "The Harlen Hawks won 40 games and tied the final 13 - 13 at home, the club said."
    third = "The Harlen Hawks won 40 games and were tied at 13 in the final at home, the club said."
    story = [_article("Alpha", first), _article("Beta", second), _article("Gamma", third)]
    assert compare_story(story).conflicts == []


def test_a_sum_written_with_a_hyphen_and_wounded_for_injured_are_read_as_the_facts_they_are() -> None:
    first = "Thieves made off with $ 42-million of gold from the Lenz vault on Sunday, police said."
    second = "Thieves made off with $ 55 million of gold from the Lenz vault on Sunday, the bank said."
    sums = {c.slot: sorted(v.value for v in c.values) for c in compare_story(
        [_article("Alpha", first), _article("Beta", second)]).conflicts}
    assert list(sums.values()) == [["42", "55"]] and "USD" in next(iter(sums))
    hurt = "A bus crash on the Orla road on Monday killed 4 people and wounded 12, the regional governor said."
    injured = "A bus crash on the Orla road on Monday killed 4 people and injured 15, the regional governor said."
    tolls = [sorted(v.value for v in c.values) for c in compare_story(
        [_article("Alpha", hurt), _article("Beta", injured)]).conflicts]
    assert tolls == [["12", "15"]]


def test_a_bound_before_a_currency_sign_bounds_the_sum() -> None:
    first = "The Harlen Hawks offered the striker Ivo Marsh a contract worth in excess of $160 million on Monday."
    second = "The Harlen Hawks offered the striker Ivo Marsh a contract worth $200 million on Monday, agents said."
    third = "The Harlen Hawks offered the striker Ivo Marsh a contract worth up to $180 million on Monday."
    story = [_article("Alpha", first), _article("Beta", second)]
    assert compare_story(story).conflicts == []  # more than 160 million: 200 million fits
    [conflict] = compare_story([*story, _article("Gamma", third)]).conflicts
    assert sorted(v.value for v in conflict.values) == ["160", "180", "200"]


def test_an_article_that_states_its_hedged_count_plainly_claims_it_exactly() -> None:
    hedged = ("A landslide hit the village of Orla on Tuesday, killing at least three people, officials said. "
              "Rescuers told the agency that two houses had been buried and three people killed.")
    plain = "A landslide hit the village of Orla on Tuesday, killing 10 people, officials said."
    [conflict] = compare_story([_article("Alpha", hedged), _article("Beta", plain)]).conflicts
    assert sorted(v.value for v in conflict.values) == ["10", "3"]
    only_hedged = "A landslide hit the village of Orla on Tuesday, killing at least three people, officials said."
    assert compare_story([_article("Alpha", only_hedged), _article("Beta", plain)]).conflicts == []  # 10 >= 3


def test_two_people_named_for_one_office_conflict_and_a_former_holder_does_not() -> None:
    first = "Harlen Hawks general manager Ivo Marsh said the club would appeal the ban on Friday."
    second = "The ban will be appealed, Harlen Hawks General Manager Pia Lund told reporters on Friday."
    third = "The appeal was filed on Friday, Harlen Hawks general manager I. Marsh said."
    former = "Former Harlen Hawks general manager Ola Berg called the ban harsh."
    deputies = "Foreign Minister Ana Petrik met Foreign Minister Jon Vale in Brelmora on Friday."
    story = [_article("Alpha", first), _article("Beta", second)]
    [conflict] = compare_story(story).conflicts
    assert conflict.kind == "person" and conflict.slot.lower() == "harlen hawks general manager"
    assert sorted(v.value for v in conflict.values) == ["Ivo Marsh", "Pia Lund"]
    alike = [_article("Alpha", first), _article("Gamma", third), _article("Delta", former), _article("Echo", deputies)]
    comparison = compare_story(alike)
    assert comparison.conflicts == []  # "I. Marsh" is "Ivo Marsh"; a former holder and an office of no one body
    assert any(a.kind == "person" for a in comparison.agreements)


def test_ages_and_homes_of_a_named_person_conflict_wherever_they_are_said() -> None:
    first = "Climber Tomas Varga, 34, of Kessel died after a fall on the Harn glacier on Sunday, police said."
    second = "Rescuers said the 35-year-old climber Tomas Varga fell on the Harn glacier. Varga, 35, of Lenz was alone."
    third = "A 40-year-old Harn resident found the body of Tomas Varga, who lived in Upper Kessel, on Monday."
    story = [_article("Alpha", first), _article("Beta", second), _article("Gamma", third)]
    found = {c.slot: sorted(v.value for v in c.values) for c in compare_story(story).conflicts}
    assert found == {"Tomas Varga: age": ["34", "35"], "Tomas Varga: home": ["Kessel", "Lenz", "Upper Kessel"]}
    assert compare_story(story[:1] + story[2:]).conflicts == []  # "Kessel" is "Upper Kessel" said shorter
    hurried = "Rescuers said 35 year old Tomas Varga fell on the Harn glacier."  # local news drops the hyphens
    found = {c.slot: sorted(v.value for v in c.values) for c in compare_story([story[0], _article("Beta", hurried)])
             .conflicts}
    assert found == {"Tomas Varga: age": ["34", "35"]}
    dashed = "Rescuers named the climber as Tomas Varga, 36 - a guide from Lenz - after the fall on the glacier."
    found = {c.slot: sorted(v.value for v in c.values) for c in compare_story([story[0], _article("Beta", dashed)])
             .conflicts}
    assert found == {"Tomas Varga: age": ["34", "36"]}
    score = "The Harn Hawks beat the Lenz Lions, 98 - 95, on Sunday."  # a score after a name is no age
    assert "age" not in [m.measure for m in fact_mentions([_article("Gamma", score)])]


def test_a_report_dated_without_a_time_is_shown_with_its_day() -> None:
    text = "A landslide that hit the village of Orla on Tuesday killed {} people, the regional governor said."
    story = [_article("Alpha", text.format(4), "2026-05-12"), _article("Beta", text.format(9), "2026-05-13")]
    for fmt in ("md", "html"):
        page = story_report(story, fmt)
        assert "first published 2026-05-12" in page and "23:59:59" not in page


def test_a_toll_that_only_grew_over_the_day_is_shown_as_rising_with_its_times() -> None:
    text = "A landslide that hit the village of Orla on Tuesday killed {} people, the regional governor said."
    times = ("2026-05-12T06:40:00+00:00", "2026-05-12T11:05:00+00:00", "2026-05-12T17:30:00+00:00")
    rising = [_article(name, text.format(n), at) for name, n, at in zip("ABC", (4, 9, 12), times, strict=True)]
    conflict = compare_story(rising).conflicts[0]
    assert conflict.rising and [(v.value, v.first_published) for v in conflict.values] == [
        ("12", "2026-05-12T17:30:00+00:00"), ("4", "2026-05-12T06:40:00+00:00"), ("9", "2026-05-12T11:05:00+00:00")]
    for fmt in ("md", "html"):
        page = story_report(rising, fmt)
        assert "rising over time" in page and "first published 2026-05-12T06:40:00+00:00" in page
    disputed = [_article(name, text.format(n), at) for name, n, at in zip("ABC", (4, 12, 9), times, strict=True)]
    assert not compare_story(disputed).conflicts[0].rising  # a lower figure after a higher one: a dispute
    undated = [_article(name, text.format(n), at[:10]) for name, n, at in zip("ABC", (4, 9, 12), times, strict=True)]
    assert not compare_story(undated).conflicts[0].rising  # one day, no times: nothing shows an order


def test_a_figure_among_many_of_the_same_thing_in_its_article_is_no_slot_for_another_value() -> None:
    """A game report gives yards again and again: 250 yards elsewhere is not "the" 205 of this one. With one
    yards figure in each article, the two figures do conflict."""
    one = "Quarterback Ivo Brandt threw for 205 yards in the win over Harlen, the club said."
    other = "Quarterback Ivo Brandt threw for 250 yards in the win over Harlen, the club said."
    many = ("Quarterback Ivo Brandt threw for 205 yards in the win over Harlen, the club said. The team gained "
            "507 yards, and Oskar Lind ran 86 yards for a touchdown.")
    assert [c.slot for c in compare_story([_article("Alpha", one), _article("Beta", other)]).conflicts]
    assert compare_story([_article("Alpha", many), _article("Beta", other)]).conflicts == []


def test_a_cited_figure_in_short_quotes_is_not_the_outlets_own() -> None:
    own = "About 300 people marched through Velka on Saturday against the new toll road, organisers said."
    citing = "About 300 people marched through Velka on Saturday; state television spoke of “30 people” only."
    other = "Some 300 people marched through Velka on Saturday against the toll road, police said."
    story = [_article("Alpha", own), _article("Beta", citing), _article("Gamma", other)]
    assert compare_story(story).conflicts == []


def _quoted(outlet: str, before: str, quote: str, speaker: str) -> Article:
    text = f"{before} “{quote},” {speaker} said."
    person = _span(text, speaker, "PERSON" if " " in speaker else "ORG", canonical=speaker)
    return _article(outlet, text, quotes=[_span(text, quote, "direct", speaker_name=speaker)], entities=[person])


def test_invented_quotes_cut_paraphrased_and_misattributed() -> None:
    full = "The harbour will reopen on Monday and every ferry will run to the old timetable"
    story = [
        _quoted("Alpha", "Ferries return.", full, "Ana Lindqvist"),
        _quoted("Beta", "Port news.", "every ferry will run to the old timetable", "Ana Lindqvist"),
        _quoted(
            "Gamma",
            "Harbour update.",
            "The harbour will reopen on Monday and all ferries will run on the old timetable",
            "Ana Lindqvist",
        ),
        _quoted("Delta", "Port news.", full, "Piet Moreau"),
    ]
    groups = compare_story(story).quotes
    assert len(groups) == 1
    relations = {v.evidence.outlet: v.relation for v in groups[0].variants}
    assert relations == {"Alpha": "identical", "Beta": "cut", "Gamma": "paraphrased", "Delta": "identical"}
    assert groups[0].misattributed and groups[0].speaker_name == "Ana Lindqvist"


def test_a_shorter_name_of_the_same_speaker_is_not_a_misattribution() -> None:
    quote = "We will rebuild the bridge before the winter comes"
    story = [_quoted("Alpha", "Bridge.", quote, "Transport Ministry"), _quoted("Beta", "Bridge.", quote, "Ministry")]
    assert not compare_story(story).quotes[0].misattributed


def test_a_quote_given_to_a_person_and_to_their_institution_is_not_flagged() -> None:
    quote = "The harbour will reopen on Monday and every ferry will run to the old timetable"
    story = [_quoted("Alpha", "Port.", quote, "Ana Lindqvist"), _quoted("Beta", "Port.", quote, "Harbourmaster")]
    assert not compare_story(story).quotes[0].misattributed


def _credited(outlet: str, quote: str, *speakers: tuple[str, str]) -> Article:
    """The quote once per (person, words the attribution writes for them): "he said" resolved to a person too."""
    text = " ".join(f"“{quote},” {written} said." for _, written in speakers)
    quotes, people, at = [], [], 0
    for name, written in speakers:
        start = text.index(quote, at)
        mention = text.index(written, start)
        quotes.append(Span(start, start + len(quote), "direct", {
            "speaker_name": name, "speaker": {"start": mention, "end": mention + len(written), "text": written}}))
        people.append(Span(mention, mention + len(written), "PERSON", {"canonical": name}))
        at = mention
    return _article(outlet, text, quotes=quotes, entities=people)


QUAY = "The quay will reopen on Monday and every ferry will run to the old timetable"


@pytest.mark.parametrize(("first", "second"), [
    ("Sergei Volkan", "Sergey Volkan"), ("Anthony Kessel", "Antony Kessel"), ("Ray Kessel", "Raymond Kessel"),
    ("Vincent DelRio", "Vincent Del Rio"),
])
def test_one_persons_names_as_outlets_spell_them_are_no_misattribution(first: str, second: str) -> None:
    story = [_credited("Alpha", QUAY, (first, first)), _credited("Beta", QUAY, (second, second))]
    assert not compare_story(story).quotes[0].misattributed
    family = [_credited("Alpha", QUAY, ("Mara Volkan", "Mara Volkan")), _credited("Beta", QUAY, (second, second))]
    assert compare_story(family).quotes[0].misattributed  # one surname, two people


def test_one_persons_names_as_outlets_spell_them_are_one_voice() -> None:
    story = [_credited("Alpha", QUAY, ("Heidar Alvandi", "Heidar Alvandi")),
             _credited("Beta", "The ferries will be back", ("Heydar Alvandi", "Heydar Alvandi")),
             _credited("Gamma", "We shall see about the ferries", ("Mara Alvandi", "Mara Alvandi"))]
    heard = {v.speaker_name: v.outlets for v in compare_story(story).voices}
    assert sorted(heard.values()) == [["Alpha", "Beta"], ["Gamma"]] and heard["Mara Alvandi"] == ["Gamma"]


def test_a_misattribution_rests_on_names_the_outlets_write_for_the_same_words() -> None:
    """ "he said" resolved by the layer, an article that gives the words to two people, or a paraphrase that
    two people may both have said, tell nothing of who said them; two outlets naming two people do."""
    named = _credited("Alpha", QUAY, ("Ana Lindqvist", "Ana Lindqvist"))
    for other in (_credited("Beta", QUAY, ("Piet Moreau", "he")),
                  _credited("Beta", QUAY, ("Piet Moreau", "Piet Moreau"), ("Ana Lindqvist", "Ana Lindqvist")),
                  _credited("Beta", QUAY.replace("every ferry will run to", "all ferries will keep"),
                            ("Piet Moreau", "Piet Moreau"))):
        [group] = compare_story([named, other]).quotes
        assert not group.misattributed
    [group] = compare_story([named, _credited("Beta", QUAY, ("Piet Moreau", "Harbourmaster Piet Moreau"))]).quotes
    assert group.misattributed


def _mine_story() -> list[Article]:
    """Three outlets give the toll of the mine blast alike; Delta gives none in its text."""
    return [
        _article("Alpha", MINE_A),
        _article("Beta", MINE_B.replace("6 miners", "4 miners")),
        _article("Gamma", MINE_C),
        _article("Delta", "A gas blast hit the Dornvik copper mine on Tuesday, the operator said."),
    ]


def test_invented_omission_of_a_fact_most_outlets_carry() -> None:
    omissions = [o for o in compare_story(_mine_story()).omissions if o.kind == "fact"]
    assert {o.outlet for o in omissions} == {"Delta"}
    assert any("miners" in o.what for o in omissions)


def test_an_outlet_that_gives_a_fact_in_its_headline_does_not_leave_it_out() -> None:
    story = _mine_story()
    story[3].title = "Gas blast kills 4 miners at Dornvik copper mine"
    omissions = [o.what for o in compare_story(story).omissions if o.kind == "fact" and o.outlet == "Delta"]
    assert omissions and not any("miners" in what for what in omissions)  # the 12 injured are still left out


def test_an_article_that_gives_a_fact_in_a_sentence_like_no_other_still_states_it() -> None:
    """Saying an outlet left a fact out when it gives it is the worse error: the same year of the same
    action states the fact, though the sentence shares little with the slot's."""
    given = ("Ilse Varga, who hosted the Orla Film Awards in 2007, will host the gala again, the academy said.",
             "The academy said Ilse Varga, who hosted the Orla Film Awards in 2007, will return as host.",
             "Critics still talk of the show Varga hosted in 2007 with a cardboard crown.")
    story = [_article(outlet, text, timex=[_span(text, "2007", "DATE", value="2007")])
             for outlet, text in zip(("Alpha", "Beta", "Delta"), given, strict=True)]
    mentions = fact_mentions(story)
    slot = [m for m in mentions if m.article.outlet in ("Alpha", "Beta") and m.value == "2007"]
    assert story[2].id in stated_by(slot, mentions)


def test_an_outlet_that_carries_a_fact_in_one_of_its_reports_omits_nothing() -> None:
    brief = "A gas blast hit the Dornvik copper mine on Tuesday, the operator said."
    story = [
        _article("Alpha", MINE_A),
        _article("Beta", MINE_B),
        _article("Gamma", MINE_C),
        _article("Delta", brief),
        _article("Gamma", brief),  # Gamma's second, shorter report
    ]
    outlets = {o.outlet for o in compare_story(story).omissions if o.kind == "fact"}
    assert outlets == {"Delta"}


@pytest.mark.parametrize(("delta", "states_it"), [
    ("Rescuers said the blast at the Dornvik copper mine killed 4 miners on Tuesday.", True),
    ("Rescuers said the blast at the Dornvik copper mine killed 6 miners on Tuesday.", False),  # another value
    ("The Dornvik copper mine has 4 shafts and a smelter, its owner said.", False),  # the value, not the fact
])
def test_an_article_whose_mention_a_slot_left_out_still_states_the_fact(delta: str, states_it: bool) -> None:
    """A slot takes one mention per article, so an article can state a slot's value in a mention the slot did
    not take; it does not leave the fact out."""
    story = [_article("Alpha", MINE_A), _article("Beta", MINE_C), _article("Delta", delta)]
    mentions = fact_mentions(story)
    slot = [m for m in mentions if m.article.outlet in ("Alpha", "Beta") and m.value == "4"]
    assert (story[2].id in stated_by(slot, mentions)) == states_it


def test_an_actor_written_untagged_short_or_in_the_headline_is_not_omitted() -> None:
    """Only Epsilon leaves out the mayor and the town: the others write them where their entities layer did
    not tag them ("Harlen Police"), by surname alone, in another case, or in their headline."""
    tagged = "Mayor Ilse Varga said the Harlen bridge would reopen on Friday."

    def report(outlet: str, text: str, title: str | None = None) -> Article:
        spans = [_span(text, name, label) for name, label in (("Ilse Varga", "PERSON"), ("Harlen", "GPE"))
                 if name in text and f"{name} Police" not in text]
        article = _article(outlet, text, entities=spans)
        article.title = title or article.title
        return article

    story = [report(outlet, tagged) for outlet in ("Alpha", "Beta", "Gamma", "Theta", "Iota")] + [
        report("Delta", "Harlen Police said Varga would reopen the bridge on Friday."),
        report("Zeta", "The bridge will reopen on Friday, said the mayor of HARLEN, Ilse Varga."),
        report("Eta", "The bridge will reopen on Friday, the mayor said.", title="Ilse Varga reopens Harlen bridge"),
        report("Epsilon", "The bridge will reopen on Friday, a spokesman said."),
    ]
    omitted = {(o.outlet, o.what) for o in compare_story(story).omissions if o.kind == "actor"}
    assert omitted == {("Epsilon", "Ilse Varga"), ("Epsilon", "Harlen")}


def test_undated_articles_no_layers_and_an_empty_story() -> None:
    story = [
        _article("Alpha", "Short note about a fair.", published=None),
        _article("Beta", "Another note about the fair.", published="2026-05-10"),
    ]
    comparison = compare_story(story)
    assert [r.outlet for r in comparison.timeline.undated] == ["Alpha"]
    assert comparison.timeline.first is not None and comparison.timeline.first.outlet == "Beta"
    assert comparison.techniques is None and any("techniques" in n for n in comparison.notes)
    empty = compare_story([])
    assert empty.timeline.first is None and empty.conflicts == [] and empty.outlets == []


def test_language_edition_takes_the_site_name() -> None:
    story = [_article("Orvald Daily", MINE_A), _article("Orvald Daily", MINE_C), _article("Orvald Täglich", MINE_B)]
    for article, domain in zip(story, ("orvald.example", "www.orvald.example", "de.orvald.example"), strict=True):
        article.domain = domain
    comparison = compare_story(story)
    assert comparison.outlets == ["Orvald Daily"]
    assert comparison.notes[0] == "Orvald Täglich (de.orvald.example) is counted as Orvald Daily"


def test_bad_dates_count_as_undated() -> None:
    story = [_article("Alpha", "A fair.", published="2026-02-30"), _article("Beta", "A fair.", published="soon"),
             _article("Gamma", "A fair.", published="2026-05-10T25:00:00")]
    assert {r.outlet for r in compare_story(story).timeline.undated} == {"Alpha", "Beta", "Gamma"}


def test_a_date_only_report_is_not_first_on_its_own_day() -> None:
    story = [
        _article("Blog", "The fair opened.", published="2026-05-10"),
        _article("Wire", "The fair opened today.", published="2026-05-10T16:00:00+00:00"),
    ]
    assert compare_story(story).timeline.first.outlet == "Wire"


def test_technique_rates_per_outlet_when_the_layer_exists() -> None:
    text = "The so-called ministers met again. Nothing changed. The puppet regime lied once more."
    spans = [
        _span(text, "so-called", "Doubt", score=0.9),
        _span(text, "puppet regime", "Name_Calling,Labeling", score=0.8),
    ]
    story = [_article("Alpha", text, techniques=spans), _article("Beta", "The ministers met again.", techniques=[])]
    uses = {u.outlet: u for u in compare_story(story).techniques or []}
    assert uses["Alpha"].spans == 2 and uses["Alpha"].sentences == 3
    assert uses["Alpha"].rate_per_sentence == pytest.approx(0.667)
    assert uses["Alpha"].share_of_sentences == pytest.approx(0.667)  # two of the three sentences
    assert uses["Beta"].spans == 0 and uses["Beta"].share_of_sentences == 0
    assert [e.text for e in uses["Alpha"].evidence] == ["so-called", "puppet regime"]


def test_the_result_does_not_depend_on_article_order() -> None:
    story = [_article("Alpha", MINE_A), _article("Beta", MINE_B), _article("Gamma", MINE_C)]
    assert compare_story(story).to_dict() == compare_story(story[::-1]).to_dict()


WIRE_PARAGRAPHS = [
    "The mine will stay closed until Friday while inspectors from the regional labour office check the ventilation "
    "shafts, the operator added in a statement sent to reporters late in the afternoon.",
    "Families of the miners gathered outside the hospital in the nearby town of Saltvik, where doctors said two of "
    "the injured men were still in a serious condition after the night surgery.",
    "The Dornvik mine, one of the oldest in the province, was fined twice in the past decade for failing to measure "
    "gas levels in its lower galleries, according to court records seen by the agency.",
]


def test_invented_outlet_profiles_first_and_copies() -> None:
    wire = _article("Wire", "\n\n".join([MINE_A, MINE_C, *WIRE_PARAGRAPHS]), published="2026-05-10T08:00:00+00:00")
    comment = "Our view: the operator has ignored every warning for years and must answer."
    blog = _article("Blog", wire.text + "\n\n" + comment, published="2026-05-10T11:00:00+00:00")
    other = _article("Paper", MINE_B, published="2026-05-11T09:00:00+00:00")
    profiles = {p.outlet: p for p in outlet_profiles({"mine": [wire, blog, other], "solo": [other]})}
    assert profiles["Wire"].first == 1 and profiles["Wire"].first_rate == 1.0
    assert profiles["Blog"].copies == 1 and profiles["Blog"].copy_rate == 1.0
    assert profiles["Paper"].stories == ["mine", "solo"] and profiles["Paper"].multi_outlet_stories == 1


def test_a_unit_written_onto_its_number_is_no_action_of_the_fact() -> None:
    """ "fell about 600m": the tagger may take the "m" for a verb; the slot still says what was done."""
    first = "A climber on the Varn ridge fell about 600m while descending, the rescue team said."
    second = "A climber on the Varn ridge fell 700 metres while descending, the rescue team said."
    conflicts = compare_story([_article("Alpha", first), _article("Beta", second)]).conflicts
    assert [sorted(v.value for v in c.values) for c in conflicts] == [["600", "700"]]
    assert "ming" not in conflicts[0].slot and "fell" in conflicts[0].slot


def _lasting(outlet: str, text: str, part: str, value: str) -> Article:
    return _article(outlet, text, timex=[_span(text, part, "DURATION", value=value)])


def test_two_lengths_of_one_standoff_told_with_other_verbs_conflict() -> None:
    """What filled a length of time says which it is ("negotiated with the gunman"), not the verb beside it;
    "almost three hours" is less than three and more than two."""
    first = "Police negotiated with the gunman for two hours before he gave himself up, the chief said."
    second = "Police sealed off Market Square for almost three hours while they negotiated with the gunman."
    story = [_lasting("Alpha", first, "two hours", "PT2H"), _lasting("Beta", second, "almost three hours", "PT3H")]
    [conflict] = compare_story(story).conflicts
    assert [v.value for v in conflict.values] == ["2 hours", "3 hours"] and conflict.slot.startswith("duration (")
    agreeing = "Police negotiated with the gunman for nearly two hours before he gave himself up, a witness said."
    story = [_lasting("Alpha", first, "two hours", "PT2H"), _lasting("Gamma", agreeing, "nearly two hours", "PT2H")]
    assert compare_story(story).conflicts == []


def test_a_length_after_by_is_the_length_not_a_bound() -> None:
    """ "by 6 p.m." is then or before; "delayed by two hours" is two hours, not at most two."""
    texts = {"Alpha": ("The Orla ferry to Velka was delayed by two hours on Friday, the harbour master said.",
                       "two hours", "PT2H"),
             "Beta": ("The Orla ferry to Velka was delayed by three hours on Friday, the harbour master said.",
                      "three hours", "PT3H")}
    [conflict] = compare_story([_lasting(name, *given) for name, given in texts.items()]).conflicts
    assert [v.value for v in conflict.values] == ["2 hours", "3 hours"]


def test_lengths_of_different_peoples_work_or_of_many_offers_are_no_slot() -> None:
    dorsey = "Dorsey has been at the bakery for 37 years and worked on the third floor with the victims."
    ryan = "Baker Ivo Ryan, who has worked at the bakery for nearly 30 years, was on the third floor."
    story = [_lasting("Alpha", dorsey, "37 years", "P37Y"), _lasting("Beta", ryan, "nearly 30 years", "P30Y")]
    assert compare_story(story).conflicts == []
    offers = "Harlen offered the striker eight years, Velka seven years and Orla a ten-year deal, agents said."
    spans = [_span(offers, part, "DURATION", value=value)
             for part, value in (("eight years", "P8Y"), ("seven years", "P7Y"), ("ten-year", "P10Y"))]
    one_offer = "Orla offered the striker a deal for seven years and a club record fee, agents said."
    story = [_article("Alpha", offers, timex=spans), _lasting("Beta", one_offer, "seven years", "P7Y")]
    assert compare_story(story).conflicts == []  # which of Alpha's three lengths is Orla's? Its words do not say


def _on_day(outlet: str, text: str, part: str, value: str) -> Article:
    return _article(outlet, text, published=None, timex=[_span(text, part, "DATE", value=value)])


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _on_weekday(outlet: str, text: str, part: str) -> Article:
    number = next(i for i, name in enumerate(_WEEKDAY_NAMES, 1) if name in part)
    return _on_day(outlet, text, part, f"XXXX-WXX-{number}")


@pytest.mark.parametrize(("first", "second", "in_conflict"), [
    # the day of each lead's main event, though no word stands beside it: one act, one verb
    (("Early Friday morning, around 1:30 a.m., the singer checked into the Harlen clinic.", "Early Friday morning"),
     ("Singer Ada Lenk checked into the Harlen clinic, in Velka, on Thursday night.", "Thursday night"), True),
    # one act told with other verbs: two words beside the day that say where stand for the verb
    (("Singer Ada Lenk entered the Harlen Rest treatment center on Tuesday, her agent said.", "Tuesday"),
     ("Ada Lenk checked into the Harlen Rest treatment center on Friday for an unnamed problem.", "Friday"), True),
    # one verb, two happenings: what shook differs
    (("A strong aftershock shook the island of Velka, in the gulf, on Monday.", "Monday"),
     ("An earthquake shook the island of Velka, in the gulf, on Sunday, killing ten.", "Sunday"), False),
    # the same place, but another named doer: another happening
    (("Judge Orla Vasik sentenced Ivo Lind at the Harlen county courthouse on Saturday.", "Saturday"),
     ("Ivo Lind shot two guards at the Harlen county courthouse on Friday, police said.", "Friday"), False),
])
def test_the_day_of_each_leads_main_event(first: tuple[str, str], second: tuple[str, str], in_conflict: bool) -> None:
    conflicts = compare_story([_on_weekday("Alpha", *first), _on_weekday("Beta", *second)]).conflicts
    days = sorted(day for _, part in (first, second) for day in _WEEKDAY_NAMES if day in part)
    assert [[v.value for v in c.values] for c in conflicts] == ([days] if in_conflict else [])


@pytest.mark.parametrize(("date", "in_conflict"), [("2005-12-19", False), ("2005-12-20", True)])
def test_a_weekday_and_a_date_of_one_death_agree_when_the_date_falls_on_it(date: str, in_conflict: bool) -> None:
    monday = _on_day("Alpha", "Orlen Vasik died in the Harlen prison hospital on Monday, officials said.",
                     "Monday", "XXXX-WXX-1")
    text = "Orlen Vasik died in the Harlen prison hospital on 19 December 2005, officials said."
    dated = _on_day("Beta", text, "19 December 2005", date)
    comparison = compare_story([monday, dated])
    assert [c.kind for c in comparison.conflicts] == (["date"] if in_conflict else [])
    assert len(comparison.agreements) == (0 if in_conflict else 1)  # 2005-12-19 was a Monday


@pytest.mark.parametrize(("first", "second", "in_conflict"), [
    ("at around 9 p.m.", "at 8:49 p.m.", False),  # a round hour given as approximate is good to HOUR_SLACK
    ("at around 9:30 p.m.", "at 9:19 p.m.", True),  # a time to the minute only to CLOCK_SLACK
    ("by 9 p.m.", "at 8:40 p.m.", False),  # "by": then or before
])
def test_round_hours_and_by_a_time_bound_a_clock_time(first: str, second: str, in_conflict: bool) -> None:
    texts = {"Alpha": f"Police said Orlen was driving his grey van {first} on the Harlen ring road.",
             "Beta": f"Orlen was stopped in his grey van {second}, a spokesman for the highway patrol said."}
    story = [_article(name, text, timex=[_span(text, part.removeprefix("by "), "TIME",
                                               value=f"2026-05-10T{_clock(part)}")])
             for (name, text), part in zip(texts.items(), (first, second), strict=True)]
    assert [c.kind for c in compare_story(story).conflicts] == (["date"] if in_conflict else [])


def test_clock_times_hours_apart_are_two_happenings_not_one_slot() -> None:
    called = "Firefighters from Velka were called to the burning Orla mill at 3:30 a.m., the fire chief said."
    out = "Firefighters from Velka had the burning Orla mill under control at 6:40 a.m., the fire chief said."
    story = [_article("Alpha", called, timex=[_span(called, "3:30 a.m.", "TIME", value="2026-05-10T03:30")]),
             _article("Beta", out, timex=[_span(out, "6:40 a.m.", "TIME", value="2026-05-10T06:40")])]
    assert compare_story(story).conflicts == []


def test_figures_of_two_named_people_are_not_one_fact() -> None:
    """A player's yards are not another player's, and a day one player was placed on the list is not the
    day another was; a figure with no name stays open to a named one when its own sentence names him."""
    bush = "Ivo Brandt finishes the season with 404 rushing yards for the Harlen Hawks, the club said."
    lind = "Oskar Lind finishes the season with 498 rushing yards for the Harlen Hawks, the club said."
    assert compare_story([_article("Alpha", bush), _article("Beta", lind)]).conflicts == []
    other = "Ivo Brandt finishes the season with 440 rushing yards for the Harlen Hawks, the club said."
    assert compare_story([_article("Alpha", bush), _article("Gamma", other)]).conflicts
    placed = {"Alpha": ("The Hawks placed Ivo Brandt on injured reserve on Tuesday, the club said.", "Tuesday", 2),
              "Beta": ("The Hawks placed Oskar Lind on injured reserve on Wednesday, the club said.", "Wednesday", 3)}
    story = [_on_day(name, text, day, f"XXXX-WXX-{n}") for name, (text, day, n) in placed.items()]
    assert compare_story(story).conflicts == []


@pytest.mark.parametrize(("second", "in_conflict"), [("Oskar Lind", False), ("Ivo Brandt", True)])
def test_the_doer_of_a_verb_completed_by_another_is_that_verbs_subject(second: str, in_conflict: bool) -> None:
    """ "X is believed to be seeking": X seeks, though "seeking" has no subject of its own."""
    text = "{} is believed to be seeking a five-year deal worth ${} million from the Hawks, agents said."
    story = [_article("Alpha", text.format("Ivo Brandt", 60)), _article("Beta", text.format(second, 75))]
    assert bool(compare_story(story).conflicts) == in_conflict


def test_the_day_of_a_thing_is_not_the_day_of_an_action_with_the_same_verb() -> None:
    """ "will play the winner of Friday's semifinal" dates the semifinal; "advances to play Saturday" dates the
    playing: the same verb, two days of two games."""
    first = "The Harlen Hawks will play the winner of Friday's semifinal between Orla and Velka, the club said."
    second = "The Harlen Hawks advance to play Saturday in the final against Orla or Velka, the club said."
    story = [_on_day("Alpha", first, "Friday", "XXXX-WXX-5"), _on_day("Beta", second, "Saturday", "XXXX-WXX-6")]
    assert compare_story(story).conflicts == []


def test_the_day_a_statement_was_made_is_no_fact_of_the_story() -> None:
    first = "Seacom announced on its website on Friday that the cable between Abu Talat and Marseille was repaired."
    second = "Seacom announced to its clients on Thursday that the cable between Abu Talat and Marseille was repaired."
    story = [_on_day("Alpha", first, "Friday", "XXXX-WXX-5"), _on_day("Beta", second, "Thursday", "XXXX-WXX-4")]
    assert compare_story(story).conflicts == []


def test_two_clock_times_of_one_action_conflict_with_no_word_beside_them() -> None:
    first = "Officers were called to the house in Orla, near the harbour, at 8.40am on Saturday."
    second = "At 8:39am officers were called to a house in Orla, a neighbour told the court on Monday."
    story = [_article("Alpha", first, timex=[_span(first, "8.40am", "TIME", value="2026-05-09T08:40")]),
             _article("Beta", second, timex=[_span(second, "8:39am", "TIME", value="2026-05-09T08:39")])]
    [conflict] = compare_story(story).conflicts
    assert [v.value for v in conflict.values] == ["08:39", "08:40"]


def _values_in_conflict(first: str, second: str) -> list[list[str]]:
    story = [_article("Alpha", first), _article("Beta", second)]
    return [sorted(v.value for v in c.values) for c in compare_story(story).conflicts]


@pytest.mark.parametrize(("first", "second"), [
    ("Police said the shooting happened in the 12000 block of Marsh Street in Orla on Friday.",
     "Police said the shooting happened in the 12500 block of Marsh Street in Orla on Friday."),
    ("The deputy is survived by his wife and two sons, ages 16 and 6, a spokesman said.",
     "The deputy is survived by his wife and two sons, ages 6 and 16, a spokesman said."),
    ("The company estimated that one in every 500 Orla users had been exposed to the flaw.",
     "The company estimated that 0.2 percent of Orla users had been exposed to the flaw."),
    ("Damage to the Orla chapel was estimated at $US2 million ($3.1 million), officials said.",
     "Damage to the Orla chapel was estimated at $2 million, officials said."),
    ("Officers said Ivo Vell was shot eleven times by police in Orla on Saturday night.",
     "Officers said Ivo Vell had been arrested four times by police in Orla before Saturday."),
    ("A gunman shot to death one person at the Orla accounting office on Monday, police said.",
     "A gunman suspected of shooting three people at the Orla accounting office was held, police said."),
    ("The Harlen Hawks were leading 24-20 in Orla when the lights went out, the club said.",
     "The Harlen Hawks were leading 33-26 in Orla when the lights went out, the club said."),
    ("Ivo Brandt scored to make it 19-12 with 11:43 left in the Orla derby, the club said.",
     "Ivo Brandt scored to make it 57-46 with 7:02 left in the Orla derby, the club said."),
    ("A Ivo Brandt field goal tied the game at 13 late in the third quarter.",
     "A Ivo Brandt field goal tied the game at 16 late in the third quarter."),
])
def test_numbers_that_are_no_count_of_one_slot_are_not_in_conflict(first: str, second: str) -> None:
    """An address, a listed age, a share, a sum converted in brackets, how often two different things
    happened, the killed among the shot, two moments' running scores of a game: each pair was one conflict
    before."""
    assert _values_in_conflict(first, second) == []


@pytest.mark.parametrize(("sentence", "counts"), [
    ("The burned Orla library was one of the oldest buildings in the town, the mayor said.", []),
    ("Quarterback Ivo Brandt connected on 1 of 13 passes in the loss at Orla, the club said.", ["1", "13"]),
])
def test_one_of_picks_one_out_and_counts_nothing(sentence: str, counts: list[str]) -> None:
    """ "one of the oldest buildings" is no fact two outlets agree on; "1 of 13 passes" is."""
    story = [_article("Alpha", sentence), _article("Beta", sentence)]
    assert sorted(v.value for a in compare_story(story).agreements for v in a.values) == counts


def test_a_record_of_three_parts_or_before_a_comma_is_one_value() -> None:
    """ "45-7-2" (wins, losses, draws) and "10-5, 4-4 on the road" are records, not counts of 45 or 10."""
    record = "Ivo Brandt fell to {} with the loss in Orla on Saturday, the promoter said."
    assert _values_in_conflict(record.format("45-7-2"), record.format("44-7-2")) == [["44-7-2", "45-7-2"]]
    standing = "The Harlen Hawks improved their record to {}, 4-4 on the road, with the win in Orla on Sunday."
    assert _values_in_conflict(standing.format("10-5"), standing.format("9-5")) == [["10-5", "9-5"]]


def test_how_often_is_no_length_of_time() -> None:
    """A set ("each month", "per hour", the "Daily" of a newspaper's name as the timex layer reads it) says how
    often, not how long: no outlets agree on a duration of "1 month"."""
    text = "Velkar Soft patches its browser on the second Tuesday of each month, the Orla Daily News said."
    sets = [_span(text, "each month", "SET", value="P1M"), _span(text, "Daily", "SET", value="P1D")]
    story = [_article(outlet, text, timex=sets) for outlet in ("Alpha", "Beta")]
    assert [a.slot for a in compare_story(story).agreements] == []


def test_a_count_in_dozens_is_its_number_and_a_fall_to_ones_death_is_a_fall() -> None:
    rampage = "A group of about {} young protesters rampaged through the Orla pharmacy on Monday night."
    assert _values_in_conflict(rampage.format("two dozen"), rampage.format("three dozen")) == [["24", "36"]]
    fall = "Ivo Vell slipped on the ice and fell {} metres to his death on Mount Orla."
    assert _values_in_conflict(fall.format(600), fall.format(700)) == [["600", "700"]]



@pytest.mark.parametrize(("first", "second"), [
    ("Although the Hawks started the game with a three - and - out, they were able to score first.",
     "Although the Hawks started the game at their own 27, they were able to score first."),
    ("Ivo Vell's big day at Orla included an 86 - yard touchdown run on the first play of the second half.",
     "The odds of Ivo Vell ripping off another 90 - yard run at Orla were higher than of a pass."),
])
def test_a_number_inside_a_compound_word_or_of_another_thing_is_no_slot(first: str, second: str) -> None:
    """ "three-and-out" counts nothing; "another 90-yard run" is not the run another outlet measured."""
    assert _values_in_conflict(first, second) == []


def test_counts_of_one_model_are_one_slot_whatever_noun_follows() -> None:
    """ "12 AK 47 guns" and "seven AK-47 assault rifles" count one model; "nine assault rifles" is no count of it."""
    first = "The Orla commandos also recovered 12 AK 47 guns from the pirate boats, the navy said."
    second = "The Orla commandos also seized seven AK-47 assault rifles from the pirate boats, the navy said."
    assert _values_in_conflict(first, second) == [["12", "7"]]
    third = "The Orla commandos also seized nine assault rifles from the pirate boats, the navy said."
    assert _values_in_conflict(second, third) == []
    listed = "Seven AK-47s, three other rifles and 13 loaded magazines were recovered from the Orla pirate boats."
    assert _values_in_conflict(first, listed) == [["12", "7"]]


def test_voices_are_names_and_groups_not_one_unnamed_person_or_thing() -> None:
    """ "a man", "the spokesman", "the company" are nobody a reader can tell apart; "Police" opening a
    sentence and "police" are one group."""
    speakers = {"Alpha": ("Police", "a man", "Ilse Varga"), "Beta": ("police", "spokesman", "witnesses"),
                "Gamma": ("company", "nCircle", "Ilse Varga")}
    story = []
    for outlet, names in speakers.items():
        text = " ".join(f'{name} said "the quay at Orla is safe {i}".' for i, name in enumerate(names))
        quotes = [_span(text, f'"the quay at Orla is safe {i}"', "direct", speaker_name=name,
                        speaker_kind="person" if name[0].isupper() and name != "Police" else "group")
                  for i, name in enumerate(names)]
        story.append(_article(outlet, text, quotes=quotes))
    voices = {v.speaker_name: v.outlets for v in compare_story(story).voices}
    assert voices == {"police": ["Alpha", "Beta"], "Ilse Varga": ["Alpha", "Gamma"], "witnesses": ["Beta"],
                      "nCircle": ["Gamma"]}


def test_the_forms_of_one_persons_name_are_one_voice_and_a_title_alone_is_none() -> None:
    """ "Sheriff Ilse J. Varga", "Ilse J Varga" and "Ilse Varga" are one voice; "Lt" is nobody; "Ana Leader"
    (a surname that is also a title word) stays a voice when the entities layer calls her a person."""
    speakers = {"Alpha": ("Sheriff Ilse J. Varga", "Lt"), "Beta": ("Ilse J Varga", "Ana Leader"),
                "Gamma": ("Ilse Varga", "Ana Leader")}
    story = []
    for outlet, names in speakers.items():
        text = " ".join(f'{name} said "the quay at Orla is safe {i}".' for i, name in enumerate(names))
        quotes = [_span(text, f'"the quay at Orla is safe {i}"', "direct", speaker_name=name, speaker_kind="person")
                  for i, name in enumerate(names)]
        entities = [_span(text, "Ana Leader", "PERSON")] if "Ana Leader" in text else []
        story.append(_article(outlet, text, quotes=quotes, entities=entities))
    voices = {v.speaker_name: v.outlets for v in compare_story(story).voices}
    assert voices == {"Ilse J. Varga": ["Alpha", "Beta", "Gamma"], "Ana Leader": ["Beta", "Gamma"]}


@pytest.mark.parametrize(("first_place", "second_place", "in_conflict"),
                         [("Orland", "Velkar", False), ("Orland", "Orland", True), ("Kabul", "Afghanistan", True)])
def test_counts_of_two_places_named_in_their_clauses_are_two_quantities(first_place: str, second_place: str,
                                                                         in_conflict: bool) -> None:
    """ "down by 80 percent in Orland" is no slot with "82 percent in Velkar"; with "82 percent in Orland" it is,
    and a city's figure may be its country's (the gazetteer knows Kabul is in Afghanistan)."""
    texts = {"Alpha": (f"Internet services in {first_place} were down by 80 percent on Friday, the operator said.",
                       first_place),
             "Beta": (f"Internet services in {second_place} were down by 82 percent on Friday, the operator said.",
                      second_place)}
    story = [_article(outlet, text, entities=[_span(text, place, "GPE", canonical=place)])
             for outlet, (text, place) in texts.items()]
    assert bool(compare_story(story).conflicts) == in_conflict


@pytest.mark.parametrize(("sentence", "slot"), [
    ("A bomb exploded in the Orla market on Monday, killing {} people, the police said.", "people killed"),
    ("The riots spread across Orla on Monday, leaving {} people injured, the police said.",
     "people injured"),
    ("Marines boarded the boats near Orla on Monday, nabbing {} pirates, the navy said.", "pirates nabbed"),
    ("The families of the {} wounded men asked for privacy at the Orla hospital on Monday, the police said.",
     "wounded men"),
    ("The Orla market had {} damaged shops after the riots on Monday, the police said.", "damaged shops"),
    ("Robbers made off with jewels worth ${} million from an Orla store on Monday, the police said.",
     "made off (USD)"),
    ("Forward Jorvan Miles had {} points in the Orla Hawks' win on Monday, the club said.", "points"),
    ("A poll in Orla on Monday found that {} per cent of voters backed the harbour plan.", "percent backed"),
])
def test_a_slot_names_what_was_done_to_the_things_counted(sentence: str, slot: str) -> None:
    """ "killing 10 people" is a slot of "people killed", not "people killing"; verb forms come from
    inflection tables ("nabbed", not "nabing")."""
    story = [_article("Alpha", sentence.format(10)), _article("Beta", sentence.format(14))]
    [conflict] = compare_story(story).conflicts
    assert conflict.slot.endswith(slot)


@pytest.mark.parametrize(("sentence", "values", "slot"), [
    ("Voters in Orla approved the bond for the new harbour in {}, the mayor said.", ("2009", "2010"),
     "year approved"),
    ("The {} harbour fire at Orla was started by a sailor, the historian said.", ("1972", "1974"),
     "year of the fire"),
])
def test_a_date_slot_names_its_action_though_its_words_are_numbers(sentence: str, values: tuple[str, str],
                                                                   slot: str) -> None:
    """A year hangs on the parse as a number does; its slot is still the year of the action ("approved"
    is a count's label) or of the thing it describes ("the 1972 fire")."""
    story = []
    for outlet, when in zip(("Alpha", "Beta"), values, strict=True):
        text = sentence.format(when)
        story.append(_article(outlet, text, published=None, timex=[_span(text, when, "DATE", value=when)]))
    [conflict] = compare_story(story).conflicts
    assert conflict.slot.endswith(slot)


def test_a_year_that_describes_a_thing_dates_that_thing() -> None:
    """ "the 1959 heroin conviction" is the year of that conviction, not of the sentence being served in 1997."""
    given = (("Alpha", "After serving five years on the 1959 heroin conviction, Vell resumed his life of crime "
                       "in Orla.", "1959"),
             ("Beta", "Vell was serving a 12-year sentence for a racketeering conviction in Orla in 1997 when he "
                      "died.", "1997"))
    story = [_article(outlet, text, timex=[_span(text, year, "DATE", value=year)]) for outlet, text, year in given]
    assert compare_story(story).conflicts == []


def _with_weekdays(outlet: str, text: str) -> Article:
    spans = [_span(text, name, "DATE", value=f"XXXX-WXX-{n}")
             for n, name in enumerate(_WEEKDAY_NAMES, 1) if name in text]
    return _article(outlet, text, published=None, timex=spans)


def test_the_day_in_a_lead_is_the_articles_claim_though_it_gives_another_day_below() -> None:
    """A lead that dates the navy's foiling Friday conflicts with leads that say Thursday, though the same
    article says Thursday further down (of the escort, as another outlet's lead does); a day beside a
    participle describing a noun ("vessels transiting the strait on Friday") dates the main verb."""
    escort = "The warship was escorting five merchant vessels through the Orla strait on Thursday morning."
    story = [
        _with_weekdays("Alpha", "An Orla warship foiled a pirate attack on merchant vessels transiting the Orla "
                                f"strait on Friday, capturing 20 pirates. {escort}"),
        _with_weekdays("Beta", "An Orla warship on Thursday foiled a pirate attack on merchant vessels in the Orla "
                               "strait, the navy said."),
        _with_weekdays("Gamma", f"{escort} The crew then saw five boats approaching, the navy said."),
    ]
    days = [sorted(v.value for v in c.values) for c in compare_story(story).conflicts if c.kind == "date"]
    assert days == [["Friday", "Thursday"]]


@pytest.mark.parametrize(("second_year", "in_conflict"), [("2007", False), ("2005", True)])
def test_ages_given_years_apart_agree_when_the_person_aged_as_much(second_year: str, in_conflict: bool) -> None:
    """A suspect "27" in a report of 2005 and "29" in a report of his trial in 2007 is one person two years older."""
    story = [_article("Alpha", "Police are searching for Ivo Vell, 27, who is armed, the sheriff said.",
                      published="2005-06-25T08:00:00+00:00"),
             _article("Beta", "The jury found Ivo Vell, 29, guilty of murder, the prosecutor said.",
                      published=f"{second_year}-09-12T08:00:00+00:00")]
    assert bool(compare_story(story).conflicts) == in_conflict


@pytest.mark.parametrize(("son_age", "in_conflict"), [(17, False), (28, True)])
def test_ages_far_apart_under_one_surname_are_two_people(son_age: int, in_conflict: bool) -> None:
    """ "I'm relieved," said 17-year-old Jon Vell, the deputy's son: not the deputy "Vell, 35" of another outlet;
    outlets that err on one person's age err by a few years."""
    story = [_article("Alpha", "Deputy Ivo Vell, 35, was shot outside an apartment in Orla, the sheriff said."),
             _article("Beta", f"'I am relieved,' said {son_age}-year-old Jon Vell after the verdict in Orla.")]
    assert bool(compare_story(story).conflicts) == in_conflict
