"""`newsprism bench robust` on a small data folder laid out like ../shared/data, with texts written here."""

from __future__ import annotations

import gzip
from pathlib import Path

from click.testing import CliRunner

from newsprism.bench import robust
from newsprism.cli import main
from newsprism.model import Failure

PAGES = Path(__file__).parent / "fixtures" / "failures"


def data_folder(tmp_path: Path) -> Path:
    (tmp_path / "extraction" / "html").mkdir(parents=True)
    for page in PAGES.glob("*.html"):
        (tmp_path / "extraction" / "html" / f"{page.stem}.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    (tmp_path / "stories" / "docs").mkdir(parents=True)
    (tmp_path / "stories" / "docs" / "1_1ecb.txt").write_text(
        "Footbridge approved.\n\nHarrow's council voted on Thursday to build a footbridge, its leader said.")
    (tmp_path / "quotes" / "dev" / "text").mkdir(parents=True)
    (tmp_path / "quotes" / "dev" / "text" / "a.txt").write_text(
        '"We waited long enough," said council leader Tomas Okafor on Thursday.')
    return tmp_path


def test_every_text_runs_every_step_and_nothing_fails(tmp_path: Path) -> None:
    results = robust.run(data_folder(tmp_path), jobs=1)
    assert results["texts"] == {"extraction": 2, "stories": 1, "quotes": 1} and results["failed"] == 0
    layers = set(results["steps"]) - {"extract html", "extract dump"}
    assert {"extract html", "extract dump"} <= set(results["steps"]) and layers >= {"entities", "quotes", "timex"}
    assert all(results["steps"][name]["runs"] == 4 for name in layers)
    assert all(fig["slowest_ms"] >= fig["median_ms"] >= 0 and fig["total_s"] >= 0 for fig in results["steps"].values())


def test_failures_and_slow_articles_are_counted_by_step() -> None:
    item = robust.Item("ptc", "article1.txt")
    outcomes = [robust.Outcome(robust.Item("ptc", f"article{i}.txt"), [robust.Timing("quotes", 0.01, 100)])
                for i in range(30)]
    outcomes.append(robust.Outcome(item, [robust.Timing("quotes", 0.5, 9000)],
                                   [Failure("annotate", "quotes", "ValueError: bad")]))
    results = robust.summarise(outcomes)
    quotes = results["steps"]["quotes"]
    assert results["failed"] == 1 and quotes["failures"] == 1 and quotes["over_goal"] == 1
    assert quotes["slowest"] == "article1.txt" and quotes["slowest_chars"] == 9000 and quotes["slowest_x_median"] == 50
    assert "- annotate quotes: article1.txt: ValueError: bad" in robust.format_table(results)


def test_the_command_needs_texts(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bench", "robust", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "no texts" in result.stderr
