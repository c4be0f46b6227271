"""`newsprism demo`: the whole pipeline that exists so far, on the bundled sample corpus."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsprism import pipeline
from newsprism.model import Story
from newsprism.report import story_report
from newsprism.store import SearchHit, Store

REPO_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
EXAMPLE_SOURCES = "examples/sources.toml"  # in a source checkout: real outlets for `newsprism watch`
CORPUS_PARTS = ("dumps", "html", "warc", "feeds", "exports")
SAMPLE_QUERY = "minister"


@dataclass
class DemoSummary:
    corpus: Path
    db_path: Path
    jsonl_path: Path
    report: pipeline.IngestReport
    outlets: Counter[str]
    sample_hits: list[SearchHit]
    stories: list[Story]
    report_path: Path | None


def find_corpus(corpus: Path | None) -> Path | None:
    """The given folder, else $NEWSPRISM_CORPUS, else the corpus/ folder of a source checkout."""
    candidate = corpus or Path(os.environ.get("NEWSPRISM_CORPUS", REPO_CORPUS))
    return candidate if candidate.is_dir() else None


def run_demo(corpus: Path, out: Path, jobs: int = 1) -> DemoSummary:
    out.mkdir(parents=True, exist_ok=True)
    db_path, jsonl_path = out / "newsprism.sqlite", out / "articles.jsonl"
    inputs = [corpus / name for name in CORPUS_PARTS if (corpus / name).exists()]
    with Store(db_path) as store:
        report = pipeline.ingest(pipeline.extract_paths(inputs, jobs, annotate=True), store)
        articles = list(store.articles())
        with jsonl_path.open("w", encoding="utf-8") as handle:
            for article in articles:
                handle.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        hits = store.search(SAMPLE_QUERY, limit=3)
        stories = sorted(store.stories(), key=lambda s: (-len(s.article_ids), s.id))
        report_path = _write_report(store, stories[0], out) if stories else None
    outlets = Counter(a.outlet or "(unknown outlet)" for a in articles)
    return DemoSummary(corpus, db_path, jsonl_path, report, outlets, hits, stories, report_path)


def _write_report(store: Store, story: Story, out: Path) -> Path:
    """The html comparison of the biggest story, one file to open in a browser."""
    path = out / "story-report.html"
    path.write_text(story_report(store.story_articles(story.id), "html"), encoding="utf-8")
    return path
