"""Scale benchmark: what one machine does, per stage and per store, so that a cluster can be sized.

Three measurements, each on SQLite and on a PostgreSQL server (one given with ``--pg``, or a
throwaway one started on loopback):

* **stages**: the cost of each stage per article on one core (extraction of real HTML pages, the
  parse with the entities, quotes and timex layers, the techniques layer, storing, linking), from
  real news texts of ../shared/data when present (else the sample corpus);
* **ingest**: `newsprism ingest` of a JSONL export of synthetic articles (real texts renamed and cut,
  bench/link.py's stream) as a user runs it, with every layer, in one process, the local pool and a
  2-worker Dask LocalCluster: articles per second and the peak memory of all its processes together;
  and the store-and-link path alone (no annotation) for the large sizes, where the store's cost
  shows;
* **readers**: 8 concurrent clients on a served store of copied annotated articles (bench/serve.py):
  latency of search, the story list and story pages.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from newsprism.bench import peak_rss_mb
from newsprism.bench.link import DEFAULT_DATA_DIR, Group, _in_child, _stream_groups, synthetic_stream
from newsprism.demo import REPO_CORPUS
from newsprism.model import Article
from newsprism.store import Store
from newsprism.store.server import create_database, temporary_server

EXECUTORS = {  # what `newsprism ingest` is given for each way of running the work
    "1 process": ["--jobs", "1"],
    "local pool, 2 workers": ["--jobs", "2"],
    "Dask LocalCluster, 2 workers": ["--dask", "local", "--jobs", "2"],
}
EXECUTOR_NAMES = dict(zip(("process", "pool", "dask"), EXECUTORS, strict=True))  # --executor's words
STAGE_SAMPLE = 200  # articles timed per stage
MEMORY_POLL = 0.2  # seconds between two readings of a process tree's memory
EXPORT_FIELDS = ("title", "text", "published", "outlet")


STORE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# --- where the stores live ---------------------------------------------------------------------

@contextmanager
def back_ends(pg_url: str | None, postgres: bool = True) -> Iterator[dict[str, Any]]:
    """A maker of fresh store targets per back end: SQLite files in a temporary folder, databases on the
    PostgreSQL server at ``pg_url`` (its ``postgres`` database URL) or on a throwaway local server (none
    without ``postgres``)."""
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-scale-") as folder, \
            (_given(pg_url) if pg_url or not postgres else temporary_server()) as server:
        count = iter(range(10**6))

        def sqlite() -> str:
            return str(Path(folder) / f"store{next(count)}.sqlite")

        def postgresql() -> str:
            return create_database(server, f"newsprism_bench_{int(time.time())}_{next(count)}")

        yield {"folder": Path(folder), "SQLite": sqlite, "PostgreSQL": postgresql}


@contextmanager
def _given(url: str | None) -> Iterator[str | None]:
    yield url


# --- process trees -----------------------------------------------------------------------------

def run_measured(command: list[str]) -> dict[str, Any]:
    """Run ``command``; its wall time and the peak of the summed resident memory of it and all its
    descendants (workers, a Dask cluster's nanny and worker processes)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    watcher = threading.Thread(target=_watch_memory, args=(process.pid, peak), daemon=True)
    watcher.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    watcher.join(timeout=5)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:3])} failed: {stderr.strip()[-500:]}")
    return {"seconds": round(seconds, 1), "peak_mb": round(peak[0]), "stderr": stderr.strip().splitlines()[-1:]}


