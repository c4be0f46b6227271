"""Story linking and republication tracing, on invented texts and the bundled sample corpus."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism import cli
from newsprism.bench import link as link_bench
from newsprism.bench.link import bcubed, measure_size, pairwise
from newsprism.link import link_articles
from newsprism.link.copies import align, find_copies, sources_of
from newsprism.link.events import (
    EventLinker,
    LinkParams,
    add_signature,
    event_signature,
    link_batch,
    script_of,
    signature_agreement,
)
from newsprism.model import Article
from newsprism.pipeline import extract_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "fixtures" / "corpus-gold.json"

QUAKE = [
    "An earthquake of magnitude 6.1 shook the mountain town of Brelmora early on Sunday, toppling the old bell "
    "tower and cutting roads to three villages. Rescuers from Orvald pulled two survivors from the rubble.",
    "Aftershocks kept families from Brelmora sleeping outdoors as Orvald rescue teams searched collapsed homes "
    "after Sunday's magnitude 6.1 earthquake destroyed the bell tower.",
    "The magnitude 6.1 quake that struck Brelmora damaged the bell tower beyond repair, the mayor said, while "
    "rescuers from Orvald reached the last cut-off village.",
]
TRANSFER = [
    "Striker Teodor Vasquell signed a four-year contract with Kestrel Rovers for a club record fee, ending months "
    "of talks with his former club Dunmarsh Athletic.",
    "Kestrel Rovers unveiled Teodor Vasquell at their stadium after the striker completed a record transfer from "
    "Dunmarsh Athletic on a four-year deal.",
    "Dunmarsh Athletic confirmed the record sale of striker Teodor Vasquell to Kestrel Rovers, who gave him a "
    "four-year contract.",
]

FINAL_2024 = [
    "Marsden Harriers won the 2024 cup final with 3 goals against Oakvale Town before 41,000 fans, captain Tomas "
    "Quell lifting the trophy.",
    "Captain Tomas Quell lifted the trophy as Marsden Harriers scored 3 goals past Oakvale Town in the 2024 cup "
    "final before 41,000 fans.",
    "Oakvale Town conceded 3 goals in the 2024 cup final; 41,000 fans saw Marsden Harriers captain Tomas Quell "
    "lift the trophy.",
]
# The next final: the same clubs and words, other year, score, crowd and captain.
FINAL_2026 = [
    text.replace("2024", "2026").replace("3 goals", "2 goals").replace("41,000", "38,500")
    .replace("Tomas Quell", "Ilya Brandvik")
    for text in FINAL_2024
]


def invented(texts: list[str], prefix: str, dates: list[str | None] | None = None) -> list[Article]:
    return [
        Article(source=f"{prefix}{i}", title=text.split(",")[0], text=text, outlet=prefix,
                published=(dates or [None] * 9)[i])
        for i, text in enumerate(texts)
    ]


def interleaved() -> list[Article]:
    quake, transfer = invented(QUAKE, "quake"), invented(TRANSFER, "transfer")
    return [a for pair in zip(quake, transfer, strict=True) for a in pair]


def partition(articles: list[Article]) -> dict[str, str]:
    """Each article's event, by source."""
    event_of = link_articles(articles).event_of
    return {article.source: event_of[article.id] for article in articles}


def test_two_undated_stories_come_apart() -> None:
    predicted = partition(interleaved())
    gold = {source: source.rstrip("0123456789") for source in predicted}
    assert bcubed(gold, predicted)["f1"] == 1.0


def test_linking_is_deterministic_and_ids_are_stable_strings() -> None:
    first = partition(interleaved())
    second = partition(interleaved())
    assert first == second
    assert all(isinstance(event, str) and event.startswith("event-") for event in first.values())


def test_linking_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "import json, sys; sys.path.insert(0, 'tests'); from test_link import interleaved, partition;"
        " print(json.dumps(partition(interleaved())))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == partition(interleaved())


def test_dates_far_apart_keep_the_same_kind_of_event_apart() -> None:
    spring = invented(QUAKE, "spring", ["2026-04-01T08:00:00+00:00", "2026-04-01T12:00:00+00:00", None])
    autumn = invented(QUAKE[:2], "autumn", ["2026-10-05T08:00:00+00:00", "2026-10-05T09:00:00+00:00"])
    stories = partition(spring[:2] + autumn)
    assert stories["spring0"] == stories["spring1"]
    assert stories["autumn0"] == stories["autumn1"]
    assert stories["spring0"] != stories["autumn0"]


