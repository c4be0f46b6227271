"""Composes the stages: read inputs, extract articles, annotate them, store them.

Extraction of a record is a pure function of the record, so it runs the same in this
process or in a pool of worker processes (``jobs``).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Any

from newsprism.annotate.registry import annotate_article, annotate_text
from newsprism.errors import InputError
from newsprism.extract import extract
from newsprism.extract.text import detect_language
from newsprism.ingest import DEFAULT_LIMITS, Limits, iter_input_files, read_input
from newsprism.ingest.paths import InputFile, check_input_file
from newsprism.link.incremental import link_new, relink
from newsprism.model import Article, RawRecord, content_id
from newsprism.store import Store

Outcome = tuple[RawRecord | None, Article | InputError]


def safe_extract(record: RawRecord, annotate: bool = False) -> Article | InputError:
    """Extract (and annotate) one record; any failure on hostile input becomes one InputError for it."""
    try:
        article = extract(record)
        return annotate_article(article) if annotate else article
    except InputError as error:
        return error
    except Exception as error:  # the edge: report, go on with the other inputs
        return InputError(record.source, f"extraction failed: {type(error).__name__}: {error}".strip())


_FILE_DONE = object()  # marks, in the record stream, the end of one input file's records


def extract_paths(
    paths: Iterable[str | Path],
    jobs: int = 1,
    on_file_done: Callable[[], object] | None = None,
    annotate: bool = False,
) -> Iterator[Outcome]:
    """Every input under ``paths`` as (record, article or error), in input order.

    ``on_file_done`` is called once per input file, for progress bars. With ``annotate`` the
    workers also add every available annotation layer. ``jobs``: as for ``in_workers``.
    """
    work = partial(safe_extract, annotate=annotate)
    for item, result in in_workers(work, _record_stream(paths), RawRecord, jobs):
        if item is _FILE_DONE:
            if on_file_done:
                on_file_done()
        elif isinstance(item, InputError):
            yield None, item
        else:
            yield item, result


def in_workers(work: Callable[[Any], Any], items: Iterator[Any], unit: type, jobs: int,
               ) -> Iterator[tuple[Any, Any]]:
    """Each of ``items`` with ``work``'s result if it is a ``unit`` (else None: errors and markers pass
    by), in order. The work runs in ``jobs`` worker processes (0: ``auto_jobs``; 1: in this one), a
    small batch at a time, so memory stays bounded however many items there are."""
    if jobs == 0:
        jobs, items = auto_jobs(items, unit)
    with _mapping(jobs) as mapped:
        for batch in _batches(items, size=max(jobs, 1) * 8):
            results = iter(mapped(work, [item for item in batch if isinstance(item, unit)]))
            for item in batch:
                yield item, next(results) if isinstance(item, unit) else None


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


AUTO_MAX_JOBS = 8  # each worker holds its own models (350 MB with every annotation layer, torch not installed)


def auto_jobs(stream: Iterator[object], unit: type) -> tuple[int, Iterator[object]]:
    """One worker per core (at most ``AUTO_MAX_JOBS``) once the stream holds two ``unit`` items (those
    the work is for) or more, none for a single one (starting workers costs seconds); the stream
    comes back whole."""
    head: list[object] = []
    units = 0
    for item in stream:
        head.append(item)
        units += isinstance(item, unit)
        if units > 1:
            break
    jobs = min(available_cores(), AUTO_MAX_JOBS) if units > 1 else 1
    return jobs, chain(head, stream)


@contextmanager
def _mapping(jobs: int) -> Iterator[Callable[[Callable[[Any], Any], list[Any]], list[Any]]]:
    """``map`` over a list, in ``jobs`` worker processes when more than one, results in order."""
    if jobs <= 1:
        yield lambda work, items: list(map(work, items))
        return
    pool = worker_pool(jobs)
    try:
        yield pool.map
    finally:
        pool.terminate()


def worker_pool(jobs: int) -> multiprocessing.pool.Pool:
    """``jobs`` fresh worker processes that share the cores: each one's encoder gets its share of
    threads, so that together they do not ask for more threads than there are cores."""
    from newsprism.annotate.techniques import set_threads  # the layer modules load when first used

    return multiprocessing.get_context("spawn").Pool(jobs, initializer=set_threads,
                                                     initargs=(available_cores() // jobs,))


def _record_stream(paths: Iterable[str | Path]) -> Iterator[object]:
    for item in iter_input_files(paths):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_input(item)
        yield _FILE_DONE


def _batches(items: Iterator[object], size: int) -> Iterator[list[object]]:
    while batch := list(islice(items, size)):
        yield batch


def annotate_paths(
    paths: Iterable[str | Path], layers: list[str], dct: str | None, limits: Limits = DEFAULT_LIMITS,
    jobs: int = 1,
) -> Iterator[dict[str, Any] | InputError]:
    """`annotate`: each file taken as clean UTF-8 text (no newline translation), its layers as JSON,
    in input order; ``jobs`` as for ``in_workers``."""
    work = partial(annotate_file, layers=layers, dct=dct, limits=limits)
    for item, result in in_workers(work, iter_input_files(paths), InputFile, jobs):
        yield item if result is None else result


def annotate_file(item: InputFile, layers: list[str], dct: str | None,
                  limits: Limits = DEFAULT_LIMITS) -> dict[str, Any] | InputError:
    """One file's layers, or the error that stopped it."""
    try:
        check_input_file(item, limits)
        text = item.path.read_bytes().decode("utf-8")
    except InputError as error:
        return error
    except (OSError, UnicodeDecodeError) as error:
        return InputError(item.source, f"cannot read as UTF-8 text ({error})")
    return {
        "source": item.source,
        "id": content_id(None, None, text),
        "language": detect_language(text),
        **annotate_text(text, layers, dct),
    }


