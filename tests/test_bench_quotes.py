"""The PolNeAR quote benchmark: brat parsing (records, discontinuous spans, annotator choice) and scoring."""

from __future__ import annotations

from pathlib import Path

from newsprism.bench import quotes as bench
from newsprism.bench.quotes import (
    Attribution,
    Counts,
    Predicted,
    annotation_files,
    group_by_cue,
    name_level,
    overlaps,
    parse_ann,
)

TEXT = "“The dam will hold,” the engineer said, “until spring.”\nVoters believe the levy is\nfair."
ANN = (
    "T1\tContent 40 55;0 20\t“until spring.” “The dam will hold,”\n"
    "T2\tSource 21 33\tthe engineer\n"
    "T3\tCue 34 38\tsaid\n"
    "T4\tAttribution 34 38\tsaid\n"
    "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    "T5\tCue 63 70\tbelieve\n"
    "T6\tContent 71 87\tthe levy is\nfair.\n"
    "T7\tAttribution-no-source 63 70\tbelieve\n"
    "T8\tDiscard 56 62\tVoters\n"
    "E2\tAttribution-no-source:T7 Content:T6 Cue:T5\n"
)


def test_parser_reads_records_fragments_and_sourceless_attributions() -> None:
    said, believe = parse_ann(ANN)
    assert said == Attribution(((0, 20), (40, 55)), ((34, 38),), ((21, 33),), "said")
    assert believe.content == ((71, 87),) and believe.source == () and believe.cue_text == "believe"
    assert TEXT[71:87] == "the levy is\nfair"
    assert said.speech and not believe.speech


def test_one_annotation_file_per_article_the_first_annotator(tmp_path: Path) -> None:
    for name in ("paper_2016-01-02_dam_ef2d.ann", "paper_2016-01-02_dam_4e07.ann", "paper_2016-01-03_levy_d473.ann"):
        (tmp_path / name).write_text("", encoding="utf-8")
    chosen = annotation_files(tmp_path)
    assert {k: v.name for k, v in chosen.items()} == {"paper_2016-01-02_dam": "paper_2016-01-02_dam_4e07.ann",
                                                        "paper_2016-01-03_levy": "paper_2016-01-03_levy_d473.ann"}


def test_overlap_is_measured_against_the_longer_span() -> None:
    gold = ((0, 10), (20, 30))  # 20 gold characters
    assert overlaps(((0, 6),), gold)  # 6 shared >= 0.3 * 20
    assert not overlaps(((0, 5),), gold)  # 5 shared < 6
    assert overlaps(((0, 60),), gold)  # 20 shared >= 0.3 * 60
    assert not overlaps(((0, 70),), gold)  # 20 shared < 21
    assert overlaps(((0, 3), (20, 23)), gold)  # 6 shared over two fragments


PREDICTED = [
    Predicted(((1, 18),), ((34, 38),), ((21, 33),)),  # first half of the split quote, right speaker
    Predicted(((41, 53),), ((34, 38),), ((21, 33),)),  # second half, ungrouped: also a hit for precision
    Predicted(((56, 62),), (), ()),  # matches nothing
    Predicted(((71, 87),), ((63, 70),), ((56, 62),)),  # the belief, exact, with a speaker where gold has none
]


def figures(view: str) -> dict:
    counts = Counts()
    counts.add(TEXT, *bench.view_golds(parse_ann(ANN), view), PREDICTED)
    return counts.figures()


def test_scores_of_the_three_views_by_hand() -> None:
    every, speech, mixed = figures("all"), figures("speech"), figures("speech-recall")
    assert (every["overlap_p"], every["overlap_r"], every["speaker_acc"]) == (0.75, 1.0, 0.5)
    assert (every["exact_p"], every["exact_r"]) == (0.25, 0.5)
    assert (every["cue_tok_p"], every["cue_tok_r"]) == (1.0, 1.0)
    assert (every["source_tok_p"], every["source_tok_r"]) == (2 / 3, 1.0)  # the, engineer right; Voters wrong
    assert (speech["gold"], speech["overlap_p"], speech["overlap_r"], speech["speaker_acc"]) == (1, 0.5, 1.0, 1.0)
    assert (speech["cue_tok_p"], speech["cue_tok_r"]) == (0.5, 1.0)
    assert (mixed["overlap_p"], mixed["overlap_r"], mixed["cue_tok_p"]) == (0.75, 1.0, 1.0)