def test_event_signature_reads_years_and_counts_with_their_nouns() -> None:
    text = "The flood of 2025 left 3,400 residents homeless and 17 injured."
    article = Article(source="s", title="Flood in 2025", text=text)
    assert event_signature(article) == {"year": {"2025"}, "reside": {"3400"}, "injure": {"17"}}


def test_a_rewrite_with_one_changed_figure_agrees_while_another_event_conflicts() -> None:
    story: dict = {}
    add_signature(story, event_signature(Article(source="w", text="3 dead, 17 injured, 60,000 homes cut off in 2026.")))
    rewrite = Article(source="r", text="The strike left 3 dead and 15 injured; 60,000 homes lost power.")
    other = Article(source="o", text="In 2019 a strike left 5 dead, 40 injured and 2,000 homes without power.")
    assert signature_agreement(event_signature(rewrite), story) == (2, 1)
    assert signature_agreement(event_signature(other), story) == (0, 4)


def test_two_events_that_differ_only_in_their_figures_come_apart() -> None:
    first = invented(FINAL_2024, "early")
    second = invented(FINAL_2026, "later")
    for articles in (first + second, [a for pair in zip(first, second, strict=True) for a in pair]):
        predicted = partition(articles)
        gold = {source: source.rstrip("0123456789") for source in predicted}
        assert bcubed(gold, predicted)["f1"] == 1.0


def test_a_report_that_started_a_story_too_early_moves_to_the_story_it_fits_at_the_end() -> None:
    # The first report shares one word with each later one: alone, none of them is close enough;
    # against the story they form, it is.
    texts = ["tallow quince marram", "tallow corvid lintel", "quince corvid lintel", "marram corvid lintel"]
    articles = [Article(source=f"x{i}", text=text) for i, text in enumerate(texts)]
    linker = EventLinker(LinkParams(threshold=0.35))
    for article in articles:
        linker.add(article)
    linker.refine()
    assert len({linker.story_of(a.id) for a in articles}) == 2
    assert linker.reassign() == 1
    assert len({linker.story_of(a.id) for a in articles}) == 1
    assert len(linker.events()) == 1


TALKS = [
    "Foreign ministers of Ostrava and Belmont will meet in Quillon on May 9 for talks on the border dispute, the "
    "Quillon government said.",
    "Belmont's foreign minister confirmed the Quillon talks with Ostrava on May 9 and said the border dispute could "
    "be settled.",
    "Ostrava expects little from the Quillon talks with Belmont on May 9, its foreign minister said of the border "
    "dispute.",
]
HOPES = ("Families in Dorvik whose sons are held by Belmont hope the Quillon talks will bring them home, said Mara "
         "Tenz of Dorvik.")
FLOOD = [
    "Floods cut power to Dorvik after the river burst its banks, and rescuers in Dorvik evacuated 300 homes on "
    "Tuesday.",
    "Dorvik residents returned to flooded streets as the river fell; power is back in most of Dorvik, the mayor said.",
    "The Dorvik flood damaged 300 homes and the power station, Dorvik officials said, as the river fell.",
    "Insurers began counting the cost of the Dorvik flood as power returned to the town of Dorvik.",
]


def test_a_town_named_first_by_an_early_report_does_not_pull_it_into_that_towns_later_story() -> None:
    """On arrival "Dorvik" is rare and dominates the families' report; the flood reports then join
    it. Weighed again with the whole stream's frequencies, the report goes to the talks it is about."""
    articles = (invented(TALKS, "talks", ["2026-05-01", "2026-05-02", "2026-05-03"])
                + invented([HOPES], "hopes", ["2026-05-03"]) + invented(FLOOD, "flood", ["2026-05-04"] * 4))
    story = partition(articles)
    assert story["hopes0"] == story["talks0"] == story["talks2"]
    assert story["flood0"] == story["flood3"] != story["talks0"]


def test_script_of_tells_cyrillic_reports_from_latin_ones() -> None:
    assert script_of(Article(source="r", title="Землетрясение в Брелморе", text="Спасатели из Орвальда.")) == "cyrillic"
    assert script_of(Article(source="e", text=QUAKE[0])) == "latin"


def test_stories_list_each_article_once_under_its_final_story() -> None:
    articles = interleaved()
    linker = link_batch(articles)
    listed = {article_id: story.id for story in linker.events() for article_id in story.article_ids}
    assert len(listed) == sum(len(story.article_ids) for story in linker.events()) == len(articles)
    assert listed == {a.id: linker.story_of(a.id) for a in articles}
    assert all(story.title for story in linker.events())


