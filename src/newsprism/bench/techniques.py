"""Techniques benchmark: the ``techniques`` layer on the PTC train split with SemEval-2020 Task 11 metrics.

Reads ``shared/data/ptc`` (see its README). The validation part is every article whose id ends
in 0 or 5, the fitting part the others; within fitting, ids ending in 1 are the tune part the
trainer picks its threshold on. SI: span-overlap precision/recall/F1 with gold overlaps merged
and predictions non-overlapping; TC: micro-F1 over the gold spans, identical spans' labels
paired to maximise matches; per-technique F1 for analysis. Speed is articles per second end
to end (tokenise, tag, classify) and memory the peak resident set of the process; with
``jobs`` worker processes, speed is their throughput together and memory the sum of their peaks
and the main process's.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.annotate.techniques import LABELS, classify_spans, find_techniques
from newsprism.bench import SHARED_DATA, children_peak_rss_mb, peak_rss_mb
from newsprism.pipeline import worker_pool

DEFAULT_DATA_DIR = SHARED_DATA / "ptc"
PARTS = ("validation", "fitting", "train", "tune", "all")
Span = tuple[int, int]


@dataclass
class PtcArticle:
    doc_id: str
    text: str
    si: list[Span] = field(default_factory=list)
    tc: list[tuple[int, int, str]] = field(default_factory=list)


def part_of(doc_id: str) -> str:
    """'validation' (id ends in 0/5), 'tune' (ends in 1, a part of fitting) or 'train' (the rest of fitting)."""
    if doc_id[-1] in "05":
        return "validation"
    return "tune" if doc_id[-1] == "1" else "train"


def in_part(doc_id: str, part: str) -> bool:
    own = part_of(doc_id)
    return part == "all" or own == part or (part == "fitting" and own != "validation")


def load(data_dir: Path = DEFAULT_DATA_DIR, part: str = "validation", limit: int | None = None) -> list[PtcArticle]:
    """Articles of ``part`` with their SI and TC gold, in id order."""
    root = data_dir / "train"
    articles: dict[str, PtcArticle] = {}
    for path in sorted((root / "train-articles").glob("article*.txt")):
        doc_id = path.stem.removeprefix("article")
        if in_part(doc_id, part):
            articles[doc_id] = PtcArticle(doc_id, path.read_text(encoding="utf-8"))
        if limit and len(articles) >= limit:
            break
    for fields in _rows(root / "train-task-si.labels"):
        if fields[0] in articles:
            articles[fields[0]].si.append((int(fields[1]), int(fields[2])))
    for fields in _rows(root / "train-task-flc-tc.labels"):
        if fields[0] in articles:
            articles[fields[0]].tc.append((int(fields[2]), int(fields[3]), fields[1]))
    return list(articles.values())


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def merge_overlaps(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined into one, as the official SI scorer does with the gold."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def si_scores(gold: dict[str, list[Span]], predicted: dict[str, list[Span]]) -> dict[str, float]:
    """Span-overlap P/R/F1, micro over spans of the whole collection (PTC README, 'SI')."""
    precision_credit = recall_credit = 0.0
    n_predicted = n_gold = 0
    for doc_id in gold.keys() | predicted.keys():
        golds = merge_overlaps(gold.get(doc_id, []))
        preds = predicted.get(doc_id, [])
        n_gold += len(golds)
        n_predicted += len(preds)
        for ps, pe in preds:
            for gs, ge in golds:
                shared = min(pe, ge) - max(ps, gs)
                if shared > 0:
                    precision_credit += shared / (pe - ps)
                    recall_credit += shared / (ge - gs)
    p = precision_credit / n_predicted if n_predicted else 0.0
    r = recall_credit / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "predicted": n_predicted, "gold": n_gold}


def tc_scores(gold: list[tuple[str, int, int, str]], predicted: list[tuple[str, int, int, str]]) -> dict:
    """Micro-F1 (= accuracy, one prediction per gold line) and per-technique F1; the labels of an
    identical span are paired to maximise matches, so their order does not count."""
    gold_by_span: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    pred_by_span: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    for doc_id, start, end, label in gold:
        gold_by_span[(doc_id, start, end)][label] += 1
    for doc_id, start, end, label in predicted:
        pred_by_span[(doc_id, start, end)][label] += 1
    matched, gold_count, pred_count = Counter(), Counter(), Counter()
    for span, labels in gold_by_span.items():
        matched.update(labels & pred_by_span.get(span, Counter()))
        gold_count.update(labels)
    for labels in pred_by_span.values():
        pred_count.update(labels)
    per_technique = {}
    for label in LABELS:
        p = matched[label] / pred_count[label] if pred_count[label] else 0.0
        r = matched[label] / gold_count[label] if gold_count[label] else 0.0
        per_technique[label] = {"f1": 2 * p * r / (p + r) if p + r else 0.0, "gold": gold_count[label]}
    total_gold, total_pred, total_matched = gold_count.total(), pred_count.total(), matched.total()
    p = total_matched / total_pred if total_pred else 0.0
    r = total_matched / total_gold if total_gold else 0.0
    return {"micro_f1": 2 * p * r / (p + r) if p + r else 0.0, "gold": total_gold, "per_technique": per_technique}


WARM_UP = "Warm-up text on a so-called council."


def run(data_dir: Path = DEFAULT_DATA_DIR, part: str = "validation", limit: int | None = None, jobs: int = 1) -> dict:
    """SI and TC figures, speed and memory of the shipped model on ``part`` of PTC train."""
    articles = load(data_dir, part, limit)
    texts = [a.text for a in articles]
    if jobs > 1:
        with worker_pool(jobs) as pool:
            list(pool.map(_warm_up, range(jobs), chunksize=1))
            found_list, seconds = _timed(lambda: list(pool.map(find_techniques, texts, chunksize=1)))
            memory = peak_rss_mb() + children_peak_rss_mb()
    else:
        _warm_up()
        found_list, seconds = _timed(lambda: [find_techniques(text) for text in texts])
        memory = peak_rss_mb()
    predicted_si = {a.doc_id: [(s["start"], s["end"]) for s in spans]
                    for a, spans in zip(articles, found_list, strict=True)}
    si = si_scores({a.doc_id: a.si for a in articles}, predicted_si)
    gold_tc, predicted_tc = [], []
    for article in articles:
        spans = [(s, e) for s, e, _ in article.tc]
        labels = classify_spans(article.text, spans)
        gold_tc += [(article.doc_id, s, e, label) for s, e, label in article.tc]
        predicted_tc += [(article.doc_id, s, e, label) for (s, e), label in zip(spans, labels, strict=True)]
    return {
        "part": part,
        "articles": len(articles),
        "jobs": jobs,
        "si": si,
        "tc": tc_scores(gold_tc, predicted_tc),
        "articles_per_s": len(articles) / seconds if seconds else 0.0,
        "peak_rss_mb": memory,
    }


def _warm_up(_: int = 0) -> None:
    """Load the models (the encoder, and the parser the doubt cues use): loading is not part of the
    per-article speed. In a pool the short wait keeps this worker busy, so each one gets a warm-up."""
    find_techniques(WARM_UP)
    time.sleep(0.5)


def _timed(work: Callable[[], list]) -> tuple[list, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def format_table(result: dict) -> str:
    si, tc = result["si"], result["tc"]
    lines = [
        f"PTC train, {result['part']} part ({result['articles']} articles; not official dev/test scores)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| SI precision | {si['precision']:.3f} |",
        f"| SI recall | {si['recall']:.3f} |",
        f"| SI F1 | {si['f1']:.3f} |",
        f"| SI spans predicted / gold | {si['predicted']} / {si['gold']} |",
        f"| TC micro-F1 | {tc['micro_f1']:.3f} |",
        f"| articles/s (SI+TC, end to end, {_processes(result['jobs'])}) | {result['articles_per_s']:.1f} |",
        f"| peak RSS (MB, {_processes(result['jobs'])}) | {result['peak_rss_mb']:.0f} |",
        "",
        "| technique | gold | TC F1 |",
        "|---|---:|---:|",
    ]
    lines += [f"| {label} | {row['gold']} | {row['f1']:.3f} |" for label, row in tc["per_technique"].items()]
    return "\n".join(lines)


def _processes(jobs: int) -> str:
    return "one process" if jobs == 1 else f"{jobs} worker processes and the main one"


if __name__ == "__main__":
    print(format_table(run(limit=int(sys.argv[1]) if len(sys.argv) > 1 else None)))
