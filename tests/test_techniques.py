"""The techniques layer: the SemEval scorers on hand-computed numbers, the shipped model on invented
sentences (without torch), the SPANS.tsv contract and the planted techniques of the sample corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from newsprism import extract_paths
from newsprism.annotate import techniques
from newsprism.annotate.techniques import (
    LABELS,
    classify_rows,
    classify_spans,
    find_techniques,
    one_blas_thread,
    read_span_rows,
    set_threads,
    summarise,
    techniques_layer,
    texts_by_id,
    token_owners,
    token_range,
    windows,
)
from newsprism.bench.techniques import merge_overlaps, part_of, si_scores, tc_scores
from newsprism.errors import InputError
from newsprism.pipeline import available_cores, worker_pool

GOLD = json.loads((Path(__file__).parent / "fixtures" / "corpus-gold.json").read_text(encoding="utf-8"))
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LOADED = (
    "The Ministry of Weather announced new rules for umbrellas on Tuesday.\n"
    "Critics called the plan a disgraceful, treacherous betrayal by a gang of corrupt bureaucrats "
    "who shamelessly lie to every honest citizen.\n"
    "The so-called experts behind it have, without a shred of evidence, claimed that rain is a hoax."
)


def test_si_scorer_merges_gold_overlaps_and_gives_partial_credit() -> None:
    gold = {"a": [(0, 10), (5, 20), (30, 40)], "b": [(0, 4)]}
    predicted = {"a": [(0, 10), (35, 45)]}
    scores = si_scores(gold, predicted)
    # (0,10) on merged (0,20): precision 10/10, recall 10/20; (35,45) on (30,40): 5/10 and 5/10.
    assert scores["precision"] == pytest.approx(1.5 / 2)
    assert scores["recall"] == pytest.approx(1.0 / 3)
    assert scores["f1"] == pytest.approx(2 * 0.75 * (1 / 3) / (0.75 + 1 / 3))
    assert (scores["predicted"], scores["gold"]) == (2, 3)


def test_si_scorer_with_nothing_predicted_is_zero() -> None:
    assert si_scores({"a": [(0, 4)]}, {})["f1"] == 0.0
    assert merge_overlaps([(5, 9), (0, 6), (20, 22)]) == [(0, 9), (20, 22)]


def test_tc_scorer_pairs_the_labels_of_identical_spans() -> None:
    gold = [("d", 0, 5, "Loaded_Language"), ("d", 0, 5, "Doubt"), ("d", 10, 15, "Slogans")]
    predicted = [("d", 0, 5, "Doubt"), ("d", 0, 5, "Loaded_Language"), ("d", 10, 15, "Loaded_Language")]
    scores = tc_scores(gold, predicted)
    assert scores["micro_f1"] == pytest.approx(2 / 3)
    per = scores["per_technique"]
    assert per["Loaded_Language"]["f1"] == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert per["Doubt"]["f1"] == pytest.approx(1.0)
    assert per["Slogans"]["f1"] == 0.0


def test_validation_part_is_ids_ending_in_0_or_5() -> None:
    assert [part_of(i) for i in ("111111110", "111111115", "111111111", "111111117")] == [
        "validation", "validation", "tune", "train"]


def test_windows_cover_every_token_with_overlap() -> None:
    assert windows(10) == [(0, 10)]
    spans = windows(600, size=254, step=192)
    assert spans == [(0, 254), (192, 446), (346, 600)]
    assert all(b[0] < a[1] for a, b in pairwise(spans))


def test_token_owners_pick_the_window_with_most_context() -> None:
    for n, size, step in ((10, 4, 4), (1000, 126, 126), (1000, 254, 192), (3, 126, 126)):
        wins = windows(n, size, step)
        index = np.arange(n)
        margins = np.stack([np.minimum(index - s, e - 1 - index) for s, e in wins])
        assert token_owners(n, wins).tolist() == margins.argmax(axis=0).tolist()


def test_token_range() -> None:
    import numpy as np

    offsets = np.array([[0, 3], [4, 8], [9, 12]])
    assert token_range(offsets, 4, 8) == (1, 2)
    assert token_range(offsets, 2, 10) == (0, 3)


def test_loaded_language_is_flagged_with_valid_spans() -> None:
    spans = techniques_layer(LOADED, None)
    assert spans, "no technique found in obviously loaded text"
    previous_end = 0
    for span in spans:
        assert LOADED[span["start"] : span["end"]] == span["text"]
        assert span["start"] >= previous_end  # sorted, non-overlapping
        previous_end = span["end"]
        assert span["technique"] in LABELS
        assert 0.0 <= span["score"] <= 1.0 and 0.0 <= span["technique_score"] <= 1.0
    assert any("treacherous" in s["text"] or "disgraceful" in s["text"] or "shameless" in s["text"] for s in spans)
    assert not any(s["start"] < LOADED.index("\n") for s in spans)  # the neutral first sentence stays clean


def test_hostile_and_empty_inputs() -> None:
    assert find_techniques("") == []
    assert find_techniques("   \n\n  ") == []
    assert isinstance(find_techniques("x" * 5000 + " " + "🙂" * 300), list)


def test_classify_spans_gives_a_repeated_span_its_next_technique() -> None:
    start = LOADED.index("treacherous")
    span = (start, start + len("treacherous betrayal"))
    labels = classify_spans(LOADED, [span, span, (0, 3)])
    assert len(labels) == 3 and set(labels) <= set(LABELS)
    assert labels[0] != labels[1]


def test_span_file_rows_and_classify_rows(tmp_path: Path) -> None:
    tsv = tmp_path / "spans.tsv"
    tsv.write_text("7\t10\t20\n7\t?\t0\t3\n", encoding="utf-8")
    rows = read_span_rows(tsv)
    assert rows == [("7", 10, 20), ("7", 0, 3)]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "article7.txt").write_text(LOADED, encoding="utf-8")
    texts = texts_by_id([tmp_path / "docs"])
    assert texts == {"7": LOADED}
    lines = classify_rows(rows, texts)
    assert [line.split("\t")[0::2] for line in lines] == [["7", "10"], ["7", "0"]]
    assert all(line.split("\t")[1] in LABELS for line in lines)
    with pytest.raises(InputError):
        classify_rows([("8", 0, 3)], {"7": LOADED})
    tsv.write_text("7\tzero\t3\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_span_rows(tsv)


def test_summary_counts_techniques_and_flagged_sentences() -> None:
    text = "A calm line.\nA wicked plot! Another calm line."
    spans = [{"start": 15, "end": 21, "technique": "Loaded_Language"},
             {"start": 22, "end": 26, "technique": "Loaded_Language"}]
    summary = summarise(text, spans)
    assert summary["techniques"] == {"Loaded_Language": 2}
    assert (summary["sentences"], summary["sentences_with_technique"]) == (3, 1)
    assert summary["share_of_sentences"] == pytest.approx(0.333)


def test_span_filter_keeps_decoded_spans_above_its_threshold() -> None:
    text = (LOADED + "\nThe committee meets again in March to discuss the budget for roads and schools.\n"
            "Only a traitor would defend this shameful, cowardly surrender to a mob of lying thugs.")
    model = techniques.load_model()
    reading = techniques.read(text)
    inside = techniques.inside_probabilities(reading, model)
    decoded = techniques.decode_spans(reading.text, reading.encoded, inside, techniques.decoding(model.meta))
    assert len(decoded) >= 2

    def kept(heads: dict, threshold: float) -> list:
        variant = techniques.Model(heads, {**model.meta, "si_filter_threshold": threshold})
        spans, known = techniques.likely_spans(reading, inside, variant, decoded)
        assert set(known) == {(s, e) for s, e, _ in spans}
        return spans

    assert kept(model.heads, 0.0) == decoded
    assert kept(model.heads, 1.01) == []
    without_filter = {name: array for name, array in model.heads.items() if not name.startswith("sf_")}
    assert kept(without_filter, 1.01) == decoded
    spans = [(s, e) for s, e, _ in decoded]
    vectors, probs = techniques.read_spans(reading, spans)
    chances = techniques.filter_probabilities(model.heads, techniques.filter_features(reading, inside, spans, vectors,
                                                                                        probs))
    assert ((chances > 0) & (chances < 1)).all()
    middle = float(np.median(chances))
    assert kept(model.heads, middle) == [d for d, c in zip(decoded, chances, strict=True) if c >= middle]


def test_encoder_threads_change_the_speed_not_the_spans() -> None:
    two_threads = find_techniques(LOADED)
    try:
        set_threads(1)
        assert techniques.encoder().get_session_options().intra_op_num_threads == 1
        assert find_techniques(LOADED) == two_threads
    finally:
        set_threads(2)
    assert techniques.encoder().get_session_options().intra_op_num_threads == 2


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_blas_runs_on_one_thread_inside_the_layer_only() -> None:
    before = _blas_threads()
    assert one_blas_thread(_blas_threads)() == [1] * len(before)
    assert _blas_threads() == before


def test_a_blas_library_loaded_after_the_first_call_is_limited_too() -> None:
    one_blas_thread(_blas_threads)()
    pytest.importorskip("scipy.linalg")  # its own OpenBLAS, where installed (the [train] extra)
    assert set(one_blas_thread(_blas_threads)()) == {1}


def _worker_encoder_threads(_: int) -> int:
    return techniques.THREADS["encoder"]


def test_pool_workers_share_the_cores() -> None:
    with worker_pool(2) as pool:
        assert list(pool.map(_worker_encoder_threads, range(2))) == [max(1, available_cores() // 2)] * 2


def test_inference_runs_without_torch() -> None:
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "sys.modules['transformers'] = None\n"
        "from newsprism.annotate.techniques import find_techniques\n"
        f"print(len(find_techniques({LOADED!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 1


@cache
def corpus_recall() -> tuple[int, int, dict[str, tuple[int, int]]]:
    """(planted English body spans, those overlapped by a found span, the same per technique)."""
    gold = {article["source"]: article for article in GOLD["articles"] if article["language"] == "en"}
    total = found = 0
    per: dict[str, list[int]] = {}
    for _, article in extract_paths([CORPUS]):
        entry = gold.get(article.source.split("corpus/", 1)[-1]) if article else None
        if entry is None or not entry["techniques"]:
            continue
        spans = find_techniques(article.text)
        for planted in entry["techniques"]:
            at = article.text.find(planted["text"])
            if at < 0:  # planted in the title, which is not part of the body text
                continue
            hit = any(s["start"] < at + len(planted["text"]) and at < s["end"] for s in spans)
            total += 1
            found += hit
            counts = per.setdefault(planted["technique"], [0, 0])
            counts[0] += 1
            counts[1] += hit
    return total, found, {k: (v[0], v[1]) for k, v in per.items()}


def test_corpus_planted_techniques_are_partly_found() -> None:
    """Measured with models 5 and 6 and the cues: 36 of 60 planted body spans overlapped; doubt-casting 13
    of 18, name-calling 9 of 10, loaded language 7 of 16. The bounds sit a little under those
    figures, as int8 kernels differ slightly between CPUs."""
    total, found, per = corpus_recall()
    assert total == 60
    assert found / total >= 0.5
    planted, hit = per["Doubt"]
    assert hit / planted >= 0.6
    planted, hit = per["Name_Calling,Labeling"]
    assert hit / planted >= 0.8
    planted, hit = per["Loaded_Language"]
    assert hit / planted >= 0.35


def test_layer_is_registered_for_annotate() -> None:
    from newsprism.annotate.registry import annotate_text

    spans = annotate_text(LOADED, ["techniques"])["techniques"]
    assert spans == techniques_layer(LOADED, None)