def test_an_article_seen_twice_keeps_its_story() -> None:
    linker = EventLinker()
    article = invented(QUAKE, "q")[0]
    assert linker.add(article) == linker.add(article)
    assert len(linker.events()) == 1


def _random_story(rng: random.Random, vocabulary: list[str]) -> list[str]:
    core = rng.sample(vocabulary, 12)
    return [" ".join(core + rng.sample(vocabulary, 4)) for _ in range(3)]


def test_candidates_come_from_the_index_not_from_every_story() -> None:
    rng = random.Random(3)
    vocabulary = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(20000)]
    linker = EventLinker()
    articles = 0
    for number in range(1000):
        for k, text in enumerate(_random_story(rng, vocabulary)):
            linker.add(Article(source=f"s{number}-{k}", text=text))
            articles += 1
    assert len(linker.events()) > 900
    per_article = linker.comparisons / articles
    assert per_article <= LinkParams().max_candidates
    assert per_article < len(linker.events()) / 20


def test_stories_left_behind_by_the_stream_are_archived_but_still_reported() -> None:
    rng = random.Random(5)
    vocabulary = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(5000)]
    linker = EventLinker(LinkParams(archive_days=5))
    for day in range(60):
        published = (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day)).isoformat()
        for k, text in enumerate(_random_story(rng, vocabulary)):
            linker.add(Article(source=f"d{day}-{k}", text=text, published=published))
    assert len(linker.events()) == 60
    assert linker.active_count() <= 7


def test_bcubed_and_pairwise_score_partitions() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed(gold, {"a": "1", "b": "1", "c": "2"})["f1"] == 1.0
    merged = bcubed(gold, {"a": "1", "b": "1", "c": "1"})
    assert merged["recall"] == 1.0
    assert merged["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    assert pairwise(gold, {"a": "1", "b": "2", "c": "3"})["recall"] == 0.0


def test_scale_measure_runs_on_a_tiny_stream() -> None:
    groups = [[(text.split(",")[0], text) for text in QUAKE], [(text.split(",")[0], text) for text in TRANSFER]]
    result = measure_size(groups, 60)
    assert result["articles"] == 60
    assert result["stories"] >= 2
    assert result["seconds"] > 0


def test_bench_command_scores_a_stories_folder_and_runs_tiny_scale_sizes(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    rows = ["doc_id\tsplit\ttopic\tevent_cluster"]
    for half, texts in (("ecb", QUAKE), ("ecbplus", TRANSFER)):
        for n, text in enumerate(texts, start=1):
            (tmp_path / "docs" / f"1_{n}{half}.txt").write_text(f"{text.split(',')[0]}.\n\n{text}", encoding="utf-8")
            rows.append(f"1_{n}{half}\ttrain\t1\t1{half}")
    (tmp_path / "gold.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["bench", "link", "--data", str(tmp_path), "--split", "train",
                                           "--sizes", "20,40", "--incremental", "20,40", "--new", "5"])
    assert result.exit_code == 0, result.output
    out = result.output
    train = next(line for line in out.splitlines() if line.startswith("train"))
    assert train.split()[1:4] == ["6", "2", "2"]  # documents, gold stories, predicted stories
    assert "time ratio largest/smallest" in out
    stores = [line.split() for line in out.splitlines() if line.split()[:2] in (["20", "5"], ["40", "5"])]
    assert len(stores) == 2  # each store size: relink and ingest timed
    assert "incremental time ratio largest/smallest store" in out


def test_storyline_gold_sets_are_read_and_scored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dev" / "text").mkdir(parents=True)
    rows = ["corpus\tdoc_id\tdct\tstoryline\tevent"]
    for i, text in enumerate(QUAKE + TRANSFER):
        doc_id = f"paper_2026-04-0{1 + i}_item{i}"
        (tmp_path / "dev" / "text" / f"{doc_id}.txt").write_text(f"{text.split(',')[0]}\n\n{text}", encoding="utf-8")
        story = "quake" if i < len(QUAKE) else "transfer"
        rows.append(f"PolNeAR-dev\t{doc_id}\t2026-04-0{1 + i}\t{story}\t{story}/{i}")
    gold = tmp_path / "gold.tsv"
    gold.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setitem(link_bench.STORYLINE_SETS, "tiny", (gold, tmp_path, link_bench.read_polnear))
    result = link_bench.score_storylines("tiny")
    assert result["docs"] == 6 and result["gold_storylines"] == 2 and result["gold_events"] == 6
    assert result["storylines"]["bcubed"]["precision"] == 1.0  # the quake and the transfer stay apart


def test_an_undated_republication_with_commentary_is_traced_to_its_source() -> None:
    wire = "\n\n".join(QUAKE + TRANSFER[:1])
    commentary = ["Our view: nobody in the capital cared about Brelmora until the cameras came.",
                  "Remember this the next time the ministry promises to rebuild anything at all."]
    blog = "\n\n".join([wire, *commentary])
    articles = [Article(source="blog", text=blog, outlet="blog"), Article(source="wire", text=wire, outlet="wire"),
                Article(source="other", text="\n\n".join(TRANSFER), outlet="paper")]
    by_id = {a.id: a.source for a in articles}
    matches = find_copies(articles)
    assert [(by_id[m.copy_id], by_id[m.source_id]) for m in matches] == [("blog", "wire")]
    added = [p for p in align(wire, blog) if p.kind == "added"]
    assert [blog[p.copy[0]:p.copy[1]] for p in added] == commentary


def test_alignment_shows_kept_reworded_cut_and_added_paragraphs() -> None:
    source = "\n\n".join([QUAKE[0], TRANSFER[0], "The regional governor declared three days of mourning."])
    reworded = TRANSFER[0].replace("ending months of talks", "after months of negotiations")
    copy = "\n\n".join([QUAKE[0], reworded, "Our view: the tower should have been reinforced years ago."])
    kinds = [p.kind for p in align(source, copy)]
    assert kinds == ["kept", "reworded", "added", "cut"]  # cuts after the last paired paragraph close the region
    reworded_passage = align(source, copy)[1]
    assert any("negotiations" in change["copy_text"] for change in reworded_passage.changes)
    added = next(p for p in align(source, copy) if p.kind == "added")
    assert copy[added.copy[0]:added.copy[1]].startswith("Our view:")


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Article], dict]:
    if not CORPUS.is_dir() or not GOLD.is_file():
        pytest.skip("sample corpus not present")
    articles = [a for _, a in extract_paths([CORPUS]) if isinstance(a, Article)]
    return articles, json.loads(GOLD.read_text(encoding="utf-8"))


