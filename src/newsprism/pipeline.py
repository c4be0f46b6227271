"""Composes the stages: read inputs, extract articles, annotate them, store them.

Extraction of a record is a pure function of the record, so it runs the same in this
process, in a pool of worker processes (``jobs``) or as Dask tasks on a cluster (``dask``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Any

from newsprism.annotate.registry import annotate_article, annotate_isolated, available_layers
from newsprism.errors import InputError
from newsprism.extract import extract
from newsprism.extract.text import detect_language
from newsprism.ingest import DEFAULT_LIMITS, Limits, iter_input_files, read_input
from newsprism.ingest.paths import InputFile, check_input_file
from newsprism.link.incremental import link_new, relink
from newsprism.model import Article, Failure, RawRecord, content_id
from newsprism.store import STORE_WRITE_ERRORS, Store

Outcome = tuple[RawRecord | None, Article | InputError]
# map(work, batches) -> each batch's results, in order: the seam between the stages and where they run
BatchMap = Callable[[Callable[[Any], Any], Iterator[list[Any]]], Iterator[list[Any]]]


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
    dask: str | None = None,
) -> Iterator[Outcome]:
    """Every input under ``paths`` as (record, article or error), in input order.

    ``on_file_done`` is called once per input file, for progress bars. With ``annotate`` the
    workers also add every available annotation layer. ``jobs``, ``dask``: as for ``in_workers``.
    """
    work = partial(safe_extract, annotate=annotate)
    for item, result in in_workers(work, _record_stream(paths), RawRecord, jobs, dask=dask):
        if item is _FILE_DONE:
            if on_file_done:
                on_file_done()
        elif isinstance(item, InputError):
            yield None, item
        else:
            yield item, result


def in_workers(work: Callable[[Any], Any], items: Iterator[Any], unit: type, jobs: int,
               on_crash: Callable[[Any], Any] | None = None, dask: str | None = None,
               ) -> Iterator[tuple[Any, Any]]:
    """Each of ``items`` with ``work``'s result if it is a ``unit`` (else None: errors and markers pass
    by), in order. The work runs in ``jobs`` worker processes (0: ``auto_jobs``; 1: in this one), or as
    Dask tasks on the cluster ``dask`` names (``cluster.dask_client``), a small batch at a time, so
    memory stays bounded however many items there are. An item whose work kills its worker process (a
    crash in native code, the kernel's OOM killer) gets ``on_crash(item)`` as its result and the other
    items go on in fresh workers."""
    if jobs == 0 and dask is None:
        jobs, items = auto_jobs(items, unit)
    pending: deque[list[Any]] = deque()  # the batches handed to the workers, markers included

    def units(size: int) -> Iterator[list[Any]]:
        for batch in _batches(items, size):
            pending.append(batch)
            yield [item for item in batch if isinstance(item, unit)]

    with _mapping(jobs, on_crash or _crash_error, dask) as (mapped, workers):
        for results in mapped(work, units(size=workers * 8)):
            batch, found = pending.popleft(), iter(results)
            for item in batch:
                yield item, next(found) if isinstance(item, unit) else None


WORKER_DIED = "worker process died on this input (killed or crashed)"


def _crash_error(item: Any) -> InputError:
    """The result for an input (a record or a file) whose work killed its worker."""
    return InputError(getattr(item, "source", str(item)), WORKER_DIED)


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
def _mapping(jobs: int, on_crash: Callable[[Any], Any], dask: str | None = None,
             ) -> Iterator[tuple[BatchMap, int]]:
    """A ``BatchMap`` on the Dask cluster ``dask``, else in ``jobs`` worker processes when more than
    one, else in this process; and how many items it works on at once."""
    if dask is not None:
        from newsprism.cluster import dask_mapping  # distributed loads only when asked for

        with dask_mapping(dask, jobs, on_crash) as mapping:
            yield mapping
        return
    if jobs <= 1:
        yield _each(lambda work, items: list(map(work, items))), 1
        return
    workers = _Workers(jobs, on_crash)
    try:
        yield _each(workers.map), jobs
    finally:
        workers.close()


def _each(map_list: Callable[[Callable[[Any], Any], list[Any]], list[Any]]) -> BatchMap:
    """A ``BatchMap`` that maps one batch at a time."""
    return lambda work, batches: (map_list(work, batch) for batch in batches)


class _Workers:
    """Worker processes that outlive a worker's death. A batch whose worker died runs again item by item
    in fresh workers, so only the item that kills a worker fails (``on_crash``), never the run."""

    def __init__(self, jobs: int, on_crash: Callable[[Any], Any]) -> None:
        self.jobs, self.on_crash = jobs, on_crash
        self.pool = worker_pool(jobs)

    def map(self, work: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        try:
            return list(self.pool.map(work, items))
        except BrokenProcessPool:
            self._restart()
            return [self._one(work, item) for item in items]

    def _one(self, work: Callable[[Any], Any], item: Any) -> Any:
        try:
            return self.pool.submit(work, item).result()
        except BrokenProcessPool:
            self._restart()
            return self.on_crash(item)

    def _restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = worker_pool(self.jobs)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` fresh worker processes that share the cores: each one's encoder gets its share of
    threads, so that together they do not ask for more threads than there are cores."""
    from newsprism.annotate.techniques import set_threads  # the layer modules load when first used

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=set_threads,
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
    done, failed = annotate_isolated(text, layers, dct)
    result: dict[str, Any] = {"source": item.source, "id": content_id(None, None, text),
                              "language": detect_language(text), **done}
    if failed:  # only then: every other key of a file's object is a layer (interfaces.md)
        result["failures"] = [asdict(failure) for failure in failed]
    return result


def failure_errors(source: str, failures: Iterable[Failure]) -> list[InputError]:
    """A stage's or layer's failure on one article as the one-line error of its input:
    ``PATH: LAYER: reason`` (interfaces.md: failures are data)."""
    return [InputError(source, f"{f.layer or f.stage}: {f.reason}") for f in failures]


@dataclass
class IngestReport:
    records: int = 0
    new: int = 0
    unchanged: int = 0
    failures: list[InputError] = field(default_factory=list)  # inputs that gave no article
    stories: int = 0
    failed_layers: list[InputError] = field(default_factory=list)  # layers that failed on a kept article
    failed_stages: list[InputError] = field(default_factory=list)  # store-wide stages that failed (linking)

    def to_dict(self) -> dict[str, object]:
        return {
            "records": self.records,
            "new": self.new,
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "stories": self.stories,
            "failed_layers": len(self.failed_layers),
            "failed_stages": len(self.failed_stages),
        }

    @property
    def errors(self) -> list[InputError]:
        return self.failures + self.failed_layers + self.failed_stages


INGEST_BATCH = 200  # records per write transaction: a killed ingest keeps every batch it finished


def ingest(outcomes: Iterable[Outcome], store: Store, batch: int = INGEST_BATCH) -> IngestReport:
    """Store raw inputs and their articles, ``batch`` records per transaction (an article is always
    stored whole, with its layers, or not at all), agree names across the store, then link the articles
    that are in no event yet (the new ones, and any an earlier ingest stopped before linking) into the
    events and storylines already stored; failures are recorded, never dropped."""
    report = IngestReport()
    for count, (record, result) in enumerate(outcomes, 1):
        raw_id = store.add_raw(record) if record is not None else None
        report.records += record is not None
        if isinstance(result, InputError):
            report.failures.append(result)
            store.add_failure(result.source, result.reason)
        else:
            report.failed_layers += failure_errors(result.source, result.failures)
            if store.add_article(result, raw_id):
                report.new += 1
            else:
                report.unchanged += 1
        if count % batch == 0:
            store.commit()
    store.refresh_names()
    store.commit()
    report.failed_stages += linked(store)
    report.stories = store.counts()["stories"]
    return report


LINKING = "(linking)"  # the source named by a linking failure: it belongs to no one input


def linked(store: Store, link: Callable[[Store], object] | None = None) -> list[InputError]:
    """Link the store's articles (``link_new`` unless told otherwise); a linking failure is rolled back and
    recorded (the articles stay stored, and the next ingest or analyze links them), never the end of the run."""
    try:
        (link or link_new)(store)
        return []
    except STORE_WRITE_ERRORS:
        raise  # the store itself refused: that is the command's one-line error
    except Exception as error:  # the edge of the link stage
        store.rollback()
        failure = InputError(LINKING, f"linking failed: {Failure.of('link', '', error).reason}")
        store.add_failure(failure.source, failure.reason)
        store.commit()
        return [failure]


def relink_store(store: Store) -> int:
    """Rebuild every event and storyline from scratch (oldest first, as one batch); returns the number
    of storylines. Articles are linked on their text and metadata, as `newsprism link` does."""
    relink(store)
    return store.counts()["stories"]


@dataclass
class AnalyzeReport:
    articles: int = 0
    stories: int = 0
    failed_layers: list[InputError] = field(default_factory=list)
    failed_stages: list[InputError] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"articles": self.articles, "stories": self.stories, "failed_layers": len(self.failed_layers),
                "failed_stages": len(self.failed_stages)}

    @property
    def errors(self) -> list[InputError]:
        return self.failed_layers + self.failed_stages


