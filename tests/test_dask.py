"""`--dask`: extraction and annotation as Dask tasks on a real LocalCluster (two worker processes of one
thread each, on the loopback), against the same commands in one process."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import psutil
import pytest
from distributed import Client, LocalCluster

from newsprism import pipeline
from newsprism.cluster import dask_client
from newsprism.store import Store
from store_targets import new_store_target
from test_cli import CORPUS, run

INPUTS = [str(CORPUS / "feeds"), str(CORPUS / "exports")]  # 13 articles, several of them in one story


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """One cluster for the module: its workers load the models once, for every test."""
    with dask_client("local", jobs=2) as client:
        assert isinstance(client.cluster, LocalCluster) and len(client.cluster.workers) == 2
        assert set(client.nthreads().values()) == {1}
        yield client


def snapshot(db: Path | str) -> dict[str, Any]:
    """What a store holds: articles with their layers and failures, events, storylines, counts."""
    with Store(db) as store:
        ids = sorted(article.id for article in store.articles())
        return {"articles": [store.article(i).to_dict(with_layers=True) for i in ids],  # type: ignore[union-attr]
                "events": sorted(map(vars, store.events()), key=lambda e: e["id"]),
                "stories": sorted(map(vars, store.stories()), key=lambda s: s["id"]),
                "counts": store.counts()}


def ingested(db: Path | str, *options: str) -> dict[str, Any]:
    code, _, stderr = run("ingest", "--db", str(db), *options, *INPUTS)
    assert code == 0, stderr
    return snapshot(db)


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return ingested(tmp_path_factory.mktemp("one") / "store.sqlite", "--jobs", "1")


def parser_loads() -> int:
    """How many times this process loaded the spaCy pipeline (run on each worker)."""
    from newsprism.annotate import nlp

    return nlp.pipeline.cache_info().misses


def encoder_threads() -> int:
    from newsprism.annotate.techniques import THREADS

    return THREADS["encoder"]


def test_ingest_on_a_cluster_stores_what_one_process_stores(client, one_process, tmp_path):
    address = client.scheduler.address
    db = tmp_path / "store.sqlite"
    assert ingested(db, "--dask", address) == one_process
    assert one_process["counts"]["articles"] == 13 and one_process["counts"]["stories"] >= 2
    assert all(set(a["layers"]) == {"entities", "quotes", "timex", "techniques"} for a in one_process["articles"])

    code, _, stderr = run("reextract", "--db", str(db), "--dask", address)
    assert code == 0 and '"records": 13, "new": 0, "unchanged": 13' in stderr, stderr
    with Store(db) as store:
        store.db.execute("DELETE FROM layers WHERE name = 'timex'")
        store.commit()
    code, _, stderr = run("analyze", "--db", str(db), "--layers", "timex", "--dask", address)
    assert code == 0 and '"articles": 13' in stderr, stderr
    assert snapshot(db) == one_process
    # long-lived workers: each loaded the parser once, for all three commands; the cores shared by the encoders
    assert set(client.run(parser_loads).values()) == {1}
    assert set(client.run(encoder_threads).values()) == {max(1, pipeline.available_cores() // 2)}


def test_a_postgresql_store_fed_by_a_cluster_holds_what_one_process_stores_in_sqlite(client, one_process, tmp_path,
                                                                                    request):
    target = new_store_target("postgresql", tmp_path, request)
    assert ingested(target, "--dask", client.scheduler.address) == one_process


def test_the_local_cluster_listens_on_the_loopback_only(client):
    ours = {os.getpid(), *(child.pid for child in psutil.Process().children(recursive=True))}
    listening = {(c.laddr.ip, c.laddr.port) for c in psutil.net_connections("tcp")
                 if c.status == psutil.CONN_LISTEN and c.pid in ours}
    assert len(listening) >= 3 and {ip for ip, _ in listening} == {"127.0.0.1"}  # scheduler and two workers
    assert 8787 not in {port for _, port in listening}  # no dashboard


def test_dask_local_starts_and_stops_its_own_cluster(one_process, tmp_path):
    assert ingested(tmp_path / "store.sqlite", "--dask", "local", "--jobs", "2") == one_process


def free_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


@pytest.mark.parametrize("address", ["nonsense", "http://127.0.0.1:8786", "tcp://127.0.0.1:{port}"])
def test_a_bad_address_is_one_line_and_exit_2(tmp_path, address):
    address = address.format(port=free_port())
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code, _, stderr = run("ingest", "--db", str(tmp_path / "store.sqlite"), "--dask", address, INPUTS[1])
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and stderr.startswith(f"Error: --dask {address}: "), stderr


def test_memory_stays_flat_however_many_records(client):
    """Records go through the cluster a few batches at a time, and neither the client nor the scheduler (in
    this process) keeps a copy: 300 MB of records go through, memory grows by far less."""
    records = (bytes([n % 256]) * 200_000 for n in range(1500))
    process = psutil.Process()
    start = peak = process.memory_info().rss
    for n, (_, size) in enumerate(pipeline.in_workers(len, records, bytes, 0, dask=client.scheduler.address)):
        assert size == 200_000
        if n % 50 == 0:
            peak = max(peak, process.memory_info().rss)
    assert n == 1499 and peak - start < 100 * 2**20


def die_on_three(item: int) -> int:
    if item == 3:
        os._exit(1)  # a crash in native code, the OOM killer
    return item * 10


def test_an_item_that_kills_its_worker_fails_alone_and_the_run_goes_on(client):
    """Last in the module: the item kills two workers (its task, then its run as a task of its own) and
    the nannies start fresh ones, without the models the other tests loaded."""
    results = list(pipeline.in_workers(die_on_three, iter(range(12)), int, 0, dask=client.scheduler.address))
    assert [item for item, _ in results] == list(range(12))
    assert [r for item, r in results if item != 3] == [item * 10 for item in range(12) if item != 3]
    assert results[3][1].reason == pipeline.WORKER_DIED



def test_a_watch_round_on_a_cluster_stores_what_one_process_stores(client, tmp_path):
    from newsprism.bench.outlets import outlets
    from newsprism.watch import parse_sources, watch_sources

    stores = {}
    with outlets(CORPUS) as sites:
        config = parse_sources({"watch": {"per_host_delay": 0}, "source": [
            {"name": "Herald", "feeds": [sites["herald"].url("/rss.xml")], "local": True},
            {"name": "Courier", "home": sites["courier"].url("/"), "local": True}]})
        for name, where in (("one", None), ("cluster", client.scheduler.address)):
            with Store(tmp_path / f"{name}.sqlite") as store:
                [report] = watch_sources(config, store, tmp_path / f"{name}.warc", once=True, dask=where)
            assert report.new == 8 and not report.errors
            stores[name] = snapshot(tmp_path / f"{name}.sqlite")
    assert stores["cluster"] == stores["one"]
