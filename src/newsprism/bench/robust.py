"""Robustness on every real text we have: extraction and every layer, their failures and slowest articles.

The texts are all of ../shared/data: the pages of the extraction set (extracted from their html and
from a page dump rendered of it, then annotated), the ECB+ reports, PolNeAR's articles, PTC's
articles and the TimeBank and AQUAINT documents (annotated as clean text, as `annotate` does). Each
stage and layer runs alone, timed, and a failure is counted, not raised: the goal is none, and no
article slower than ``SLOW_FACTOR`` times the median of its layer. Models load before the clock
starts in each worker.
"""

from __future__ import annotations

import gzip
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.annotate.registry import annotate_text, available_layers
from newsprism.bench import SHARED_DATA
from newsprism.bench.link import read_doc_at
from newsprism.bench.render_dump import render_dump
from newsprism.bench.timex import CORPORA as TIMEX_CORPORA
from newsprism.bench.timex import parse_tml
from newsprism.extract.dump import extract_dump
from newsprism.extract.html import extract_html
from newsprism.model import Failure, RawRecord
from newsprism.pipeline import WORKER_DIED, in_workers

SLOW_FACTOR = 20  # the goal: no article slower than this many times its layer's median
MIN_RATE_CHARS = 500  # time per character is read only on texts this long (fixed costs swamp shorter ones)
WARM_UP_TEXT = "Warm-up: the council of Harrow said on Monday that it met the minister, who said it was fine."


@dataclass(frozen=True)
class Item:
    corpus: str  # "extraction", "stories", "quotes", "ptc", "timex"
    path: str


@dataclass(frozen=True)
class Timing:
    step: str  # "extract html", "extract dump", or a layer name
    seconds: float
    chars: int  # the size of what the step read: page bytes for extraction, text characters for a layer


@dataclass
class Outcome:
    item: Item
    timings: list[Timing] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def items(data_dir: Path = SHARED_DATA) -> list[Item]:
    """Every real text under ``data_dir``, corpus by corpus, in path order."""
    globs = {
        "extraction": ["extraction/html/*.html.gz"],
        "stories": ["stories/docs/*.txt"],
        "quotes": ["quotes/*/text/*.txt"],
        "ptc": ["ptc/train/train-articles/*.txt"],
        "timex": [f"timex/{corpus}/*.tml" for corpus in TIMEX_CORPORA],
    }
    return [Item(corpus, str(path)) for corpus, patterns in globs.items() for pattern in patterns
            for path in sorted(data_dir.glob(pattern))]


def run_one(item: Item) -> Outcome:
    """Extract (pages) and annotate one text, every step timed on its own and its failure kept."""
    _warm_up()
    outcome = Outcome(item)
    text, dct = _text_of(item, outcome)
    if text is not None:
        for name in available_layers():
            _step(outcome, name, len(text), lambda name=name: annotate_text(text, [name], dct))
    return outcome


def _text_of(item: Item, outcome: Outcome) -> tuple[str | None, str | None]:
    """The text to annotate and its creation day; pages are extracted first (both ways, timed)."""
    path = Path(item.path)
    if item.corpus == "extraction":
        raw = gzip.decompress(path.read_bytes())
        html = _step(outcome, "extract html", len(raw),
                     lambda: extract_html(RawRecord(source=item.path, kind="html", data=raw)))
        _step(outcome, "extract dump", len(raw), lambda: extract_dump(
            RawRecord(source=item.path, kind="dump", data=render_dump(raw).encode("utf-8"))))
        return (html.text, (html.published or "")[:10] or None) if html is not None else (None, None)
    if item.corpus == "timex":
        doc = parse_tml(path)
        return doc.text, doc.dct or None
    if item.corpus == "stories":
        return read_doc_at(path)[0].text, None
    return path.read_text(encoding="utf-8"), None