def _watch_memory(pid: int, peak: list[float]) -> None:
    try:
        root = psutil.Process(pid)
        while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
            total = 0
            for process in [root, *root.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            peak[0] = max(peak[0], total / 2**20)
            time.sleep(MEMORY_POLL)
    except psutil.Error:
        return


# --- ingest ------------------------------------------------------------------------------------

PART_RECORDS = 5_000  # per export file: each stays far below the readers' file-size and record limits


def write_export(folder: Path, groups: list[Group], size: int) -> Path:
    """The first ``size`` articles of the synthetic stream as JSONL export files in ``folder`` (parts of
    PART_RECORDS, in order), the input of a real ingest."""
    folder.mkdir(parents=True, exist_ok=True)
    stream = synthetic_stream(groups, size)
    for part in itertools.count():
        chunk = list(itertools.islice(stream, PART_RECORDS))
        if not chunk:
            break
        with (folder / f"part-{part:05d}.jsonl").open("w", encoding="utf-8") as handle:
            for article, _ in chunk:
                handle.write(json.dumps({name: getattr(article, name) for name in EXPORT_FIELDS},
                                        ensure_ascii=False) + "\n")
    return folder


def _newsprism() -> str:
    return str(Path(sys.executable).parent / "newsprism")


def full_ingest(export: Path, target: str, executor: list[str], articles: int) -> dict[str, Any]:
    """`newsprism ingest` with every layer, as a user runs it."""
    run = run_measured([_newsprism(), "ingest", "--db", target, "--no-progress", *executor, str(export)])
    with Store(target) as store:
        stored = store.counts()["articles"]
    if stored < articles * 0.99:  # the stream repeats a few texts exactly; more missing is a failed run
        raise RuntimeError(f"ingest stored {stored} of {articles} articles: {run['stderr']}")
    return {**run, "articles": stored, "articles_per_s": round(articles / run["seconds"], 2) if run["seconds"] else 0}


def store_and_link(target: str, groups: list[Group], size: int) -> dict[str, Any]:
    """Store and link ``size`` extracted articles without annotation (``pipeline.ingest``, batches of
    its default size), in this process: the part of an ingest that the store does."""
    from newsprism.pipeline import ingest

    started = time.perf_counter()
    with Store(target) as store:
        report = ingest(((None, article) for article, _ in synthetic_stream(groups, size)), store)
        seconds = time.perf_counter() - started
        return {"articles": report.new, "stories": report.stories, "seconds": round(seconds, 1),
                "articles_per_s": round(size / seconds, 1), "peak_mb": round(peak_rss_mb())}


# --- stages ------------------------------------------------------------------------------------

def stage_costs(target: str, data_dir: Path, corpus: Path) -> dict[str, Any]:
    """Seconds per article of each stage on one core, after a warm-up (models loaded)."""
    from newsprism.annotate.registry import annotate_article
    from newsprism.link.incremental import link_new
    from newsprism.pipeline import extract_paths

    pages = sorted((data_dir.parent / "extraction" / "html").glob("*.html.gz"))[:STAGE_SAMPLE] or [corpus / "html"]
    started = time.perf_counter()
    extracted = [a for _, a in extract_paths(pages) if isinstance(a, Article)]
    costs = {"extract (HTML page)": (time.perf_counter() - started) / max(len(extracted), 1)}
    texts = [article for article, _ in synthetic_stream(_stream_groups(data_dir, corpus), STAGE_SAMPLE)]
    for name, layers in (("parse + entities, quotes, timex", ("entities", "quotes", "timex")),
                         ("techniques", ("techniques",))):
        annotate_article(texts[0], layers)  # warm-up: the models load once per worker
        started = time.perf_counter()
        annotated = [annotate_article(article, layers) for article in texts]
        costs[name] = (time.perf_counter() - started) / len(texts)
    with Store(target) as store:
        started = time.perf_counter()
        for article in annotated:
            store.add_article(article)
        store.commit()
        costs["store"] = (time.perf_counter() - started) / len(annotated)
        started = time.perf_counter()
        link_new(store)
        costs["link"] = (time.perf_counter() - started) / len(annotated)
    return {"articles": len(texts), "pages": len(extracted),
            "seconds_per_article": {name: round(value, 4) for name, value in costs.items()}}


# --- readers -----------------------------------------------------------------------------------

def reader_latency(target: str, articles: int, clients: int, seconds: int, workdir: Path) -> dict[str, Any]:
    """``clients`` threads on a served store of ``articles`` copied annotated articles."""
    from newsprism.bench import serve as serve_bench

    sources = serve_bench.source_articles(None, workdir)
    serve_bench.build_store(target, sources, articles)
    pages = {name: path for name, path in serve_bench.sample_pages(target).items() if name in serve_bench.LOAD_PAGES}
    with serve_bench._server(target) as base_url:
        samples = serve_bench._load(base_url, list(pages.items()), clients, seconds)
    return {"requests": len(samples), "errors": sum(1 for _, status, _ in samples if status != 200),
            "latency_ms": serve_bench._percentiles([ms for _, _, ms in samples]),
            "pages": {name: serve_bench._percentiles([ms for page, _, ms in samples if page == name])
                      for name in pages}}


# --- the whole benchmark -----------------------------------------------------------------------

def run(pipeline_sizes: list[int], store_sizes: list[int], pg_url: str | None = None, clients: int = 8,
        seconds: int = 20, reader_articles: int = 10_000, data_dir: Path = DEFAULT_DATA_DIR,
        corpus: Path = REPO_CORPUS, parts: tuple[str, ...] = ("stages", "ingest", "store", "readers"),
        on_result: Any = None, executors: tuple[str, ...] = tuple(EXECUTORS),
        stores: tuple[str, ...] = ("SQLite", "PostgreSQL")) -> dict[str, Any]:
    groups = _stream_groups(data_dir, corpus)
    results: dict[str, Any] = {"stages": {}, "ingest": [], "store": [], "readers": {}}
    report = on_result or (lambda *_: None)
    names = stores
    with back_ends(pg_url, "PostgreSQL" in names) as stores:
        if "stages" in parts:
            for name in names:
                results["stages"][name] = _in_child(stage_costs, stores[name](), data_dir, corpus)
                report("stages", name, results["stages"][name])
        if "ingest" in parts:
            for size in pipeline_sizes:
                export = write_export(stores["folder"] / f"export-{size}", groups, size)
                for executor in executors:
                    options = EXECUTORS[executor]
                    for name in names:
                        row = {"articles": size, "executor": executor, "store": name,
                               **full_ingest(export, stores[name](), options, size)}
                        results["ingest"].append(row)
                        report("ingest", name, row)
        if "store" in parts:
            for size in store_sizes:
                for name in names:
                    row = {"store": name, **_in_child(store_and_link, stores[name](), groups, size)}
                    results["store"].append(row)
                    report("store", name, row)
        if "readers" in parts:
            for name in names:
                results["readers"][name] = reader_latency(stores[name](), reader_articles, clients, seconds,
                                                          stores["folder"] / f"readers-{name}")
                report("readers", name, results["readers"][name])
    return results


def format_tables(results: dict[str, Any]) -> str:
    lines: list[str] = []
    if results["stages"]:
        names = list(results["stages"])
        costs = {n: results["stages"][n]["seconds_per_article"] for n in names}
        lines += markdown_table("Seconds per article on one core", ["stage", *names], "l" + "r" * len(names),
                        [[stage, *(costs[n][stage] for n in names)] for stage in costs[names[0]]])
    if results["ingest"]:
        lines += markdown_table("`newsprism ingest`, every layer",
                        ["articles", "executor", "store", "s", "articles/s", "peak MB"], "rllrrr",
                        [[f"{r['articles']:,}", r["executor"], r["store"], r["seconds"], r["articles_per_s"],
                          f"{r['peak_mb']:,}"] for r in results["ingest"]])
    if results["store"]:
        lines += markdown_table("Store and link only (no annotation), one process",
                        ["articles", "store", "s", "articles/s", "storylines", "peak MB"], "rlrrrr",
                        [[f"{r['articles']:,}", r["store"], r["seconds"], r["articles_per_s"], f"{r['stories']:,}",
                          f"{r['peak_mb']:,}"] for r in results["store"]])
    if results["readers"]:
        lines += markdown_table("Readers: concurrent clients on a served store",
                        ["store", "page", "requests", "p50 ms", "p95 ms", "max ms"], "llrrrr",
                        [[name, page, fig["n"], fig.get("p50"), fig.get("p95"), fig.get("max")]
                         for name, found in results["readers"].items()
                         for page, fig in {**found["pages"], "all": found["latency_ms"]}.items()])
    return "\n".join(lines).rstrip("\n")


def markdown_table(title: str, header: list[str], align: str, rows: list[list[Any]]) -> list[str]:
    """A titled markdown table (``align``: "l" or "r" per column) and the blank line after it."""
    rule = "|" + "".join("---|" if a == "l" else "---:|" for a in align)
    return [title, "", f"| {' | '.join(header)} |", rule,
            *(f"| {' | '.join(str(cell) for cell in row)} |" for row in rows), ""]
