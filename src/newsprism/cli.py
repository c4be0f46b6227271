"""The command line: parses arguments, calls the library, prints. JSONL on stdout, the rest on stderr."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

from newsprism import __version__, pipeline
from newsprism.errors import ClusterError, InputError, StoreError
from newsprism.extract.dates import to_iso
from newsprism.ingest import count_inputs
from newsprism.model import Article, Failure
from newsprism.store import STORE_WRITE_ERRORS, Store, is_postgres, store_write_problem

T = TypeVar("T")
DEFAULT_DB = "newsprism.sqlite"
db_option = click.option(
    "--db",
    metavar="FILE|URL",
    default=lambda: os.environ.get("NEWSPRISM_DB", DEFAULT_DB),
    show_default=f"$NEWSPRISM_DB or {DEFAULT_DB}",
    help="The store: an SQLite file, or a PostgreSQL database as postgresql://USER@HOST:PORT/DB.",
)
jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(0, 64), default=0, show_default=True,
    help="Worker processes; 0: one per core (at most 8), none for a single record.",
)
bench_jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes."
)
progress_option = click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal)."
)
dask_option = click.option(
    "--dask", default=None, metavar="local|tcp://HOST:PORT",
    help="Run extraction and annotation as Dask tasks: on a LocalCluster of --jobs worker processes (0: one per"
         " core), or on the cluster of the scheduler at this address.",
)


class ClusterProblem(click.ClickException):
    """A --dask cluster that cannot be reached or started, or is lost mid-run: one line on stderr, exit 2."""

    exit_code = 2


class StoreProblem(click.ClickException):
    """A store that cannot be opened: one line on stderr, exit 2 (a usage error)."""

    exit_code = 2


class StoreWriteProblem(click.ClickException):
    """A store that stopped taking writes mid-command (locked by another writer, disk full): one line,
    exit 1. What the command had not committed is rolled back; the store stays as it was."""

    exit_code = 1


class NewsprismGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as error:
            raise StoreProblem(str(error)) from error
        except STORE_WRITE_ERRORS as error:
            raise StoreWriteProblem(store_write_problem(error)) from error
        except ClusterError as error:
            raise ClusterProblem(str(error)) from error


@click.group(cls=NewsprismGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsprism")
def main() -> None:
    """newsprism: raw news pages in; clean articles, stories and comparisons out."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@jobs_option
