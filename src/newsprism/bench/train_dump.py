"""Train the page-dump line classifier and measure dump extraction on the dev set.

``python -m newsprism.bench.train_dump`` renders every 'tune' page of the extraction
dev set to a dump (render_dump), labels its lines, fits two stacked, seeded gradient-boosted
tree ensembles (scikit-learn, training only; the second stage reads the first stage's
out-of-fold probabilities of the neighbouring lines), writes them as plain JSON to
``extract/models/dump_lines.json`` and prints line-level validation figures (a seeded fifth
of the tune pages held out), then the end-to-end dump figures of ``newsprism bench extract``
on 'tune' and 'holdout' ('holdout' is never used for fitting or for choosing settings).
``--measure-only`` skips training.

Weak labels, per dump line (first rule that applies):

1. metadata values (canonical link, meta contents, JSON-LD scalars: origin ``meta`` in
   the renderer) are boilerplate, even a JSON-LD ``articleBody`` that repeats the body;
2. a line containing a gold ``with`` snippet, or contained in one, is body;
3. a line containing a gold ``without`` snippet is boilerplate;
4. silver: trafilatura's own extraction of the same HTML (standard settings). A line is
   body when at least 60% of its 4-word shingles are in trafilatura's output, or, for
   lines under four words, when it equals a paragraph of that output; else boilerplate.

Sample weights grow with the line's length (log of characters), because long lines carry
most of the text that the scorers count.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.bench import extract as extract_bench
from newsprism.bench.render_dump import render_lines
from newsprism.bench.scoring import collapse, split_of
from newsprism.extract.dump import featurise
from newsprism.extract.dump_features import CONTEXT_FEATURES, FEATURE_NAMES, probability_context
from newsprism.extract.dump_model import MODEL_PATH, ensemble_from_dict, load_model, model_from_dict
from newsprism.extract.text import shingles

DATA = extract_bench.DEFAULT_DATA_DIR
VERSION = "1"
SEED = 20240601
PARAMS = {"n_estimators": 150, "max_depth": 5, "learning_rate": 0.08, "subsample": 0.8, "min_samples_leaf": 20}
SILVER_SHARE = 0.6
FOLDS = 4
Page = tuple[np.ndarray, np.ndarray, np.ndarray]  # feature rows, weak labels, sample weights


def load_gold(data: Path = DATA) -> list[dict[str, Any]]:
    with open(data / "evaldata.json", encoding="utf-8") as fh:
        return list(json.load(fh).values())


def page_html(entry: dict[str, Any], data: Path = DATA) -> bytes:
    with gzip.open(data / "html" / f"{entry['file']}.gz") as fh:
        return fh.read()


def silver_text(html: bytes) -> str:
    import trafilatura

    try:
        return trafilatura.extract(
            html, fast=False, include_comments=False, include_tables=True, include_formatting=False
        ) or ""
    except Exception:  # trafilatura may fail on odd pages; then only gold labels apply
        return ""


def page_rows(entry: dict[str, Any], html: bytes) -> Page:
    """Feature rows, weak labels and sample weights of one page's dump lines."""
    rendered = [line for line in render_lines(html) if line.text.strip()]
    texts, features, _ = featurise("\n".join(line.text for line in rendered))
    silver = silver_text(html)
    silver_shingles = shingles(silver)
    silver_paragraphs = {collapse(p) for p in silver.split("\n")}
    labels = [
        weak_label(text, line.origin, entry, silver_shingles, silver_paragraphs)
        for text, line in zip(texts, rendered, strict=True)
    ]
    weights = np.log1p([len(t) for t in texts])
    return features, np.array(labels), weights


def weak_label(
    text: str, origin: str, entry: dict[str, Any], silver: set[tuple[str, ...]], paragraphs: set[str]
) -> int:
    """The labelling rules of the module docstring, in order."""
    if origin == "meta":
        return 0
    line = collapse(text)
    with_ = [collapse(s) for s in entry.get("with") or []]
    without = [collapse(s) for s in entry.get("without") or []]
    if any(s and (s in line or (len(line) >= 15 and line in s)) for s in with_):
        return 1
    if any(s and s in line for s in without):
        return 0
    if len(re.findall(r"\w+", line)) < 4:
        return int(line in paragraphs)
    own = shingles(line)
    return int(len(own & silver) >= SILVER_SHARE * len(own))


