"""Scorers for the extraction benchmark: upstream trafilatura's snippet metric and 4-word shingles."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from newsprism.extract.text import ngrams, shingles, words

_WS = re.compile(r"\s+")


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class SnippetCounts:
    """Upstream's micro-averaged counts: `with` found = TP, `without` found = FP."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, output: str, with_: list[str], without: list[str]) -> None:
        out = collapse(output)
        for snippet in with_:
            if collapse(snippet) in out and out:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if collapse(snippet) in out and out:
                self.fp += 1
            else:
                self.tn += 1

    def figures(self) -> dict[str, float]:
        total = self.tp + self.fp + self.fn + self.tn
        return {
            "precision": _ratio(self.tp, self.tp + self.fp),
            "recall": _ratio(self.tp, self.tp + self.fn),
            "accuracy": _ratio(self.tp + self.tn, total),
            "f1": _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn),
        }


@dataclass
class ShingleScores:
    """Per-page shingle precision and recall, averaged over pages.

    Recall: share of the `with` snippets' shingles present in the output (a snippet
    of fewer than four words counts as one shingle, matched against the output's
    n-grams of the same length).
    Precision: of the gold shingles present in the output, the share that are
    `with` shingles rather than `without` (boilerplate) shingles. An empty
    output scores 0 on both, as a crash does upstream.
    """

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)

    def add(self, output: str, with_: list[str], without: list[str]) -> None:
        tokens = words(output)
        good = set().union(*(shingles(s) for s in with_)) if with_ else set()
        bad = set().union(*(shingles(s) for s in without)) if without else set()
        bad -= good
        if not tokens:
            self.precisions.append(0.0)
            self.recalls.append(0.0)
            return
        # A snippet shorter than a shingle is looked for among the output's n-grams of its own length.
        out = set().union(*(ngrams(tokens, n) for n in {len(g) for g in good | bad}))
        hit, miss = len(good & out), len(bad & out)
        self.recalls.append(_ratio(hit, len(good)) if good else 1.0)
        self.precisions.append(_ratio(hit, hit + miss) if hit + miss else 1.0)

    def figures(self) -> dict[str, float]:
        p = sum(self.precisions) / len(self.precisions) if self.precisions else 0.0
        r = sum(self.recalls) / len(self.recalls) if self.recalls else 0.0
        return {"precision": p, "recall": r, "f1": _ratio(2 * p * r, p + r), "pages": len(self.recalls)}


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def split_of(file_name: str) -> str:
    """Fixed half split of the extraction set: tune on 'tune', report goals on 'holdout'."""
    digest = hashlib.sha1(file_name.encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "holdout"
