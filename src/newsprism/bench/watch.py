"""`newsprism bench watch`: how fast and how politely `newsprism watch` collects, against the loopback
outlets of newsprism.bench.outlets (the sample corpus published ``copies`` times over five sites).

Two runs on fresh stores: **throughput** (no delay between requests to a host, every layer as `watch`
runs it, in its own process and in two worker processes, then without annotation, so collecting and
analysing can be told apart) and
**politeness** (``delay`` seconds between requests to a host; the gaps each server measured between the
requests it got, robots.txt refusals, and a second round that should ask only conditionally).
"""

from __future__ import annotations

import itertools
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsprism.bench.outlets import Outlet, outlets
from newsprism.bench.scale import markdown_table
from newsprism.store import Store
from newsprism.watch import Round, RoundReport, parse_sources
from newsprism.watch.archive import WarcArchive
from newsprism.watch.fetch import Fetcher

SITES = ("herald", "ledger", "courier", "meridian", "closed")
THROUGHPUT_SITES = ("herald", "courier", "meridian", "closed")


def sources_for(sites: dict[str, Outlet], names: tuple[str, ...] = SITES, **watch: Any) -> Any:
    """The outlets as local sources, as a user would list them."""
    listed = {
        "herald": {"feeds": [sites["herald"].url("/rss.xml")]},
        "ledger": {"sitemaps": [sites["ledger"].url("/sitemap.xml")]},
        "courier": {"home": sites["courier"].url("/")},
        "meridian": {"feeds": [sites["meridian"].url("/rss.xml")]},
        "closed": {"feeds": [sites["closed"].url("/rss.xml")]},
    }
    return parse_sources({"watch": watch, "source": [{"name": n, "local": True, **listed[n]} for n in names]})


def rounds(config: Any, db: str, warc: Path, annotate: bool, count: int = 1,
           between: Callable[[], object] | None = None, jobs: int = 1) -> list[tuple[RoundReport, float]]:
    """``count`` rounds as `newsprism watch` runs them: one fetcher (its robots.txt and rate limits) for all."""
    fetcher, archive = Fetcher(config, stopping=threading.Event()), WarcArchive(warc)
    done = []
    try:
        with Store(db) as store:
            for n in range(count):
                if n and between:
                    between()
                started = time.monotonic()
                report = Round(config, store, archive, fetcher, annotate=annotate, jobs=jobs).run()
                done.append((report, time.monotonic() - started))
    finally:
        fetcher.close()
        archive.close()
    return done


def throughput(corpus: Path, copies: int, annotate: bool, folder: Path, jobs: int = 1) -> dict[str, Any]:
    with outlets(corpus, copies=copies) as sites:
        # not ledger: its Crawl-delay of 1 s, which the watcher keeps, would be all this measures
        config = sources_for(sites, THROUGHPUT_SITES, per_host_delay=0.0, max_concurrency=4, timeout=2.0, backoff=0.2)
        name = f"t-{annotate}-{jobs}"
        [(report, seconds)] = rounds(config, str(folder / f"{name}.sqlite"), folder / name, annotate, jobs=jobs)
    return {"annotate": annotate, "jobs": jobs, "copies": copies, "pages": report.fetched, "articles": report.new,
            "requests": report.requests, "failed": len(report.errors), "seconds": round(seconds, 2),
            "pages_per_s": round(report.fetched / seconds, 1), "requests_per_s": round(report.requests / seconds, 1),
            "megabytes": round(report.bytes / 1e6, 1)}


def politeness(corpus: Path, delay: float, folder: Path) -> dict[str, Any]:
    with outlets(corpus) as sites:
        config = sources_for(sites, per_host_delay=delay, timeout=2.0, backoff=0.2)
        hits_before: dict[str, int] = {}
        (first, _), (second, _) = rounds(config, str(folder / "p.sqlite"), folder / "warc-p", False, count=2,
                                         between=lambda: hits_before.update({n: len(s.hits) for n, s in sites.items()}))
        hosts = {}
        for name, site in sites.items():
            times = sorted(h.at for h in site.hits)
            gaps = [b - a for a, b in itertools.pairwise(times)]
            later = site.hits[hits_before[name]:]
            hosts[name] = {
                "requests": len(site.hits),
                "min_gap_s": round(min(gaps), 3) if gaps else None,
                "median_gap_s": round(statistics.median(gaps), 3) if gaps else None,
                "second_round_requests": len(later),
                "second_round_304": sum(h.status == 304 for h in later),
                "second_round_article_200": sum(h.status == 200 and h.path.startswith("/news/") for h in later),
            }
        forbidden = len(sites["herald"].hits_to("/private/")) + sum(h.path != "/robots.txt"
                                                                     for h in sites["closed"].hits)
    return {"delay": delay, "hosts": hosts, "refused": first.refused, "forbidden_requests": forbidden,
            "first_round_pages": first.fetched, "second_round_pages": second.fetched}


def run(corpus: Path, copies: int, delay: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-watch-") as folder:
        return {
            "throughput": [throughput(corpus, copies, annotate, Path(folder), jobs)
                           for annotate, jobs in ((True, 1), (True, 2), (False, 1))],
            "politeness": politeness(corpus, delay, Path(folder)),
        }


def format_tables(results: dict[str, Any]) -> str:
    rows = [[_run_name(r), r["pages"], r["requests"], r["failed"],
             r["seconds"], r["pages_per_s"], r["requests_per_s"], r["megabytes"]] for r in results["throughput"]]
    lines = markdown_table("`watch`, one round against four loopback outlets (no per-host delay, at most 4 in flight)",
                           ["run", "article pages", "requests", "failed", "s", "pages/s", "requests/s", "MB"],
                           "lrrrrrrr", rows)
    polite = results["politeness"]
    rows = [[name, h["requests"], h["min_gap_s"], h["median_gap_s"], h["second_round_requests"],
             h["second_round_304"], h["second_round_article_200"]] for name, h in polite["hosts"].items()]
    lines += markdown_table(f"Politeness: per_host_delay {polite['delay']} s (ledger asks Crawl-delay: 1),"
                            " gaps measured by each server, two rounds",
                            ["outlet", "requests", "min gap s", "median gap s", "round 2 requests", "round 2: 304",
                             "round 2: pages 200"], "lrrrrrr", rows)
    lines.append(f"Requests robots.txt forbids that reached a server: {polite['forbidden_requests']}"
                 f" (refused by the watcher: {polite['refused']}).")
    return "\n".join(lines) + "\n"


def _run_name(row: dict[str, Any]) -> str:
    if not row["annotate"]:
        return "fetch + extract only"
    return "every layer, in the watch process" if row["jobs"] == 1 else f"every layer, {row['jobs']} worker processes"