def build_set(entries: list[dict[str, Any]]) -> list[Page]:
    pages = []
    for entry in entries:
        features, labels, weights = page_rows(entry, page_html(entry))
        if len(labels):
            pages.append((features, labels, weights))
    return pages


def fit_ensemble(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    from sklearn.ensemble import GradientBoostingClassifier

    model = GradientBoostingClassifier(random_state=SEED, **PARAMS)
    model.fit(x, y, sample_weight=w)
    return export(model, x.shape[1])


def fit_model(pages: list[Page]) -> dict[str, Any]:
    """Both stages; the second learns from out-of-fold first-stage probabilities, as at run time."""
    x, y, w = (np.concatenate([p[k] for p in pages]) for k in range(3))
    first = fit_ensemble(x, y, w)
    out_of_fold = [np.zeros(0)] * len(pages)
    for fold in range(FOLDS):
        train_pages = [p for i, p in enumerate(pages) if i % FOLDS != fold]
        fx, fy, fw = (np.concatenate([p[k] for p in train_pages]) for k in range(3))
        ensemble = ensemble_from_dict(fit_ensemble(fx, fy, fw))
        for i in range(fold, len(pages), FOLDS):
            out_of_fold[i] = ensemble.probabilities(pages[i][0])
    stacked = np.vstack([np.hstack([p[0], probability_context(q)]) for p, q in zip(pages, out_of_fold, strict=True)])
    second = fit_ensemble(stacked, y, w)
    features = [*FEATURE_NAMES, *CONTEXT_FEATURES]
    return {"version": VERSION, "features": features, "params": {**PARAMS, "seed": SEED}, "stages": [first, second]}


def export(model: Any, width: int) -> dict[str, Any]:
    """A fitted ensemble as plain JSON: per tree its node arrays, leaves pointing to themselves."""
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        nodes = np.arange(tree.node_count)
        leaf = tree.children_left == -1
        trees.append({
            "feature": np.where(leaf, 0, tree.feature).tolist(),
            "threshold": np.where(leaf, 0.0, tree.threshold).round(6).tolist(),
            "left": np.where(leaf, nodes, tree.children_left).tolist(),
            "right": np.where(leaf, nodes, tree.children_right).tolist(),
            "value": tree.value[:, 0, 0].round(6).tolist(),
            "depth": int(tree.max_depth),
        })
    init = float(model._raw_predict_init(np.zeros((1, width)))[0, 0])
    return {"init": init, "learning_rate": PARAMS["learning_rate"], "trees": trees}


def line_figures(model: dict[str, Any], pages: list[Page]) -> dict:
    inference = model_from_dict(model)
    y = np.concatenate([p[1] for p in pages])
    pred = np.concatenate([inference.probabilities(p[0]) >= 0.5 for p in pages]).astype(int)
    tp, fp, fn = int(((pred == 1) & (y == 1)).sum()), int(((pred == 1) & (y == 0)).sum()), int(
        ((pred == 0) & (y == 1)).sum()
    )
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "lines": len(y),
        "accuracy": round(float((pred == y).mean()), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
    }


def train(data: Path = DATA) -> dict[str, Any]:
    """Validate on a seeded fifth of the tune pages, then fit on all of them and write the JSON."""
    tune = [e for e in load_gold(data) if split_of(e["file"]) == "tune"]
    random.Random(SEED).shuffle(tune)
    pages = build_set(tune)
    cut = len(pages) // 5
    validation = line_figures(fit_model(pages[cut:]), pages[:cut])
    print(f"line validation (weak labels, {cut} tune pages held out): {validation}", file=sys.stderr)
    model = fit_model(pages)
    model["validation"] = validation
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure-only", action="store_true", help="score the shipped model, no training")
    args = parser.parse_args()
    if not (DATA / "evaldata.json").exists():
        sys.exit(f"dev set not found at {DATA}")
    if not args.measure_only:
        train()
    load_model.cache_clear()
    print(extract_bench.format_table(extract_bench.run(DATA, ["dump"], "all", baseline=False, limit=None)))


if __name__ == "__main__":
    main()
