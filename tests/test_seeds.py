"""The two real page dumps in ../shared/seeds: what `extract` must make of them.

The expected strings are read from the seed files at run time (by position and shape),
never copied into the project. Skipped where ../shared is absent (a user's clone).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsprism.extract.dump import extract_dump
from newsprism.model import Article, RawRecord

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
WORDPRESS = SEEDS / "000_864e040f7018c04b.txt"
STATE_MEDIA = SEEDS / "004_dee22dad3f200a09.txt"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not available")


def extracted(path: Path) -> tuple[Article, list[str]]:
    data = path.read_bytes()
    return extract_dump(RawRecord(source=str(path), kind="dump", data=data)), data.decode("utf-8").split("\n")


def first_line(lines: list[str], pattern: str) -> int:
    return next(i for i, line in enumerate(lines) if re.search(pattern, line))


def test_wordpress_seed():
    article, lines = extracted(WORDPRESS)
    assert article.title == lines[0].strip()  # as published, homoglyph included
    assert not article.title.isascii()
    assert article.published.startswith("2022-02-23")
    assert article.language == "en"
    credit_line = first_line(lines, r"^\S.*, \d{2}\.\d{2}\.\d{4}\s*$")
    last_paragraph = next(line for line in reversed(lines[:credit_line]) if line.strip())
    assert article.text.startswith(lines[2].strip()[:60])
    assert article.text.endswith(last_paragraph.strip()[-60:])
    for boilerplate in (lines[first_line(lines, r"^Picture:")], "Related Posts", "Leave a Reply", "Required fields"):
        assert boilerplate.strip() not in article.text
    assert any(c.startswith("Picture:") for c in article.credits)
    assert any(c.startswith("Source:") for c in article.credits)
    assert article.text.count("\n\n") >= 8


def test_state_media_seed():
    article, lines = extracted(STATE_MEDIA)
    assert article.title == lines[3]
    assert article.url == lines[2] and article.domain == "sputniknews.com"
    assert article.published == "2022-02-18T21:37:00+00:00"
    assert article.outlet == "Sputnik International"
    assert article.dateline == "WASHINGTON (Sputnik)"
    assert "sergei lavrov" in [t.lower() for t in article.tags]
    assert article.image and article.image.startswith("https://")

    visible = lines.index("")  # the metadata values end at the first blank line
    first_body = visible + first_line(lines[visible:], r"^[A-Z]+ \(Sputnik\) - ")
    after_dateline = lines[first_body].split(" - ", 1)[1]
    assert article.text.startswith(after_dateline), "body starts at the visible dateline paragraph"
    last_body = first_line(lines, r"^World$") - 1
    assert article.text.endswith(lines[last_body].strip())

    ticker, run_on = lines[1], max(lines, key=len)
    card = [i for i, line in enumerate(lines) if "Sputnik International, 1920, " in line][-1]  # mid-body card
    related_headline = lines[card + 1]
    for boilerplate in (ticker, run_on, related_headline, "SubscribeGoogle", "All rights reserved", "loader"):
        assert boilerplate not in article.text
    assert not any(line.startswith("\u00a9") and line in article.text for line in lines)
    assert not re.search("[\u0400-\u04ff]", article.text)  # the Russian comment-widget text
    assert any("REUTERS" in c for c in article.credits)