def test_run_reads_a_split_folder(tmp_path: Path) -> None:
    for folder in ("dev/text", "dev/attributions"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "dev/text/paper_2016-01-02_dam.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "dev/attributions/paper_2016-01-02_dam_4e07.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "dev/attributions/paper_2016-01-02_dam_ef2d.ann").write_text("", encoding="utf-8")
    results = bench.run(tmp_path, "dev")
    assert results["results"]["all"]["gold"] == 2 and results["results"]["speech"]["gold"] == 1
    assert "speech-recall" in bench.format_table(results)


def test_quotes_sharing_a_cue_are_one_predicted_attribution() -> None:
    said = {"start": 34, "end": 38, "text": "said"}
    engineer = {"start": 21, "end": 33, "text": "the engineer"}
    quotes = [{"start": 41, "end": 53, "cue": said, "speaker": engineer},
              {"start": 1, "end": 18, "cue": said, "speaker": engineer},
              {"start": 56, "end": 62, "cue": None, "speaker": None}]
    assert group_by_cue(quotes) == [Predicted(((1, 18), (41, 53)), ((34, 38),), ((21, 33),)),
                                    Predicted(((56, 62),), (), ())]
    counts = Counts()
    counts.add(TEXT, *bench.view_golds(parse_ann(ANN), "all"), group_by_cue(quotes))
    assert (counts.overlap_p, counts.overlap_r, counts.exact_p) == (1, 1, 1)  # the hulls agree once marks are trimmed


def test_name_level_speaker_is_scored_as_a_reader_would() -> None:
    text = "Mr. Hillary Clinton's aide said it. He said so. The campaign said no."
    name, pronoun, group = ((0, 21),), ((36, 38),), ((48, 60),)  # "Mr. Hillary Clinton's", "He", "The campaign"
    assert name_level(text, name, Predicted((), (), (), "Hillary Rodham Clinton")) is True
    assert name_level(text, name, Predicted((), (), (), "Bill Smith")) is False
    assert name_level(text, pronoun, Predicted((), (), pronoun, "")) is True
    assert name_level(text, pronoun, Predicted((), (), (), "Bill Smith")) is False
    assert name_level(text, group, Predicted((), (), group, "")) is None
    assert name_level(text, (), Predicted((), (), ())) is None


def test_the_name_of_a_source_ends_before_its_description() -> None:
    text = ("Rep. Gwen Hale (D-Wis.), head of the caucus, said it. A reporter for USA Today said it. "
            "Mr. Grassley and Mr. Leahy said it.")
    rep, reporter, pair = ((0, 43),), ((54, 78),), ((88, 114),)
    assert text[rep[0][0]:rep[0][1]].endswith("caucus") and text[pair[0][0]:pair[0][1]].endswith("Leahy")
    assert name_level(text, rep, Predicted((), (), (), "Gwen Hale")) is True
    assert name_level(text, reporter, Predicted((), (), (), "")) is None
    assert name_level(text, pair, Predicted((), (), (), "Charles Grassley")) is None


def test_a_name_is_carried_with_either_apostrophe_without_dots_or_as_the_acronym_expanded() -> None:
    text = "O'Neill said it. The S.E.C. said it. The IMF said it."
    oneill, sec, imf = ((0, 7),), ((21, 27),), ((41, 44),)
    assert name_level(text, oneill, Predicted((), (), (), "James O’Neill")) is True
    assert name_level(text, sec, Predicted((), (), (), "SEC")) is True
    assert name_level(text, imf, Predicted((), (), (), "International Monetary Fund")) is True
    assert name_level(text, imf, Predicted((), (), (), "International Labour Organization")) is False
