"""Extraction and annotation as Dask tasks (``--dask``): on a LocalCluster of worker processes on this
machine, or on the cluster of a running scheduler.

A Dask worker is a long-lived process, so the models that the annotation modules cache at module level
load once per worker, not once per task. Each record is one task (a worker that dies costs only the
record that killed it); records go out a batch at a time, at most ``IN_FLIGHT`` batches on the cluster,
so memory stays flat however many there are, and come back in input order.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, Worker, WorkerPlugin
from distributed.client import FutureCancelledError
from distributed.comm import resolve_address
from distributed.utils import silence_logging_cmgr

from newsprism.errors import ClusterError
from newsprism.pipeline import BatchMap, available_cores

LOCAL = "local"  # --dask local: a LocalCluster on the loopback, for the life of the command
IN_FLIGHT = 2  # batches on the cluster at once: the next one runs while the results of one are stored


class EncoderThreads(WorkerPlugin):
    """Gives each worker's encoder its share of the cores, as ``worker_pool`` does for the local pool."""

    name = "newsprism-encoder-threads"

    def __init__(self, threads: int) -> None:
        self.threads = threads

    def setup(self, worker: Worker) -> None:
        from newsprism.annotate.techniques import set_threads

        set_threads(self.threads)


@contextmanager
def dask_client(address: str, jobs: int = 0) -> Iterator[Client]:
    """A client of the scheduler at ``address`` or, for ``local``, of a LocalCluster of ``jobs`` worker
    processes (0: one per core) of one thread each, on 127.0.0.1 without a dashboard; closed at the end.
    A cluster that cannot be reached, or is lost on the way, is a ``ClusterError``."""
    with ExitStack() as stack:
        stack.enter_context(silence_logging_cmgr(logging.CRITICAL))  # its tracebacks: our one line says it
        # Dask keeps the last 1,000 messages of each stream for debugging, records and all: memory would grow
        # with them (600 MB for 200 kB records) in this process, which holds the scheduler of ``local``
        stack.enter_context(dask.config.set({"distributed.admin.low-level-log-length": 0}))
        try:
            if address == LOCAL:
                workers = jobs or available_cores()
                cluster: LocalCluster | str = stack.enter_context(LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=logging.CRITICAL,
                    # its health page on a free port, not :8787; a task whose worker died is not run again
                    # by the scheduler beside the tasks that died with it, but alone by _DaskMap
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0", "allowed_failures": 0}))
                threads = max(1, available_cores() // workers)
            else:  # a remote worker's cores are shared by its threads: one encoder thread each
                resolve_address(address)  # a malformed address or unknown host fails here, before a Client exists
                cluster, threads = address, 1
            client = stack.enter_context(Client(cluster, set_as_default=False))
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterError(f"--dask {address}: cannot reach or start a Dask cluster ({error})") from error
        client.register_plugin(EncoderThreads(threads))
        try:
            yield client
        except FutureCancelledError as error:  # the scheduler went away mid-run
            raise ClusterError(f"--dask {address}: lost the connection to the scheduler; the batches stored so far"
                               " are kept, the same command run again completes the store") from error


@contextmanager
def dask_mapping(address: str, jobs: int, on_crash: Callable[[Any], Any]) -> Iterator[tuple[BatchMap, int]]:
    """The ``BatchMap`` of ``pipeline._mapping`` on a Dask cluster, and the cluster's threads."""
    with dask_client(address, jobs) as client:
        yield _DaskMap(client, on_crash), max(1, sum(client.nthreads().values()))


class _DaskMap:
    """One task per item, ``IN_FLIGHT`` batches at a time, each batch's results in order."""

    def __init__(self, client: Client, on_crash: Callable[[Any], Any]) -> None:
        self.client, self.on_crash = client, on_crash

    def __call__(self, work: Callable[[Any], Any], batches: Iterator[list[Any]]) -> Iterator[list[Any]]:
        in_flight: deque[tuple[list[Any], list[Future]]] = deque()
        for items in batches:
            in_flight.append((items, self.client.map(work, items, pure=False)))
            if len(in_flight) >= IN_FLIGHT:
                yield self._results(work, *in_flight.popleft())
        while in_flight:
            yield self._results(work, *in_flight.popleft())

    def _results(self, work: Callable[[Any], Any], items: list[Any], futures: list[Future]) -> list[Any]:
        return [self._result(work, item, future) for item, future in zip(items, futures, strict=True)]

    def _result(self, work: Callable[[Any], Any], item: Any, future: Future) -> Any:
        """The item's result; an item whose worker died (``KilledWorker``) may have died of another task that
        worker held, so it runs once more as a task of its own, and gets ``on_crash(item)`` if that dies too."""
        try:
            return future.result()
        except KilledWorker:
            pass
        try:
            return self.client.submit(work, item, pure=False).result()
        except KilledWorker:
            return self.on_crash(item)