def analyze(
    store: Store, layers: list[str] | None = None, on_article: Callable[[], object] | None = None, jobs: int = 1,
    dask: str | None = None,
) -> AnalyzeReport:
    """Annotate every stored article again (after a model or rule update), then agree names and link
    stories. A layer that failed before runs again (its failure is gone when it runs); one that fails
    now keeps its stored version and is recorded. ``jobs``, ``dask``: as for ``in_workers``."""
    report = AnalyzeReport()
    names = layers if layers is not None else available_layers()
    work = partial(annotate_article, layers=names)
    for _, article in in_workers(work, store.articles(), Article, jobs, _annotation_crashed, dask):
        failed = [f for f in article.failures if f.stage == "annotate" and f.layer in (*names, "")]
        store.clear_failures(article.id, "annotate", [*names, ""])
        for name in set(names) & set(article.layers) - {f.layer for f in failed}:
            store.put_layer(article.id, article.layers[name])
        store.add_failures(article.id, failed)
        report.failed_layers += failure_errors(article.source, failed)
        report.articles += 1
        if on_article:
            on_article()
    store.refresh_names()
    store.commit()
    report.failed_stages += linked(store)
    report.stories = store.counts()["stories"]
    return report


def _annotation_crashed(article: Article) -> Article:
    """An article whose annotation killed its worker: kept as it was, with the failure recorded."""
    article.record([Failure("annotate", "", WORKER_DIED)])
    return article


def reextract(store: Store, on_record: Callable[[], object] | None = None, jobs: int = 1,
              dask: str | None = None) -> IngestReport:
    """Run the current extractor again over every stored raw input. ``jobs``, ``dask``: as for ``in_workers``."""
    report = IngestReport()
    for (raw_id, _), result in in_workers(_extract_stored, store.raw_records(), tuple, jobs,
                                          _stored_record_crashed, dask):
        report.records += 1
        if on_record:
            on_record()
        if isinstance(result, InputError):
            report.failures.append(result)
            store.add_failure(result.source, result.reason)
            continue
        report.failed_layers += failure_errors(result.source, result.failures)
        if store.article(result.id, store_names=False) is not None:
            report.unchanged += 1
            continue
        store.replace_articles_of_raw(raw_id, [result])
        report.new += 1
    store.refresh_names()
    store.commit()
    # replaced articles are gone from the events that held them: link afresh
    report.failed_stages += linked(store, relink if report.new else link_new)
    report.stories = store.counts()["stories"]
    return report


def _stored_record_crashed(item: tuple[str, RawRecord]) -> InputError:
    return _crash_error(item[1])


def _extract_stored(item: tuple[str, RawRecord]) -> Article | InputError:
    return safe_extract(item[1], annotate=True)