@dataclass
class IngestReport:
    records: int = 0
    new: int = 0
    unchanged: int = 0
    failures: list[InputError] = field(default_factory=list)
    stories: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "records": self.records,
            "new": self.new,
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "stories": self.stories,
        }


def ingest(outcomes: Iterable[Outcome], store: Store) -> IngestReport:
    """Store raw inputs and their articles, agree names across the store, then link the articles
    that are in no event yet (the new ones, and any an earlier ingest stopped before linking)
    into the events and storylines already stored; failures are recorded, never dropped."""
    report = IngestReport()
    for record, result in outcomes:
        raw_id = store.add_raw(record) if record is not None else None
        report.records += record is not None
        if isinstance(result, InputError):
            report.failures.append(result)
            store.add_failure(result.source, result.reason)
        elif store.add_article(result, raw_id):
            report.new += 1
        else:
            report.unchanged += 1
    store.refresh_names()
    store.commit()
    link_new(store)
    report.stories = store.counts()["stories"]
    return report


def relink_store(store: Store) -> int:
    """Rebuild every event and storyline from scratch (oldest first, as one batch); returns the number
    of storylines. Articles are linked on their text and metadata, as `newsprism link` does."""
    relink(store)
    return store.counts()["stories"]


def analyze(
    store: Store, layers: list[str] | None = None, on_article: Callable[[], object] | None = None, jobs: int = 1
) -> tuple[int, int]:
    """Annotate every stored article again (after a model or rule update), then agree names and link
    stories; returns the numbers of articles annotated and of stories. ``jobs``: as for ``in_workers``."""
    count = 0
    for _, article in in_workers(partial(annotate_article, layers=layers), store.articles(), Article, jobs):
        for layer in article.layers.values():
            store.put_layer(article.id, layer)
        count += 1
        if on_article:
            on_article()
    store.refresh_names()
    store.commit()
    link_new(store)
    return count, store.counts()["stories"]


def reextract(store: Store, on_record: Callable[[], object] | None = None, jobs: int = 1) -> IngestReport:
    """Run the current extractor again over every stored raw input. ``jobs``: as for ``in_workers``."""
    report = IngestReport()
    for (raw_id, _), result in in_workers(_extract_stored, store.raw_records(), tuple, jobs):
        report.records += 1
        if on_record:
            on_record()
        if isinstance(result, InputError):
            report.failures.append(result)
            store.add_failure(result.source, result.reason)
            continue
        if store.article(result.id, store_names=False) is not None:
            report.unchanged += 1
            continue
        store.replace_articles_of_raw(raw_id, [result])
        report.new += 1
    store.refresh_names()
    store.commit()
    if report.new:  # replaced articles are gone from the events that held them: link afresh
        relink(store)
    else:
        link_new(store)
    report.stories = store.counts()["stories"]
    return report


def _extract_stored(item: tuple[str, RawRecord]) -> Article | InputError:
    return safe_extract(item[1], annotate=True)
