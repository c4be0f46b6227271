"""Composes the stages: read inputs, extract articles, store them.

Extraction of a record is a pure function of the record, so it runs the same in this
process or in a pool of worker processes (``jobs``).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.errors import InputError
from newsprism.extract import extract
from newsprism.ingest import iter_records
from newsprism.model import Article, RawRecord
from newsprism.store import Store

Outcome = tuple[RawRecord | None, Article | InputError]


def safe_extract(record: RawRecord) -> Article | InputError:
    """Any failure on hostile input becomes one InputError for that record, never a crash of the run."""
    try:
        return extract(record)
    except InputError as error:
        return error
    except Exception as error:  # the edge: report, go on with the other inputs
        return InputError(record.source, f"extraction failed: {type(error).__name__}: {error}".strip())


def _extract_pair(record: RawRecord) -> Outcome:
    return record, safe_extract(record)


def extract_paths(paths: Iterable[str | Path], jobs: int = 1) -> Iterator[Outcome]:
    """Every input under ``paths`` as (record, article or error), in input order."""
    errors: list[InputError] = []
    pending = _records_only(iter_records(paths), errors)
    if jobs <= 1:
        for record in pending:
            yield from _drain(errors)
            yield _extract_pair(record)
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(jobs) as pool:
            for outcome in pool.imap(_extract_pair, pending, chunksize=4):
                yield from _drain(errors)
                yield outcome
    yield from _drain(errors)


def _records_only(items: Iterator[RawRecord | InputError], errors: list[InputError]) -> Iterator[RawRecord]:
    """Pass records on; set reader errors aside so they are reported in order and not sent to workers."""
    for item in items:
        if isinstance(item, InputError):
            errors.append(item)
        else:
            yield item


def _drain(errors: list[InputError]) -> Iterator[Outcome]:
    while errors:
        yield None, errors.pop(0)


@dataclass
class IngestReport:
    records: int = 0
    new: int = 0
    unchanged: int = 0
    failures: list[InputError] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "records": self.records,
            "new": self.new,
            "unchanged": self.unchanged,
            "failed": len(self.failures),
        }


def ingest(outcomes: Iterable[Outcome], store: Store) -> IngestReport:
    """Store raw inputs and their articles; failures are recorded, never dropped."""
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
    store.commit()
    return report


def reextract(store: Store) -> IngestReport:
    """Run the current extractor again over every stored raw input."""
    report = IngestReport()
    for raw_id, record in list(store.raw_records()):
        report.records += 1
        result = safe_extract(record)
        if isinstance(result, InputError):
            report.failures.append(result)
            store.add_failure(result.source, result.reason)
            continue
        if store.article(result.id) is not None:
            report.unchanged += 1
            continue
        store.replace_articles_of_raw(raw_id, [result])
        report.new += 1
    store.commit()
    return report
