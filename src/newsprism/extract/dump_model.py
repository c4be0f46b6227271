"""Run-time inference of the dump line classifier from its plain-JSON weights.

The weights are two small stacked gradient-boosted tree ensembles written by
``newsprism.bench.train_dump``; evaluating it needs numpy only (no scikit-learn,
no pickle), and all lines of a dump go through each tree at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.extract.dump_features import CONTEXT_FEATURES, FEATURE_NAMES, probability_context

MODEL_PATH = Path(__file__).with_name("models") / "dump_lines.json"


@dataclass(frozen=True)
class _Tree:
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int


@dataclass(frozen=True)
class Ensemble:
    """Gradient-boosted trees: log-odds = init + learning_rate * sum of the leaves reached."""

    init: float
    learning_rate: float
    trees: tuple[_Tree, ...]

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        raw = np.full(len(rows), self.init)
        index = np.arange(len(rows))
        for tree in self.trees:
            node = np.zeros(len(rows), dtype=int)
            for _ in range(tree.depth):
                goes_left = rows[index, tree.feature[node]] <= tree.threshold[node]
                node = np.where(goes_left, tree.left[node], tree.right[node])
            raw += self.learning_rate * tree.value[node]
        return 1.0 / (1.0 + np.exp(-raw))


@dataclass(frozen=True)
class LineModel:
    """Two stacked ensembles giving the probability that a dump line is article body.

    The first reads the line features; the second reads them again next to the first
    stage's probabilities of the neighbouring lines and of the whole page. The result is the
    mean of both: as good as the second stage alone on held-out tune pages, and steadier on
    short dumps, whose page-level context the second stage rarely saw in training.
    """

    version: str
    first: Ensemble
    second: Ensemble

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        first = self.first.probabilities(rows)
        second = self.second.probabilities(np.hstack([rows, probability_context(first)]))
        return (first + second) / 2


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> LineModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("features") != [*FEATURE_NAMES, *CONTEXT_FEATURES]:
        raise RuntimeError(f"{path} was trained on other line features: run python -m newsprism.bench.train_dump")
    return model_from_dict(data)


def model_from_dict(data: dict[str, Any]) -> LineModel:
    first, second = (ensemble_from_dict(stage) for stage in data["stages"])
    return LineModel(data["version"], first, second)


def ensemble_from_dict(data: dict[str, Any]) -> Ensemble:
    trees = tuple(
        _Tree(
            np.array(t["feature"], dtype=int),
            np.array(t["threshold"], dtype=float),
            np.array(t["left"], dtype=int),
            np.array(t["right"], dtype=int),
            np.array(t["value"], dtype=float),
            int(t["depth"]),
        )
        for t in data["trees"]
    )
    return Ensemble(float(data["init"]), float(data["learning_rate"]), trees)