@progress_option
def extract(paths: tuple[Path, ...], jobs: int, progress: bool | None) -> None:
    """Print one Article (JSON) per article found in PATHS (files or folders)."""
    failures: list[InputError] = []
    for article in _extracted(paths, jobs, progress, "extract", failures):
        print_json(article.to_dict())
    sys.exit(1 if failures else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@jobs_option
@dask_option
@progress_option
@click.option("--batch", type=click.IntRange(1), default=pipeline.INGEST_BATCH, show_default=True,
              help="Records per write transaction; an interrupted ingest keeps every finished batch.")
def ingest(paths: tuple[Path, ...], db: str, jobs: int, dask: str | None, progress: bool | None, batch: int) -> None:
    """Extract the articles in PATHS and add them to the store (idempotent)."""
    with Store(db) as store, _progress_bar(paths, progress, "ingest") as bar:
        outcomes = pipeline.extract_paths(paths, jobs, bar.update, annotate=True, dask=dask)
        report = pipeline.ingest(_reporting_errors(outcomes), store, batch)
    for failure in report.failed_stages:
        report_error(failure)
    click.echo(f"ingested into {db}: {json.dumps(report.to_dict())}", err=True)
    sys.exit(1 if report.errors else 0)


@main.command()
@click.argument("sources", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.option("--once", is_flag=True, help="One round, then exit (1 when some fetches failed).")
@click.option("--interval", type=click.FloatRange(1), default=600.0, show_default=True,
              help="Seconds from the start of one round to the next.")
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the WARC files go  [default: DB.warc/ beside an SQLite store, ./newsprism-warc/ for"
                   " PostgreSQL]")
@click.option("--jobs", "-j", type=click.IntRange(0, 64), default=1, show_default=True,
              help="Worker processes that extract and annotate the fetched pages, started each round (0: one per"
                   " core, at most 8).")
@dask_option
@progress_option
def watch(sources: Path, db: str, once: bool, interval: float, warc_dir: Path | None, jobs: int,
          dask: str | None, progress: bool | None) -> None:
    """Poll the outlets in SOURCES (TOML), fetch new and changed articles politely, archive every response
    as WARC and ingest the articles. Runs until stopped (Ctrl-C), unless --once."""
    from newsprism.watch import SourcesError, load_sources, watch_sources

    try:
        config = load_sources(sources)
    except SourcesError as error:
        raise click.UsageError(str(error)) from error
    warc_dir = warc_dir or (Path("newsprism-warc") if is_postgres(db) else Path(f"{db}.warc"))
    failed = False

    bar = tqdm(desc="watch", unit=" pages", disable=_no_bar(progress), file=sys.stderr)

    def summary(report: Any) -> None:
        nonlocal failed
        for error in report.errors:
            report_error(error)
        failed = failed or bool(report.errors)
        tqdm.write(f"watched into {db}: {json.dumps(report.to_dict())}", file=sys.stderr)
        if not once:
            bar.reset()  # each round counts its own pages

    stop = threading.Event()

    def stopping(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("newsprism: watch: stopping after the pages in flight (again to stop at once)", err=True)

    signal.signal(signal.SIGINT, stopping)
    signal.signal(signal.SIGTERM, stopping)
    with Store(db) as store, bar:
        watch_sources(config, store, warc_dir, once=once, interval=interval, stop=stop, on_round=summary, jobs=jobs,
                      dask=dask, on_page=bar.update)
    sys.exit(1 if once and failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--layers", default=None, help="Comma-separated layers  [default: every available layer]")
@click.option("--dct", default=None, help="Document creation date (YYYY-MM-DD) for relative time expressions.")
@jobs_option
def annotate(paths: tuple[Path, ...], layers: str | None, dct: str | None, jobs: int) -> None:
    """Annotate each file as already-clean text: one JSON object per file (interfaces.md)."""
    from newsprism.annotate.registry import available_layers

    names = _layer_names(layers, available_layers())
    if dct is not None and (len(dct) != 10 or to_iso(dct) != dct):
        raise click.UsageError(f"--dct {dct!r} is not a date YYYY-MM-DD")
    failed = 0
    for result in pipeline.annotate_paths(paths, names, dct, jobs=jobs):
        if isinstance(result, InputError):
            failed += 1
            report_error(result)
            continue
        print_json(result)
        for error in pipeline.failure_errors(result["source"], map(Failure.from_dict, result.get("failures", []))):
            failed += 1
            report_error(error)
    sys.exit(1 if failed else 0)


@main.command()
@db_option
@click.option("--layers", default=None, help="Comma-separated layers  [default: every available layer]")
@jobs_option
@dask_option
@progress_option
def analyze(db: str, layers: str | None, jobs: int, dask: str | None, progress: bool | None) -> None:
    """Annotate the stored articles again and agree names across the store (and link any unlinked article)."""
    from newsprism.annotate.registry import available_layers

    _require_store(db)
    names = _layer_names(layers, available_layers())
    with Store(db) as store:
        total = store.counts()["articles"]
        with tqdm(total=total, desc="analyze", unit=" articles", disable=_no_bar(progress), file=sys.stderr) as bar:
            report = pipeline.analyze(store, names, bar.update, jobs, dask)
    for failure in report.errors:
        report_error(failure)
    click.echo(f"analyzed {db}: {json.dumps(report.to_dict())}", err=True)
    sys.exit(1 if report.errors else 0)


@main.command()
@db_option
@jobs_option
@dask_option
@progress_option
def reextract(db: str, jobs: int, dask: str | None, progress: bool | None) -> None:
    """Extract every stored raw input again with the current extractor."""
    _require_store(db)
    with Store(db) as store:
        total = store.counts()["raw_inputs"]
        with tqdm(total=total, desc="reextract", unit=" records", disable=_no_bar(progress), file=sys.stderr) as bar:
            report = pipeline.reextract(store, bar.update, jobs, dask)
    for failure in report.errors:
        report_error(failure)
    click.echo(f"re-extracted {db}: {json.dumps(report.to_dict())}", err=True)
    sys.exit(1 if report.errors else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@jobs_option
@progress_option
def link(paths: tuple[Path, ...], jobs: int, progress: bool | None) -> None:
    """Group the articles found in PATHS into events and storylines: one JSON line per article (interfaces.md)."""
    from newsprism.link import link_articles

    failures: list[InputError] = []
    articles = list(_extracted(paths, jobs, progress, "link", failures))
    linked = link_articles(articles)
    for article in articles:
        print_json({"source": article.source, "id": article.id, "story": linked.story_of[article.id],
                    "event": linked.event_of[article.id], "title": article.title, "outlet": article.outlet,
                    "published": article.published})
    sys.exit(1 if failures else 0)


@main.command()
@db_option
def relink(db: str) -> None:
    """Rebuild every event and storyline of the store from scratch (ingest links only new articles)."""
    _require_store(db)
    with Store(db) as store:
        stories = pipeline.relink_store(store)
        events = len(store.events())
    click.echo(f"relinked {db}: {json.dumps({'events': events, 'stories': stories})}", err=True)


@main.command()
@click.argument("story")
@db_option
@click.option("--format", "fmt", type=click.Choice(["html", "md", "json"]), default="html", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the report here.")
def report(story: str, db: str, fmt: str, out: Path | None) -> None:
    """How each outlet told STORY (a storyline or an event id of the store): timeline, conflicts, quotes,
    omissions, naming."""
    from newsprism.report import story_report

    _require_store(db)
    with Store(db) as store:
        living = store.resolve(story)
        articles = store.story_articles(living) or store.event_articles(living)
    if not articles:
        raise click.UsageError(f"no story or event {story!r} in {db} (ids: `newsprism link` or the web UI)")
    try:
        text = story_report(articles, fmt)
    except Exception as error:  # the edge of the compare stage: one line, exit 1
        raise click.ClickException(f"the comparison of {story} failed: {Failure.of('compare', '', error).reason}") \
            from error
    write_text(text, out)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]), default="json", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the profiles here.")
def outlets(db: str, fmt: str, out: Path | None) -> None:
    """Outlet profiles over the store's stories: coverage, how often first, how often a copy, technique rates."""
    from newsprism.report import profiles_report

    _require_store(db)
    with Store(db) as store:
        stories = {story.id: store.story_articles(story.id) for story in store.stories()}
    write_text(profiles_report(stories, fmt), out)


@main.command()
@click.argument("query", nargs=-1, required=True)
@db_option
@click.option("--outlet", help="Only this outlet (exact name).")
@click.option("--language", help="Only this language (ISO 639-1).")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
def search(query: tuple[str, ...], db: str, **filters: Any) -> None:
    """Full-text search of the store; one JSON hit per line, best first."""
    _require_store(db)
    with Store(db) as store:
        try:
            hits = store.search(" ".join(query), **filters)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    for hit in hits:
        print_json(hit.to_dict())


@main.command()
@click.option(
    "--corpus", type=click.Path(file_okay=False, path_type=Path), default=None, help="Sample corpus folder."
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("var/demo"), show_default=True)
@jobs_option
def demo(corpus: Path | None, out: Path, jobs: int) -> None:
    """Run the whole pipeline on the bundled sample corpus and say where the results are."""
    from newsprism.demo import EXAMPLE_SOURCES, SAMPLE_QUERY, find_corpus, run_demo

    folder = find_corpus(corpus)
    if folder is None:
        raise click.UsageError(f"{corpus or 'corpus/'}: sample corpus not found (pass --corpus DIR)")
    summary = run_demo(folder, out, jobs)
    for failure in summary.report.errors:
        report_error(failure)
    click.echo(f"newsprism demo: {sum(summary.outlets.values())} articles from {len(summary.outlets)} outlets")
    for outlet, count in summary.outlets.most_common():
        click.echo(f"  {count:3d}  {outlet}")
    click.echo(f"ingest:   {json.dumps(summary.report.to_dict())}")
    for hit in summary.sample_hits:
        click.echo(f"search {SAMPLE_QUERY!r}: {hit.outlet}: {hit.title}")
    click.echo(f"stories:  {len(summary.stories)}, the largest:")
    for story in summary.stories[:5]:
        click.echo(f"  {len(story.article_ids):3d}  {story.id}  {story.title}")
    if summary.report_path:
        click.echo(f"report:   {summary.report_path}  (any story: newsprism report STORY --db {summary.db_path})")
    click.echo(f"store:    {summary.db_path}  (try: newsprism search --db {summary.db_path} WORDS)")
    click.echo(f"articles: {summary.jsonl_path}")
    click.echo(f"watch:    newsprism watch {EXAMPLE_SOURCES} --db {summary.db_path}  (real outlets' feeds and"
               " sites, polled every 10 minutes; edit the list, and put a contact in it)")
    sys.exit(1 if summary.report.errors else 0)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (default: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--check", is_flag=True,
              help="Start on a free port, fetch every page kind once, stop; exit 1 on an error.")
def serve(db: str, host: str, port: int, check: bool) -> None:
    """Serve the web UI and REST API over the store (uploads need $NEWSPRISM_TOKEN)."""
    from newsprism.serve import serve as run_server
    from newsprism.serve import smoke_check

    _require_store(db)
    if check:
        statuses = smoke_check(db)
        for path, status in statuses.items():
            click.echo(f"{status} {path}", err=True)
        sys.exit(0 if set(statuses.values()) == {200} else 1)
    click.echo(f"newsprism: serving {db} at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    run_server(db, host, port)


@main.group()
def techniques() -> None:
    """Propaganda techniques (SemEval-2020 Task 11)."""


@techniques.command("classify")
@click.option("--spans", "spans_path", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Rows doc_id<TAB>start<TAB>end (the task's doc_id<TAB>?<TAB>start<TAB>end also works).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def techniques_classify(spans_path: Path, paths: tuple[Path, ...]) -> None:
    """One technique per span row, printed as doc_id<TAB>technique<TAB>start<TAB>end in the same order."""
    from newsprism.annotate.techniques import classify_rows, read_span_rows, texts_by_id

    try:
        lines = classify_rows(read_span_rows(spans_path), texts_by_id(list(paths)))
    except InputError as error:
        report_error(error)
        sys.exit(1)
    for line in lines:
        click.echo(line)


@main.group()
def bench() -> None:
    """Benchmarks that print the figures quoted in the README."""


@bench.command("extract")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Extraction dev set folder  [default: ../shared/data/extraction beside the checkout]",
)
@click.option("--mode", type=click.Choice(["html", "dump", "both"]), default="both", show_default=True)
@click.option("--split", type=click.Choice(["tune", "holdout", "all"]), default="all", show_default=True)
@click.option("--baseline/--no-baseline", default=True, show_default=True, help="Also run trafilatura.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N pages.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write JSON here.")
@bench_jobs_option
def bench_extract(
    data: Path | None, mode: str, split: str, baseline: bool, limit: int | None, out: Path | None, jobs: int
) -> None:
    """Extraction figures on the trafilatura evaluation pages, as HTML and as rendered dumps."""
    from newsprism.bench import extract as extract_bench

    data = data or extract_bench.DEFAULT_DATA_DIR
    if not (data / "evaldata.json").is_file():
        raise click.UsageError(f"{data}: no evaldata.json (pass --data DIR)")
    modes = ["html", "dump"] if mode == "both" else [mode]
    results = extract_bench.run(data, modes, split, baseline, limit, workers=jobs)
    click.echo(extract_bench.format_table(results))
    if out:
        out.write_text(json.dumps(results, indent=2), encoding="utf-8")


@bench.command("timex")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="TimeBank+AQUAINT folder  [default: ../shared/data/timex beside the checkout]")
@click.option("--split", type=click.Choice(["tune", "holdout", "all"]), default=None,
              help="One split  [default: tune and holdout]")
def bench_timex(data: Path | None, split: str | None) -> None:
    """TempEval-3 figures of the timex layer (strict/relaxed extraction, type, value, value F1)."""
    from newsprism.bench import timex as timex_bench

    data = data or timex_bench.DEFAULT_DATA_DIR
    if not data.is_dir():
        raise click.UsageError(f"{data}: no TimeBank+AQUAINT folder (pass --data DIR)")
    for name in [split] if split else ["tune", "holdout"]:
        click.echo(timex_bench.format_table(timex_bench.run(data, name)))


@bench.command("quotes")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="PolNeAR folder  [default: ../shared/data/quotes beside the checkout]")
@click.option("--split", type=click.Choice(["train", "dev"]), default="dev", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N articles of the split.")
def bench_quotes(data: Path | None, split: str, limit: int | None) -> None:
    """Quote figures on PolNeAR: content exact and >=30%-overlap P/R/F1, cue/source token F1, speaker accuracy."""
    from newsprism.bench import quotes as quotes_bench

    data = data or quotes_bench.DEFAULT_DATA_DIR
    if not (data / split / "attributions").is_dir():
        raise click.UsageError(f"{data}: no PolNeAR {split} split (pass --data DIR)")
    click.echo(quotes_bench.format_table(quotes_bench.run(data, split, limit)))


@bench.command("names")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder  [default: ../shared/data beside the checkout]")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N texts.")
@bench_jobs_option
def bench_names(data: Path | None, limit: int | None, jobs: int) -> None:
    """Names on real texts: PERSON mentions that are gazetteer places; names changed when the store grows 10 %."""
    from newsprism.bench import SHARED_DATA
    from newsprism.bench import names as names_bench

    data = data or SHARED_DATA
    if not names_bench.texts(data):
        raise click.UsageError(f"{data}: no real texts (pass --data DIR)")
    click.echo(names_bench.format_table(names_bench.run(data, jobs, limit)))


@bench.command("compare")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Stories folder  [default: ../shared/data/stories beside the checkout]")
@click.option("--split", type=click.Choice(["train", "dev", "both"]), default="both", show_default=True)
@click.option("--show", is_flag=True, help="Also print every reported conflict with its evidence and the gold's call")
def bench_compare(data: Path | None, split: str, show: bool) -> None:
    """Facts in conflict on ECB+ against our fact gold: conflicts found, facts in agreement falsely in conflict."""
    from newsprism.bench import compare as compare_bench
    from newsprism.bench import link as link_bench

    data = data or link_bench.DEFAULT_DATA_DIR
    if not (data / "gold.tsv").is_file():
        raise click.UsageError(f"{data}: no gold.tsv (pass --data DIR)")
    if not compare_bench.FACT_GOLD.is_file():
        raise click.UsageError(f"{compare_bench.FACT_GOLD}: no fact gold")
    splits = ["train", "dev"] if split == "both" else [split]
    results = [compare_bench.run(s, data) for s in splits]
    if show:
        click.echo(compare_bench.format_conflicts(results))
    click.echo(compare_bench.format_table(results))


@bench.command("link")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Stories folder  [default: ../shared/data/stories beside the checkout]")
@click.option("--split", type=click.Choice(["train", "dev", "both", "none"]), default="both", show_default=True)
@click.option("--tune", is_flag=True, help="Pick the event threshold on ECB+ train and the storyline settings on"
              " TimeBank+AQUAINT first (prints the grids).")
@click.option("--sizes", default="", help="Scale benchmark sizes, e.g. 10000,50000,100000.")
@click.option("--incremental", default="", help="Store sizes to ingest new articles into, e.g. 10000,100000.")
@click.option("--new", "new", type=click.IntRange(1), default=1000, show_default=True,
              help="Articles ingested into each store by --incremental.")
def bench_link(data: Path | None, split: str, tune: bool, sizes: str, incremental: str, new: int) -> None:
    """Events and storylines on ECB+ train/dev and TimeBank+AQUAINT; with --sizes, time and memory at scale;
    with --incremental, ingest time into stores of those sizes against a full relink."""
    from newsprism.bench import link as link_bench
    from newsprism.demo import find_corpus

    data = data or link_bench.DEFAULT_DATA_DIR
    if split != "none" and not (data / "gold.tsv").is_file():
        raise click.UsageError(f"{data}: no gold.tsv (pass --data DIR)")
    scale_sizes, store_sizes = _sizes("--sizes", sizes), _sizes("--incremental", incremental)
    threshold, story_params = None, None
    if tune:
        threshold, grid = link_bench.tune(data)
        click.echo(f"tuned on train: threshold {threshold}\n" + link_bench.format_table({"quality": grid}))
        story_params, story_grid = link_bench.tune_storylines()
        click.echo(f"storylines tuned on TimeBank+AQUAINT: {story_params}\n"
                   + link_bench.format_storyline_grid(story_grid))
    results = link_bench.run(data, {"both": list(link_bench.SPLITS), "none": []}.get(split, [split]), threshold,
                             story_params)
    if scale_sizes:
        results.update(link_bench.run_scale(scale_sizes, data, find_corpus(None)))
    if store_sizes:
        results.update(link_bench.run_incremental(store_sizes, new, data, find_corpus(None)))
    click.echo(link_bench.format_table(results))


def _sizes(option: str, value: str) -> list[int]:
    try:
        return [int(size) for size in value.split(",") if size.strip()]
    except ValueError as error:
        raise click.UsageError(f"{option} {value!r}: give whole numbers separated by commas") from error


@bench.command("techniques")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="PTC folder  [default: ../shared/data/ptc beside the checkout]")
@click.option("--part", type=click.Choice(["validation", "tune", "fitting", "all"]), default="validation",
              show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N articles.")
@bench_jobs_option
def bench_techniques(data: Path | None, part: str, limit: int | None, jobs: int) -> None:
    """SemEval-2020 Task 11 figures (SI span F1, TC micro-F1, per technique), speed and memory."""
    from newsprism.bench import techniques as techniques_bench

    data = data or techniques_bench.DEFAULT_DATA_DIR
    if not (data / "train").is_dir():
        raise click.UsageError(f"{data}: no PTC train folder (pass --data DIR)")
    click.echo(techniques_bench.format_table(techniques_bench.run(data, part, limit, jobs)))


@bench.command("annotate")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Sample corpus folder  [default: the bundled corpus/]")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Extraction dev set folder  [default: ../shared/data/extraction beside the checkout]")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True,
              help="Extraction dev pages to time.")
def bench_annotate(corpus: Path | None, data: Path | None, limit: int) -> None:
    """Articles per second of the entities, quotes and timex layers against the spaCy parse alone."""
    from newsprism.bench import annotate as annotate_bench
    from newsprism.demo import find_corpus

    corpus = find_corpus(corpus)
    if corpus is None:
        raise click.UsageError("no sample corpus found (pass --corpus DIR)")
    data = data or annotate_bench.DEFAULT_EXTRACTION_DIR
    click.echo(annotate_bench.format_table(annotate_bench.run(corpus, data, limit)))


@bench.command("robust")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder  [default: ../shared/data beside the checkout]")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N texts of each corpus.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write JSON here.")
@bench_jobs_option
@progress_option
def bench_robust(data: Path | None, limit: int | None, out: Path | None, jobs: int, progress: bool | None) -> None:
    """Extraction and every layer over every real text: failures by step, median and slowest article."""
    from newsprism.bench import SHARED_DATA, robust

    data = data or SHARED_DATA
    found = robust.chosen_items(data, limit)
    if not found:
        raise click.UsageError(f"{data}: no texts (pass --data DIR, the folder holding extraction/, stories/, ...)")
    with tqdm(total=len(found), desc="robust", unit=" texts", disable=_no_bar(progress), file=sys.stderr) as bar:
        results = robust.run(data, jobs, limit, bar.update)
    if out:
        write_text(json.dumps(results, indent=1), out)
    click.echo(robust.format_table(results))


@bench.command("serve")
@click.option("--articles", type=click.IntRange(100, 1_000_000), default=None,
              help="Articles in the generated store  [default: 10,000; 2,000 with --load]")
@click.option("--repeats", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--source-db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Annotated store to copy (default: the sample corpus, ingested).")
@click.option("--load", is_flag=True, help="Concurrent clients while an ingest writes to the served store.")
@click.option("--clients", type=click.IntRange(1, 64), default=8, show_default=True, help="With --load.")
@click.option("--seconds", type=click.IntRange(1, 600), default=30, show_default=True, help="With --load.")
def bench_serve(articles: int | None, repeats: int, source_db: Path | None, load: bool, clients: int,
                seconds: int) -> None:
    """Page load times of the web UI and API on a generated store; with --load, latency percentiles of
    concurrent clients (loopback only) while an ingest writes to the same store, and the ingest's slowdown."""
    from newsprism.bench import serve as serve_bench

    if load:
        results = serve_bench.run_load(articles or 2_000, clients, seconds, source_db)
        click.echo(serve_bench.format_load_table(results))
        return
    click.echo(serve_bench.format_table(serve_bench.run(articles or 10_000, repeats, source_db)))


@bench.command("watch")
@click.option("--copies", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Times each sample article is published by the loopback outlets.")
@click.option("--delay", type=click.FloatRange(0), default=0.5, show_default=True,
              help="per_host_delay of the politeness run, seconds.")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The sample corpus  [default: the checkout's corpus/]")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the JSON here.")
def bench_watch(copies: int, delay: float, corpus: Path | None, out: Path | None) -> None:
    """Pages/s of `newsprism watch` against loopback outlets, and the politeness it keeps (measured gaps)."""
    from newsprism.bench import watch as watch_bench
    from newsprism.demo import find_corpus

    found = find_corpus(corpus)
    if found is None:
        raise click.UsageError("no sample corpus found: pass --corpus DIR")
    results = watch_bench.run(found, copies, delay)
    if out:
        write_text(json.dumps(results, indent=1), out)
    click.echo(watch_bench.format_tables(results))


@bench.command("scale")
@click.option("--sizes", default="1000", show_default=True,
              help="Articles per `newsprism ingest` with every layer, comma-separated.")
@click.option("--store-sizes", default="10000,100000", show_default=True,
              help="Articles stored and linked without annotation, comma-separated.")
@click.option("--pg", "pg_url", default=None, metavar="URL",
              help="A PostgreSQL server's maintenance database (postgresql://USER@HOST:PORT/postgres), where"
                   " throwaway databases are made  [default: a throwaway server on loopback]")
@click.option("--clients", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--seconds", type=click.IntRange(1, 600), default=20, show_default=True, help="Of reading load.")
@click.option("--only", type=click.Choice(["stages", "ingest", "store", "readers"]), multiple=True,
              help="Run these parts only (repeatable).")
@click.option("--executor", "executors", type=click.Choice(["process", "pool", "dask"]), multiple=True,
              help="Ingest with these only (repeatable)  [default: all three]")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write JSON here.")
@click.option("--store", "stores", type=click.Choice(["sqlite", "postgresql"]), multiple=True,
              help="Measure on these stores only (repeatable)  [default: both]")
def bench_scale(sizes: str, store_sizes: str, pg_url: str | None, clients: int, seconds: int,
                only: tuple[str, ...], executors: tuple[str, ...], stores: tuple[str, ...], out: Path | None) -> None:
    """Per-stage cost per core, ingest throughput and peak memory (one process, the local pool, a Dask
    LocalCluster; SQLite and PostgreSQL), and latency under concurrent readers: the figures of
    docs/scaling.md."""
    from newsprism.bench import scale

    def progress(part: str, store: str, row: dict[str, Any]) -> None:
        click.echo(f"{part} {store}: {json.dumps(row)}", err=True)

    results = scale.run(_sizes("--sizes", sizes), _sizes("--store-sizes", store_sizes), pg_url, clients, seconds,
                        parts=only or ("stages", "ingest", "store", "readers"), on_result=progress,
                        executors=tuple(scale.EXECUTOR_NAMES[e] for e in executors) or tuple(scale.EXECUTORS),
                        stores=tuple(scale.STORE_NAMES[s] for s in stores) or tuple(scale.STORE_NAMES.values()))
    if out:
        write_text(json.dumps(results, indent=1), out)
    click.echo(scale.format_tables(results))


def print_json(data: dict[str, Any]) -> None:
    try:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    except BrokenPipeError:
        raise  # the reader went away (`| head`): Python exits quietly
    except OSError as error:
        raise click.ClickException(f"cannot write output: {error.strerror or error}") from error


def write_text(text: str, out: Path | None) -> None:
    """To the file ``out``, else to stdout."""
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror or error}") from error


def report_error(error: InputError) -> None:
    # tqdm.write keeps a running progress bar intact below the message.
    tqdm.write(f"newsprism: error: {error.source}: {error.reason}", file=sys.stderr)


def _extracted(
    paths: tuple[Path, ...], jobs: int, progress: bool | None, label: str, failures: list[InputError]
) -> Iterator[Article]:
    """The articles in ``paths`` with a progress bar; each failure is reported and appended to ``failures``."""
    with _progress_bar(paths, progress, label) as bar:
        for _record, result in pipeline.extract_paths(paths, jobs, bar.update):
            if isinstance(result, InputError):
                failures.append(result)
                report_error(result)
            else:
                yield result


def _reporting_errors(outcomes: Iterable[T]) -> Iterator[T]:
    """The outcomes, each failed input and each layer that failed on an article reported as it passes."""
    for outcome in outcomes:
        result = outcome[1]  # type: ignore[index]
        errors = [result] if isinstance(result, InputError) else pipeline.failure_errors(result.source, result.failures)
        for error in errors:
            report_error(error)
        yield outcome


def _no_bar(progress: bool | None) -> bool:
    """Progress bars show by default only when stderr is a terminal, so logs stay clean."""
    return not sys.stderr.isatty() if progress is None else not progress


def _progress_bar(paths: tuple[Path, ...], progress: bool | None, label: str) -> tqdm:
    """A bar over input files."""
    disable = _no_bar(progress)
    total = None if disable else count_inputs(paths)
    return tqdm(total=total, desc=label, unit=" files", disable=disable, file=sys.stderr)


def _layer_names(layers: str | None, available: list[str]) -> list[str]:
    """The layers asked for (default: every available one); unknown or unavailable ones are usage errors."""
    from newsprism.annotate.registry import LAYER_MODULES

    names = [n.strip() for n in layers.split(",") if n.strip()] if layers else available
    for name in names:
        if name not in LAYER_MODULES:
            raise click.UsageError(f"unknown layer {name!r} (layers: {', '.join(LAYER_MODULES)})")
        if name not in available:
            raise click.UsageError(f"layer {name!r} is not available (available: {', '.join(available)})")
    return names


def _require_store(db: str) -> None:
    """An SQLite store must exist already (a mistyped name would make an empty one); a PostgreSQL
    database is checked when it is opened."""
    if not is_postgres(db) and not Path(db).is_file():
        raise click.UsageError(f"{db}: no such store (run `newsprism ingest` first or pass --db)")


if __name__ == "__main__":
    main()
