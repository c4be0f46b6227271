"""Serve benchmark: how long the web UI's pages and the API take on a store of 10k articles.

The store is generated: the sample corpus is ingested and annotated once, linked into stories,
then its articles are copied round after round into a temporary store, each copy with a changed
title, a sentence appended (so a new content id, while the layers' offsets stay valid) and a date
moved by a few days; story ids get the round's number, so stories grow as the store does. When the
source articles have no techniques layer (it is optional), each copy gets spans on a few of its
sentences with names from the technique inventory, so the pages draw as many highlights as a real
store would. Each page is then fetched over HTTP from a real server on loopback: once first (the
store-wide aggregates are computed then), then ``repeats`` times; the figures are wall-clock
milliseconds for the whole response (query, rendering, transfer).
"""

from __future__ import annotations

import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from newsprism.demo import REPO_CORPUS, run_demo
from newsprism.link import link_articles
from newsprism.model import Article, Layer, Span
from newsprism.serve.app import background_server, create_app
from newsprism.store import Store

TECHNIQUE_NAMES = ("Loaded_Language", "Name_Calling,Labeling", "Doubt", "Exaggeration,Minimisation",
                   "Appeal_to_fear-prejudice", "Flag-Waving", "Repetition", "Slogans")
SENTENCE = re.compile(r"[^.!?\n]{20,200}[.!?]")
PERTURB_WORDS = ("update", "analysis", "live", "report", "briefing", "explainer", "latest", "watch")


def source_articles(source_db: Path | None, workdir: Path) -> list[Article]:
    """The annotated articles to copy: from ``source_db``, or the sample corpus ingested into ``workdir``."""
    if source_db is None:
        source_db = run_demo(REPO_CORPUS, workdir / "source").db_path
    with Store(source_db) as store:
        ids = [row["id"] for row in store.db.execute("SELECT id FROM articles ORDER BY id")]
        return [a for a in (store.article(i, store_names=False) for i in ids) if a is not None]


def synthetic_techniques(text: str, rng: random.Random) -> Layer:
    spans = [
        Span(m.start(), m.end(), rng.choice(TECHNIQUE_NAMES), {"score": round(rng.uniform(0.4, 0.99), 2)})
        for m in SENTENCE.finditer(text)
        if rng.random() < 0.2
    ]
    return Layer("techniques", "bench.synthetic", "0", spans)


def shifted(published: str | None, days: int) -> str | None:
    if not published:
        return None
    try:
        return (datetime.fromisoformat(published) + timedelta(days=days)).isoformat()
    except ValueError:
        return published


def perturbed_copy(article: Article, round_no: int, rng: random.Random) -> Article:
    """A copy with a new id: new title word, one appended sentence, date moved; layers kept (offsets hold)."""
    word = rng.choice(PERTURB_WORDS)
    text = f"{article.text}\n\n(Copy {round_no}: {word} {rng.randrange(10**6)}.)"
    title = f"{article.title or 'Untitled'} ({word} {round_no})"
    layers = dict(article.layers)
    if "techniques" not in layers:
        layers["techniques"] = synthetic_techniques(article.text, rng)
    return replace(article, text=text, title=title, published=shifted(article.published, round_no % 60),
                   source=f"{article.source}#copy{round_no}", layers=layers, id="")