def _corpus_key(article: Article) -> str:
    return Path(article.source).relative_to(CORPUS).as_posix() if "#" not in article.source else \
        Path(article.source.split("#")[0]).relative_to(CORPUS).as_posix() + "#" + article.source.split("#")[1]


def test_corpus_stories_match_the_gold(corpus: tuple[list[Article], dict]) -> None:
    articles, gold_file = corpus
    gold = {entry["source"]: entry["story"] for entry in gold_file["articles"]}
    event_of = link_articles(articles).event_of
    predicted = {_corpus_key(a): event_of[a.id] for a in articles}
    assert set(predicted) == set(gold)
    assert bcubed(gold, predicted)["f1"] == 1.0


def test_corpus_republications_and_their_added_commentary(corpus: tuple[list[Article], dict]) -> None:
    articles, gold_file = corpus
    by_id = {a.id: a for a in articles}
    expected = {e["source"]: e for e in gold_file["articles"] if e["republished_from"]}
    found = {_corpus_key(by_id[m.copy_id]): m for m in sources_of(find_copies(articles)).values()}
    assert {key: _corpus_key(by_id[m.source_id]) for key, m in found.items()} == {
        key: entry["republished_from"] for key, entry in expected.items()
    }
    for key, match in found.items():
        copy, source = by_id[match.copy_id], by_id[match.source_id]
        added = [copy.text[p.copy[0]:p.copy[1]] for p in align(source.text, copy.text) if p.kind == "added"]
        starts = expected[key]["commentary"]
        assert len(added) == len(starts) == 2
        assert all(text.startswith(start) for text, start in zip(added, starts, strict=True))


def test_a_story_whose_first_report_moved_away_takes_the_title_of_its_most_central_member() -> None:
    articles = (invented(TALKS, "talks", ["2026-05-01", "2026-05-02", "2026-05-03"])
                + invented([HOPES], "hopes", ["2026-05-03"]) + invented(FLOOD, "flood", ["2026-05-04"] * 4))
    linker = link_batch(articles)
    flood = next(e for e in linker.events() if articles[4].id in e.article_ids)
    assert articles[3].id not in flood.article_ids
    assert flood.title in {a.title for a in articles[4:]}
