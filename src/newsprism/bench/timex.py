"""Timex benchmark: newsprism's ``timex`` layer on TimeBank + AQUAINT with the TempEval-3 metrics.

Reads the TimeML files described in ``shared/data/timex/README.md``: the plain text is the
concatenation of the text nodes of ``<TEXT>``, gold timexes are its ``TIMEX3`` elements and
the DCT's day anchors relative expressions. Scores as TempEval-3: strict (same extent) and
relaxed (overlapping) extraction P/R/F1, type and value accuracy over relaxed matches, and
value F1 = relaxed F1 x value accuracy. Documents are split by ``split_of(doc id)``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from newsprism.annotate.timex import Timex, find_timexes
from newsprism.bench import SHARED_DATA
from newsprism.bench.scoring import split_of
from newsprism.errors import InputError

DEFAULT_DATA_DIR = SHARED_DATA / "timex"
SPLITS = ("tune", "holdout", "all")
CORPORA = ("TimeBank", "AQUAINT")
MAX_FILE_BYTES = 5_000_000


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    corpus: str
    dct: str
    text: str
    timexes: list[Timex]


@dataclass
class Counts:
    """Micro-averaged TempEval-3 counts over documents."""

    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    docs: int = 0
    seconds: float = 0.0

    def add(self, gold: list[Timex], predicted: list[Timex]) -> None:
        self.docs += 1
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.strict += len({(t.start, t.end) for t in gold} & {(t.start, t.end) for t in predicted})
        for g, p in relaxed_pairs(gold, predicted):
            self.relaxed += 1
            self.type_ok += g.type == p.type
            self.value_ok += g.value == p.value

    def figures(self) -> dict[str, float]:
        strict_f1 = _f1(self.strict, self.predicted, self.gold)
        relaxed_f1 = _f1(self.relaxed, self.predicted, self.gold)
        value_acc = _ratio(self.value_ok, self.relaxed)
        return {
            "docs": self.docs,
            "gold": self.gold,
            "predicted": self.predicted,
            "strict_p": _ratio(self.strict, self.predicted),
            "strict_r": _ratio(self.strict, self.gold),
            "strict_f1": strict_f1,
            "relaxed_p": _ratio(self.relaxed, self.predicted),
            "relaxed_r": _ratio(self.relaxed, self.gold),
            "relaxed_f1": relaxed_f1,
            "type_acc": _ratio(self.type_ok, self.relaxed),
            "value_acc": value_acc,
            "value_f1": relaxed_f1 * value_acc,
            "docs_per_s": _ratio(self.docs, self.seconds),
        }


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(matched: int, predicted: int, gold: int) -> float:
    return _ratio(2 * matched, predicted + gold)


def relaxed_pairs(gold: list[Timex], predicted: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one pairs of overlapping spans, first come first served in text order."""
    pairs = []
    used: set[int] = set()
    for g in gold:
        for i, p in enumerate(predicted):
            if i not in used and p.start < g.end and g.start < p.end:
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def parse_tml(path: Path) -> GoldDoc:
    """Plain text of ``<TEXT>``, its gold TIMEX3 spans and the DCT day of one TimeML file."""
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise InputError(str(path), "file too large")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(str(path), f"not TimeML: {exc}") from None
    dct = root.find("DCT/TIMEX3")
    body = root.find("TEXT")
    if dct is None or body is None:
        raise InputError(str(path), "no DCT or TEXT element")
    parts: list[str] = []
    gold: list[Timex] = []
    _walk(body, parts, gold)
    return GoldDoc(path.stem, path.parent.name, (dct.get("value") or "")[:10], "".join(parts), gold)


def _walk(element: etree._Element, parts: list[str], gold: list[Timex]) -> None:
    """Append the element's text nodes in document order, recording TIMEX3 spans."""
    start = sum(map(len, parts))
    parts.append(element.text or "")
    for child in element:
        _walk(child, parts, gold)
        parts.append(child.tail or "")
    if element.tag == "TIMEX3":
        span = "".join(parts)[start:]
        gold.append(Timex(start, start + len(span), span, element.get("type", ""), element.get("value", "")))


def load(data_dir: Path) -> list[GoldDoc]:
    return [parse_tml(path) for corpus in CORPORA for path in sorted((data_dir / corpus).glob("*.tml"))]


def score_docs(docs: list[GoldDoc]) -> Counts:
    counts = Counts()
    for doc in docs:
        started = time.perf_counter()
        predicted = find_timexes(doc.text, doc.dct)
        counts.seconds += time.perf_counter() - started
        counts.add(doc.timexes, predicted)
    return counts


def run(data_dir: Path = DEFAULT_DATA_DIR, split: str = "all") -> dict:
    """Figures for ``split`` ('tune', 'holdout' or 'all'), per corpus and together."""
    docs = [d for d in load(data_dir) if split == "all" or split_of(d.doc_id) == split]
    results = {corpus: score_docs([d for d in docs if d.corpus == corpus]).figures() for corpus in CORPORA}
    results["all"] = score_docs(docs).figures()
    return {"split": split, "results": results}


def format_table(results: dict) -> str:
    columns = ["docs", "gold", "predicted", "strict_f1", "relaxed_p", "relaxed_r", "relaxed_f1",
               "type_acc", "value_acc", "value_f1", "docs_per_s"]
    lines = [f"split: {results['split']} (development figures, TimeBank+AQUAINT)",
             "corpus    " + " ".join(f"{c:>10}" for c in columns)]
    for corpus, figures in results["results"].items():
        cells = [f"{figures[c]:>10d}" if isinstance(figures[c], int) else f"{figures[c]:>10.3f}" for c in columns]
        lines.append(f"{corpus:<10}" + " ".join(cells))
    return "\n".join(lines)