def build_store(path: Path, articles: list[Article], total: int, seed: int = 13) -> dict[str, Any]:
    """Write ``total`` perturbed copies of ``articles`` (and their stories) to a new store at ``path``."""
    rng = random.Random(seed)
    linked = link_articles(articles)
    started = time.perf_counter()
    with Store(path) as store:
        for n in range(total):
            round_no, source = divmod(n, len(articles))
            copy = perturbed_copy(articles[source], round_no, rng)
            store.add_article(copy)
            story_id = f"{linked.story_of[articles[source].id]}-{round_no}"
            event_id = f"{linked.event_of[articles[source].id]}-{round_no}"
            store.db.execute("INSERT INTO stories(id, title) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             (story_id, copy.title))
            store.db.execute("INSERT INTO story_articles(story_id, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             (story_id, copy.id))
            store.db.execute("INSERT INTO events(id, title, story_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                             (event_id, copy.title, story_id))
            store.db.execute("INSERT INTO event_articles(article_id, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             (copy.id, event_id))
        store.refresh_names()
        store.commit()
        counts = store.counts()
    return {"seconds": round(time.perf_counter() - started, 1), **counts}


def sample_pages(path: Path) -> dict[str, str]:
    """One URL per page kind, with ids, names and words taken from the generated store."""
    with Store(path) as store:
        db = store.db
        story = db.execute("SELECT story_id FROM story_articles GROUP BY story_id ORDER BY count(*) DESC").fetchone()[0]
        article = db.execute(
            "SELECT article_id FROM layers WHERE name = 'techniques' ORDER BY length(spans) DESC LIMIT 1"
        ).fetchone()[0]
        outlet = db.execute("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC").fetchone()[0]
        person = db.execute("SELECT name FROM entity_names WHERE label = 'PERSON' ORDER BY articles DESC").fetchone()
    quote = urllib.parse.quote_plus
    speaker = quote(person[0]) if person else "nobody"
    return {
        "story list (/)": "/",
        "story page": f"/stories/{quote(story)}",
        "article page": f"/articles/{article}",
        "search page: words": "/search?q=minister+talks",
        "search page: words + technique": "/search?q=minister&technique=Doubt",
        "search page: entity": f"/search?entity={speaker}",
        "outlets page": "/outlets",
        "outlet profile": f"/outlet?name={quote(outlet)}",
        "speakers page": "/speakers",
        "speaker page": f"/speaker?name={speaker}",
        "API article (all layers)": f"/api/articles/{article}",
        "API search": "/api/search?q=minister&limit=50",
        "API stories": "/api/stories?limit=50",
    }


def time_page(base_url: str, path: str, repeats: int) -> dict[str, Any]:
    times, size = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        with urllib.request.urlopen(base_url + path, timeout=60) as response:
            size = len(response.read())
        times.append((time.perf_counter() - started) * 1000)
    return {"path": path, "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "bytes": size}


def run(articles: int = 10_000, repeats: int = 5, source_db: Path | None = None) -> dict[str, Any]:
    """Generate a store of ``articles`` copies, serve it, and time every page kind."""
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-serve-") as folder:
        workdir = Path(folder)
        sources = source_articles(source_db, workdir)
        store_path = workdir / "bench.sqlite"
        built = build_store(store_path, sources, articles)
        pages = sample_pages(store_path)
        with background_server(create_app(store_path)) as base_url:
            cold = {name: time_page(base_url, path, 1)["median_ms"] for name, path in pages.items()}
            timings = {name: {**time_page(base_url, path, repeats), "first_ms": cold[name]}
                       for name, path in pages.items()}
        return {"articles": articles, "source_articles": len(sources), "repeats": repeats, "store": built,
                "pages": timings}


LOAD_PAGES = ("story list (/)", "story page", "search page: words", "API search", "API stories",
              "API article (all layers)")
MAX_CLIENTS = 64
MAX_LOAD_SECONDS = 600


def run_load(articles: int = 2_000, clients: int = 8, seconds: int = 30, source_db: Path | None = None,
             corpus: Path = REPO_CORPUS) -> dict[str, Any]:
    """``clients`` threads fetch the story list, story pages, search and the API from a `newsprism serve`
    process on loopback for ``seconds`` while a `newsprism ingest` process adds ``corpus`` to the same
    store; the ingest is timed against the same ingest into an unserved copy of the store."""
    clients, seconds = min(clients, MAX_CLIENTS), min(seconds, MAX_LOAD_SECONDS)
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-load-") as folder:
        workdir = Path(folder)
        store_path = workdir / "served.sqlite"
        build_store(store_path, source_articles(source_db, workdir), articles)
        pages = {name: path for name, path in sample_pages(store_path).items() if name in LOAD_PAGES}
        shutil.copy(store_path, workdir / "alone.sqlite")
        alone = _TimedIngest(workdir / "alone.sqlite", corpus).wait_seconds()
        with _server(store_path) as base_url:
            ingest = _TimedIngest(store_path, corpus)
            samples = _load(base_url, list(pages.items()), clients, seconds)
            under_load = ingest.wait_seconds()
    return {"articles": articles, "clients": clients, "seconds": seconds, "requests": len(samples),
            "errors": sum(1 for _, status, _ in samples if status != 200),
            "error_kinds": sorted({str(status) for _, status, _ in samples if status != 200}),
            "latency_ms": _percentiles([ms for _, _, ms in samples]),
            "pages": {name: _percentiles([ms for page, _, ms in samples if page == name]) for name in pages},
            "ingest_alone_s": round(alone, 1), "ingest_under_load_s": round(under_load, 1),
            "ingest_slowdown": round(under_load / alone, 2) if alone else None}


class _TimedIngest:
    """A `newsprism ingest` process and its wall time, taken when it ends (a thread waits for it)."""

    def __init__(self, db: Path, corpus: Path) -> None:
        self.started = time.monotonic()
        self.process = subprocess.Popen([_newsprism(), "ingest", "--db", str(db), "--jobs", "1", "--no-progress",
                                         str(corpus)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.result: tuple[str, float] = ("", 0.0)
        self.waiter = threading.Thread(target=self._wait)
        self.waiter.start()

    def _wait(self) -> None:
        _, stderr = self.process.communicate(timeout=3600)
        self.result = (stderr, time.monotonic() - self.started)

    def wait_seconds(self) -> float:
        self.waiter.join()
        stderr, seconds = self.result
        if self.process.returncode not in (0, 1):
            raise RuntimeError(f"ingest failed: {stderr[-500:]}")
        return seconds


def _newsprism() -> str:
    return str(Path(sys.executable).parent / "newsprism")


@contextmanager
def _server(db: Path) -> Iterator[str]:
    """`newsprism serve` on a free loopback port, in its own process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([_newsprism(), "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base_url + "/api/stories?limit=1", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _load(base_url: str, pages: list[tuple[str, str]], clients: int, seconds: int) -> list[tuple[str, object, float]]:
    """(page, status or error name, milliseconds) of every request of ``clients`` threads for ``seconds``."""
    deadline = time.monotonic() + seconds
    samples: list[tuple[str, object, float]] = []

    def client(offset: int) -> None:
        n = offset
        while time.monotonic() < deadline:
            name, path = pages[n % len(pages)]
            n += 1
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base_url + path, timeout=60) as response:
                    response.read()
                    status: object = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = type(error).__name__
            samples.append((name, status, (time.perf_counter() - started) * 1000))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"n": len(values), "p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1),
            "max": round(max(values), 1)}


def format_load_table(results: dict[str, Any]) -> str:
    lines = [f"{results['clients']} clients for {results['seconds']} s on a {results['articles']}-article store "
             f"while an ingest writes to it: {results['requests']} requests, {results['errors']} errors "
             f"{results['error_kinds'] or ''}".rstrip(),
             f"ingest alone {results['ingest_alone_s']} s, under load {results['ingest_under_load_s']} s "
             f"(x{results['ingest_slowdown']})", "",
             "| page | requests | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for name, fig in {**results["pages"], "all": results["latency_ms"]}.items():
        lines.append(f"| {name} | {fig['n']} | {fig.get('p50')} | {fig.get('p95')} | {fig.get('p99')} | "
                     f"{fig.get('max')} |")
    return "\n".join(lines)


def format_table(results: dict[str, Any]) -> str:
    store = results["store"]
    lines = [
        f"{results['articles']} articles ({results['source_articles']} sample articles copied), "
        f"{store['stories']} stories, {store['layers']} layers; store built in {store['seconds']} s; "
        f"{results['repeats']} fetches per page",
        "",
        "| page | first fetch ms | median ms | max ms | KiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, figures in results["pages"].items():
        lines.append(f"| {name} | {figures['first_ms']} | {figures['median_ms']} | {figures['max_ms']} |"
                     f" {figures['bytes'] / 1024:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_table(run()))