def _step(outcome: Outcome, step: str, chars: int, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    try:
        return work()
    except Exception as error:  # the measure: a failure is counted, the other steps go on
        stage, layer = step.split(" ", 1) if step.startswith("extract") else ("annotate", step)
        outcome.failures.append(Failure.of(stage, layer, error))
        return None
    finally:
        outcome.timings.append(Timing(step, time.perf_counter() - start, chars))


_warm = False


def _warm_up() -> None:
    """Load the extractors' and every layer's models in this process before any step is timed."""
    global _warm
    if not _warm:
        page = (f"<html><head><title>Warm-up</title></head><body><p>Publicado el 3 de marzo de 2026.</p>"
                f"<p>{WARM_UP_TEXT}</p></body></html>").encode()  # a Spanish date loads every date locale
        extract_html(RawRecord(source="warm-up", kind="html", data=page))
        extract_dump(RawRecord(source="warm-up", kind="dump", data=render_dump(page).encode("utf-8")))
        annotate_text(WARM_UP_TEXT, available_layers())
        _warm = True


def _crashed(item: Item) -> Outcome:
    return Outcome(item, failures=[Failure("worker", "", WORKER_DIED)])


def run(data_dir: Path = SHARED_DATA, jobs: int = 1, limit: int | None = None,
        on_item: Callable[[], object] | None = None) -> dict[str, Any]:
    """Failures and timings of every step over every text (the first ``limit`` of each corpus)."""
    outcomes = []
    for _, outcome in in_workers(run_one, iter(chosen_items(data_dir, limit)), Item, jobs, on_crash=_crashed):
        outcomes.append(outcome)
        if on_item:
            on_item()
    return summarise(outcomes)


def chosen_items(data_dir: Path, limit: int | None) -> list[Item]:
    """The texts of ``data_dir``, the first ``limit`` of each corpus when a limit is given."""
    found = items(data_dir)
    if limit is None:
        return found
    kept: dict[str, int] = defaultdict(int)
    chosen = []
    for item in found:
        if kept[item.corpus] < limit:
            kept[item.corpus] += 1
            chosen.append(item)
    return chosen


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    corpora: dict[str, int] = defaultdict(int)
    times: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    failed: dict[str, list[dict[str, str]]] = defaultdict(list)
    for outcome in outcomes:
        corpora[outcome.item.corpus] += 1
        for timing in outcome.timings:
            times[timing.step].append((timing.seconds, timing.chars, outcome.item.path))
        for failure in outcome.failures:
            failed[f"{failure.stage} {failure.layer}".strip()].append({"path": outcome.item.path,
                                                                        "reason": failure.reason})
    steps = {step: _step_figures(found, len(failed.get(_failure_key(step), []))) for step, found in times.items()}
    return {"texts": dict(corpora), "steps": steps, "failures": dict(failed),
            "failed": sum(map(len, failed.values())), "slow_factor": SLOW_FACTOR}


def _failure_key(step: str) -> str:
    return step if step.startswith("extract") else f"annotate {step}"


def _step_figures(found: list[tuple[float, int, str]], failures: int) -> dict[str, Any]:
    """Time per text, and per 1,000 characters: a text slow for its size (a pathological input) stands
    out in the second, a long text only in the first."""
    median = statistics.median(seconds for seconds, _, _ in found)
    slowest, chars, path = max(found)
    rates = [(seconds * 1000 / max(size, 1), size, where) for seconds, size, where in found if size >= MIN_RATE_CHARS]
    median_rate = statistics.median(rate for rate, _, _ in rates) if rates else 0.0
    worst_rate, _, worst_path = max(rates) if rates else (0.0, 0, "")
    return {"runs": len(found), "failures": failures, "median_ms": round(1000 * median, 2),
            "total_s": round(sum(seconds for seconds, _, _ in found), 1), "slowest_ms": round(1000 * slowest, 2),
            "slowest_chars": chars, "slowest": path, "slowest_x_median": round(slowest / median, 1) if median else 0,
            "over_goal": sum(seconds > SLOW_FACTOR * median for seconds, _, _ in found),
            "median_ms_per_kchar": round(1000 * median_rate, 3), "worst_ms_per_kchar": round(1000 * worst_rate, 3),
            "worst_rate": worst_path, "worst_rate_x_median": round(worst_rate / median_rate, 1) if median_rate else 0}


def format_table(results: dict[str, Any]) -> str:
    lines = ["texts: " + ", ".join(f"{corpus} {n}" for corpus, n in results["texts"].items()), "",
             "| step | runs | failures | median ms | total s | slowest ms | its size | slowest / median "
             f"| over {results['slow_factor']}x median | slowest text | median ms per 1k chars "
             "| worst per 1k chars / median | worst per 1k chars |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|"]
    for step, fig in results["steps"].items():
        lines.append(f"| {step} | {fig['runs']} | {fig['failures']} | {fig['median_ms']} | {fig['total_s']} | "
                     f"{fig['slowest_ms']} | {fig['slowest_chars']} | {fig['slowest_x_median']} | "
                     f"{fig['over_goal']} | {Path(fig['slowest']).name} | {fig['median_ms_per_kchar']} | "
                     f"{fig['worst_rate_x_median']} | {Path(fig['worst_rate']).name} |")
    lines += ["", f"failures: {results['failed']}"]
    for step, found in results["failures"].items():
        lines += [f"- {step}: {Path(f['path']).name}: {f['reason']}" for f in found]
    return "\n".join(lines)
