"""Failures are data: a layer or a worker that fails on one article costs that layer or that input only.

The layers are real; to make one fail on demand (the real crashes these tests stand for are fixed and
have their own regression tests in test_quotes.py and test_timex.py), the quotes component is wrapped
so that it raises on the gadget page, as it did on a real shopping-list page.
"""

from __future__ import annotations

import json
import os
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism import pipeline
from newsprism.annotate import registry
from newsprism.cli import main
from newsprism.errors import InputError
from newsprism.model import Failure
from newsprism.pipeline import WORKER_DIED, in_workers
from newsprism.serve import create_app
from newsprism.serve.app import background_server
from newsprism.store import Store

PAGES = Path(__file__).parent / "fixtures" / "failures"
CRASH = "ValueError: min() arg is an empty sequence"


@pytest.fixture
def quotes_fail_on_gadgets(monkeypatch: pytest.MonkeyPatch) -> None:
    registry.available_layers()
    real = registry._REGISTRY["quotes"]

    def fragile(text: str, dct: str | None) -> list[dict]:
        if "See it now" in text:
            min([])  # the same error the real page raised
        return real.run(text, dct)

    monkeypatch.setitem(registry._REGISTRY, "quotes", registry.Registered("quotes", real.version, fragile))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def stored(db: Path) -> dict[str, object]:
    with Store(db) as store:
        return {a.title: store.article(a.id) for a in store.articles()}


def test_a_layer_that_fails_costs_that_layer_only_and_analyze_retries_it(
    tmp_path: Path, quotes_fail_on_gadgets: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.sqlite"
    code, _, stderr = run("ingest", "--db", str(db), "--jobs", "1", str(PAGES))
    errors = [line for line in stderr.splitlines() if line.startswith("newsprism: error:")]
    assert code == 1 and errors == [f"newsprism: error: {PAGES / 'gadgets.html'}: quotes: {CRASH}"]
    assert '"new": 2' in stderr and '"failed_layers": 1' in stderr
    articles = stored(db)
    gadgets = next(a for title, a in articles.items() if "gadgets" in title)
    council = next(a for title, a in articles.items() if "footbridge" in title)
    assert gadgets.failures == [Failure("annotate", "quotes", CRASH)] and council.failures == []
    assert set(gadgets.layers) == set(registry.available_layers()) - {"quotes"}
    assert set(council.layers) == set(registry.available_layers())

    with background_server(create_app(db, annotate=False)) as base:
        api = json.load(urllib.request.urlopen(f"{base}/api/articles/{gadgets.id}"))
        page = urllib.request.urlopen(f"{base}/articles/{gadgets.id}").read().decode()
    assert api["failures"] == [{"stage": "annotate", "layer": "quotes", "reason": CRASH}]
    assert 'id="article-failures"' in page and "the quotes layer failed" in page and "min() arg" in page

    monkeypatch.undo()  # the layer is fixed ("a model update"): analyze runs it again
    code, _, stderr = run("analyze", "--db", str(db), "--jobs", "1")
    assert code == 0 and '"failed_layers": 0' in stderr
    again = stored(db)
    assert all(a.failures == [] and "quotes" in a.layers for a in again.values())


def test_annotate_prints_the_other_layers_and_one_error_line(tmp_path: Path, quotes_fail_on_gadgets: None) -> None:
    page = tmp_path / "gadgets.txt"
    page.write_text("A magnetic knife strip keeps blades off the counter, tester Mira Jansen said. See it now\n")
    code, stdout, stderr = run("annotate", "--layers", "timex,quotes,entities", str(page))
    [doc] = [json.loads(line) for line in stdout.splitlines()]
    assert code == 1 and stderr.strip() == f"newsprism: error: {page}: quotes: {CRASH}"
    assert "quotes" not in doc and doc["entities"] and doc["failures"] == [
        {"stage": "annotate", "layer": "quotes", "reason": CRASH}]


def test_a_linking_failure_keeps_the_articles_and_the_next_ingest_links_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(store: object) -> None:
        raise RuntimeError("the linker fell over")

    db = tmp_path / "store.sqlite"
    monkeypatch.setattr(pipeline, "link_new", broken)
    code, _, stderr = run("ingest", "--db", str(db), "--jobs", "1", str(PAGES))
    errors = [line for line in stderr.splitlines() if line.startswith("newsprism: error:")]
    assert code == 1 and errors == ["newsprism: error: (linking): linking failed: RuntimeError: the linker fell over"]
    assert len(stored(db)) == 2 and '"failed_stages": 1' in stderr
    monkeypatch.undo()
    code, _, stderr = run("ingest", "--db", str(db), "--jobs", "1", str(PAGES))
    assert code == 0 and '"unchanged": 2' in stderr and '"stories": 0' not in stderr


def test_a_comparison_that_fails_costs_the_comparison_not_the_page(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    assert run("ingest", "--db", str(db), "--jobs", "1", str(PAGES))[0] == 0
    with Store(db) as store:
        story = store.stories()[0].id

    def broken(articles: list) -> dict:
        raise ValueError("no comparison today")

    with background_server(create_app(db, annotate=False, comparer=broken)) as base:
        page = urllib.request.urlopen(f"{base}/stories/{story}").read().decode()
        api = json.load(urllib.request.urlopen(f"{base}/api/stories/{story}"))
        with pytest.raises(urllib.error.HTTPError) as only:
            urllib.request.urlopen(f"{base}/api/stories/{story}/comparison")
    assert 'id="comparison-failure"' in page and "ValueError: no comparison today" in page and "<article" in page
    assert api["comparison"] is None and api["comparison_failure"] == "ValueError: no comparison today"
    assert only.value.code == 500


class Named:
    def __init__(self, source: str) -> None:
        self.source = source


def upper_or_die(item: Named) -> str:
    """Work that kills its own worker process on one input, as a crash in native code would."""
    if item.source == "poison":
        os.kill(os.getpid(), signal.SIGKILL)
    return item.source.upper()


def test_a_worker_killed_by_one_input_costs_that_input_only() -> None:
    items = iter([Named(s) for s in ("a", "b", "poison", "c", "d")])
    results = [result for _, result in in_workers(upper_or_die, items, Named, jobs=2)]
    assert results[:2] == ["A", "B"] and results[3:] == ["C", "D"]
    assert isinstance(results[2], InputError) and (results[2].source, results[2].reason) == ("poison", WORKER_DIED)
