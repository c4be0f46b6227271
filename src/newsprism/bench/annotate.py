"""Annotation speed: the entities, quotes and timex layers together against the spaCy parse alone.

The issue's goal is that the layers add little over the parser they need (within 1.5x). Both
sides are timed on the same texts in one run, text by text and alternating, so a noisy shared
machine slows both alike: for each text the parse alone is timed (a fresh parse, no cache),
and the three layers (the parse cache emptied first, so the layers pay for their parse),
alternating which goes first.

Texts: the article texts of the sample corpus, and articles that newsprism extracts from the
HTML pages of the extraction development set (extraction is not timed).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from newsprism.annotate import nlp
from newsprism.annotate.registry import annotate_text
from newsprism.bench import SHARED_DATA
from newsprism.errors import InputError
from newsprism.extract import extract
from newsprism.model import RawRecord
from newsprism.pipeline import extract_paths

DEFAULT_EXTRACTION_DIR = SHARED_DATA / "extraction"
TIMED_LAYERS = ("entities", "quotes", "timex")


def corpus_texts(corpus: Path) -> list[str]:
    return [article.text for _, article in extract_paths([corpus]) if not isinstance(article, InputError)]


def extraction_texts(data_dir: Path, limit: int) -> list[str]:
    """Article texts extracted from the first ``limit`` pages of the extraction dev set."""
    entries = json.loads((data_dir / "evaldata.json").read_text(encoding="utf-8"))
    texts = []
    for entry in list(entries.values())[:limit]:
        page = gzip.decompress((data_dir / "html" / f"{entry['file']}.gz").read_bytes())
        try:
            texts.append(extract(RawRecord(entry["file"], "html", page)).text)
        except InputError:  # a page newsprism cannot extract is simply not timed
            continue
    return texts


def time_texts(texts: Iterable[str], desc: str) -> dict[str, float]:
    """Seconds spent on the parse alone and on the three layers, paired text by text.

    Which side goes first alternates from text to text, so neither profits from warm caches.
    """
    parse_s = layers_s = 0.0
    count = chars = 0
    for text in tqdm(list(texts), desc=desc, unit="article", file=sys.stderr):
        if count % 2:
            layers_s += _time_layers(text)
            parse_s += _time_parse(text)
        else:
            parse_s += _time_parse(text)
            layers_s += _time_layers(text)
        count += 1
        chars += len(text)
    return {"articles": count, "chars": chars, "parse_s": parse_s, "layers_s": layers_s}


def _time_parse(text: str) -> float:
    start = time.perf_counter()
    nlp.pipeline()(text[: nlp.MAX_PARSE_CHARS])
    return time.perf_counter() - start


def _time_layers(text: str) -> float:
    nlp.parse.cache_clear()  # the layers pay for their own parse
    start = time.perf_counter()
    annotate_text(text, TIMED_LAYERS)
    return time.perf_counter() - start


WARM_UP_TEXT = "Warm-up: Berg said on Monday that the ferry had left Oslo."  # loads the model and the gazetteer


def run(corpus: Path, extraction_dir: Path | None, limit: int) -> dict[str, dict[str, float]]:
    annotate_text(WARM_UP_TEXT, TIMED_LAYERS)
    results = {"sample corpus": time_texts(corpus_texts(corpus), "sample corpus")}
    if extraction_dir is not None and (extraction_dir / "evaldata.json").is_file():
        results["extraction dev pages"] = time_texts(extraction_texts(extraction_dir, limit), "extraction pages")
    return results


def format_table(results: dict[str, dict[str, float]]) -> str:
    rows = [
        "| texts | articles | chars | parser alone, articles/s | 3 layers, articles/s | ratio (layers / parser) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, fig in results.items():
        n = fig["articles"]
        rows.append(
            f"| {name} | {n} | {fig['chars']:,} | {n / fig['parse_s']:.1f} | {n / fig['layers_s']:.1f} "
            f"| {fig['layers_s'] / fig['parse_s']:.2f}x |"
        )
    return "\n".join(rows)
