"""How the pipeline picks its number of worker processes (the work itself is pinned in test_cli)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism import pipeline
from newsprism.model import RawRecord

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def sources(stream) -> list[str]:
    return [item.source if isinstance(item, RawRecord) else repr(item) for item in stream]


def test_a_single_record_gets_no_workers() -> None:
    one = sorted((CORPUS / "html").iterdir())[0]
    jobs, stream = pipeline.auto_jobs(pipeline._record_stream([one]), RawRecord)
    assert jobs == 1
    assert sources(stream) == sources(pipeline._record_stream([one]))


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (64, pipeline.AUTO_MAX_JOBS)])
def test_many_records_get_one_worker_per_core_up_to_a_cap(monkeypatch: pytest.MonkeyPatch, cores: int,
                                                           expected: int) -> None:
    monkeypatch.setattr(pipeline, "available_cores", lambda: cores)
    jobs, stream = pipeline.auto_jobs(pipeline._record_stream([CORPUS]), RawRecord)
    assert jobs == expected
    whole = list(pipeline._record_stream([CORPUS]))
    assert sources(stream) == sources(whole)
    assert sum(isinstance(item, RawRecord) for item in whole) == 46
