"""Extraction benchmark: newsprism's extractors against trafilatura's standard settings.

Runs on the development set described in ``shared/data/extraction/README.md``: each page's raw
bytes go to the extractor (as upstream does), the body is scored with both scorers of
``bench.scoring`` and the metadata against the gold title, date and author. A crash or an
error is a full miss. Figures are reported per split (``tune`` to tune on, ``holdout`` to
report goals on), per mode (``html``: the page itself; ``dump``: the page rendered to a
plain-text dump first) and per system (``newsprism``, ``trafilatura``).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from newsprism.bench import SHARED_DATA
from newsprism.bench.render_dump import render_dump
from newsprism.bench.scoring import ShingleScores, SnippetCounts, collapse, split_of
from newsprism.extract.dump import extract_dump
from newsprism.extract.html import extract_html
from newsprism.model import RawRecord

DEFAULT_DATA_DIR = SHARED_DATA / "extraction"
MODES = ("html", "dump")
SPLITS = ("tune", "holdout", "all")
_GOLD_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b)\s*")
_GOLD_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Task:
    """One extraction to run in a worker: which system, on which page, in which mode."""

    system: str
    mode: str
    file: str
    path: str


@dataclass
class Output:
    """What one system made of one page; ``error`` set means a full miss."""

    text: str = ""
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


def run(
    data_dir: Path,
    modes: Iterable[str],
    split: str,
    baseline: bool,
    limit: int | None,
    workers: int = 2,
) -> dict[str, Any]:
    """Extract every selected page with every selected system and score the outputs per split."""
    gold = _load_gold(data_dir, split, limit)
    modes = list(modes)
    tasks = _tasks(data_dir, gold, modes, baseline)
    outputs = _run_tasks(tasks, workers)
    splits = ["tune", "holdout", "all"] if split == "all" else [split]
    results: dict[str, Any] = {}
    for name in splits:
        files = [f for f in gold if name == "all" or split_of(f) == name]
        results[name] = {}
        for mode in modes:
            systems = ["newsprism"] + (["trafilatura"] if baseline and mode == "html" else [])
            results[name][mode] = {
                system: _score([(gold[f], outputs[(system, mode, f)]) for f in files]) for system in systems
            }
    return {"data": str(data_dir), "pages": len(gold), "versions": _versions(), "results": results}


def format_table(results: dict[str, Any]) -> str:
    """Markdown table of the main figures, one row per split, mode and system."""
    header = (
        "| split | mode | system | pages | shingle P | shingle R | shingle F1 | snippet P | snippet R "
        "| snippet F1 | title exact | title casefold | date (day) | author exact | author overlap "
        "| errors | pages/s |"
    )
    rows = [header, "|" + "---|" * 3 + "---:|" * 14]
    for split, modes in results["results"].items():
        for mode, systems in modes.items():
            for system, fig in systems.items():
                rows.append(_table_row(split, mode, system, fig))
    return "\n".join(rows)


def _table_row(split: str, mode: str, system: str, fig: dict[str, Any]) -> str:
    sh, sn = fig["shingle"], fig["snippet"]
    cells = [
        split, mode, system, str(fig["pages"]),
        f"{sh['precision']:.3f}", f"{sh['recall']:.3f}", f"{sh['f1']:.3f}",
        f"{sn['precision']:.3f}", f"{sn['recall']:.3f}", f"{sn['f1']:.3f}",
        _share(fig["title"], "exact"), _share(fig["title"], "casefold"), _share(fig["date"], "day"),
        _share(fig["author"], "exact"), _share(fig["author"], "overlap"),
        str(fig["errors"]), f"{fig['pages_per_s']:.1f}",
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def _share(counts: dict[str, int], key: str) -> str:
    gold = counts["gold"]
    return f"{counts[key]}/{gold} ({counts[key] / gold:.1%})" if gold else "-"


def _load_gold(data_dir: Path, split: str, limit: int | None) -> dict[str, dict[str, Any]]:
    """Gold entries keyed by file name, in evaldata order, restricted to the split."""
    entries = json.loads((data_dir / "evaldata.json").read_text(encoding="utf-8"))
    gold = {e["file"]: e for e in entries.values() if split == "all" or split_of(e["file"]) == split}
    if limit is not None:
        gold = dict(list(gold.items())[:limit])
    return gold


def _tasks(data_dir: Path, gold: dict[str, Any], modes: list[str], baseline: bool) -> list[Task]:
    tasks = []
    for file in gold:
        path = str(data_dir / "html" / f"{file}.gz")
        tasks += [Task("newsprism", mode, file, path) for mode in modes]
        if baseline and "html" in modes:
            tasks.append(Task("trafilatura", "html", file, path))
    return tasks


def _run_tasks(tasks: list[Task], workers: int) -> dict[tuple[str, str, str], Output]:
    """Run the tasks in a small process pool, with a progress bar on stderr."""
    outputs: dict[tuple[str, str, str], Output] = {}
    bar = tqdm(total=len(tasks), desc="bench extract", unit="page", file=sys.stderr)
    if workers <= 1:
        results: Iterable[Output] = map(run_task, tasks)
        for task, output in zip(tasks, results, strict=True):
            outputs[(task.system, task.mode, task.file)] = output
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for task, output in zip(tasks, pool.map(run_task, tasks, chunksize=4), strict=True):
                outputs[(task.system, task.mode, task.file)] = output
                bar.update()
    bar.close()
    return outputs


def run_task(task: Task) -> Output:
    """One page through one system; any exception becomes an error output (a full miss)."""
    raw = gzip.decompress(Path(task.path).read_bytes())
    start = time.perf_counter()
    try:
        output = _SYSTEMS[task.system](raw, task.mode, task.file)
    except Exception as exc:  # a crash is a scored miss, not a harness failure
        output = Output(error=f"{type(exc).__name__}: {exc}"[:300])
    output.seconds = time.perf_counter() - start
    return output


def _newsprism(raw: bytes, mode: str, file: str) -> Output:
    if mode == "dump":
        article = extract_dump(RawRecord(source=file, kind="dump", data=_as_bytes(render_dump(raw))))
    else:
        article = extract_html(RawRecord(source=file, kind="html", data=raw))
    return Output(article.text, article.title, article.published, list(article.authors))


def _trafilatura(raw: bytes, mode: str, file: str) -> Output:
    """Upstream's standard settings for the text, ``bare_extraction`` for the metadata."""
    from trafilatura import bare_extraction, extract

    text = extract(raw, fast=False, include_comments=False, include_tables=True, include_formatting=False)
    doc = bare_extraction(raw, with_metadata=True)
    authors = _split_names(doc.author) if doc is not None and doc.author else []
    title = doc.title if doc is not None else None
    published = doc.date if doc is not None else None
    return Output(text or "", title, published, authors)


def _as_bytes(dump: str | bytes) -> bytes:
    return dump if isinstance(dump, bytes) else dump.encode("utf-8")


_SYSTEMS = {"newsprism": _newsprism, "trafilatura": _trafilatura}


def _score(pages: list[tuple[dict[str, Any], Output]]) -> dict[str, Any]:
    """All figures of one system on a list of (gold, output) pages."""
    snippets, shingle = SnippetCounts(), ShingleScores()
    title = {"gold": 0, "exact": 0, "casefold": 0}
    date = {"gold": 0, "day": 0}
    author = {"gold": 0, "exact": 0, "overlap": 0}
    comments = {"gold": 0, "leaked": 0}
    for gold, out in pages:
        snippets.add(out.text, gold["with"], gold["without"])
        shingle.add(out.text, gold["with"], gold["without"])
        _score_title(title, gold.get("title"), out.title)
        _score_date(date, gold.get("date"), out.published)
        _score_author(author, gold.get("author"), out.authors)
        for snippet in gold.get("comments") or []:
            comments["gold"] += 1
            comments["leaked"] += bool(out.text) and collapse(snippet) in collapse(out.text)
    seconds = sum(out.seconds for _, out in pages)
    return {
        "pages": len(pages),
        "errors": sum(out.error is not None for _, out in pages),
        "snippet": {**snippets.__dict__, **snippets.figures()},
        "shingle": shingle.figures(),
        "title": title,
        "date": date,
        "author": author,
        "comments": comments,
        "pages_per_s": len(pages) / seconds if seconds else 0.0,
    }


def _score_title(counts: dict[str, int], gold: str | None, predicted: str | None) -> None:
    if not gold:
        return
    counts["gold"] += 1
    gold, predicted = collapse(gold), collapse(predicted or "")
    counts["exact"] += gold == predicted
    counts["casefold"] += gold.casefold() == predicted.casefold()


def _score_date(counts: dict[str, int], gold: str | None, published: str | None) -> None:
    """Day of ``published`` against the gold day (the one malformed gold day is zero-padded)."""
    if not gold:
        return
    counts["gold"] += 1
    match = _GOLD_DAY.match(gold.strip())
    day = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else gold.strip()
    counts["day"] += bool(published) and published[:10] == day


def _score_author(counts: dict[str, int], gold: str | None, authors: list[str]) -> None:
    """Exact name-set match and any-name overlap, names compared whitespace- and case-folded."""
    if not gold:
        return
    counts["gold"] += 1
    expected = {_name_key(n) for n in _split_names(gold)}
    predicted = {_name_key(n) for n in authors if n.strip()}
    counts["exact"] += expected == predicted
    counts["overlap"] += bool(expected & predicted)


def _split_names(names: str) -> list[str]:
    """Split a byline the way the README splits the gold author string."""
    return [n for n in (p.strip() for p in _GOLD_AUTHOR_SEPARATORS.split(names)) if n]


def _name_key(name: str) -> str:
    return collapse(name).casefold()


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {pkg: version(pkg) for pkg in ("newsprism", "trafilatura", "htmldate", "lxml")}
