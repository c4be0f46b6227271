"""Reports of a comparison: stable json keys, markdown, and one self-contained, inert html file."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from newsprism.compare import compare_story
from newsprism.compare.result import Agreement, Evidence, FactValue, agreed_values
from newsprism.model import Article, Layer, Span
from newsprism.report import profiles_report, render, story_report
from newsprism.report.html import safe_link

HOSTILE_TITLE = '<script>alert(1)</script> Ferry "news" & <b>more</b>'
HOSTILE_QUOTE = "We will <img src=x onerror=alert(2)> reopen the harbour on Monday"
COMPARISON_KEYS = [
    "schema",
    "articles",
    "outlets",
    "timeline",
    "conflicts",
    "quotes",
    "voices",
    "omissions",
    "techniques",
    "republications",
    "naming",
    "notes",
    "agreements",
]


def _article(outlet: str, text: str, url: str, title: str, speaker: str) -> Article:
    article = Article(
        source=f"{outlet}.html", text=text, outlet=outlet, url=url, title=title, published="2026-05-10T08:00:00+00:00"
    )
    start = text.index(HOSTILE_QUOTE)
    quote = Span(start, start + len(HOSTILE_QUOTE), "direct", {"speaker_name": speaker})
    article.layers["quotes"] = Layer("quotes", "test.quotes", "0", [quote])
    name = text.index(speaker)
    person = Span(name, name + len(speaker), "PERSON", {"canonical": speaker})
    article.layers["entities"] = Layer("entities", "test.entities", "0", [person])
    return article


@pytest.fixture()
def hostile_story() -> list[Article]:
    text = f'“{HOSTILE_QUOTE},” said Ana Lindqvist of the <a href="javascript:alert(3)">port</a>.'
    return [
        _article("Evil <i>Outlet</i>", text, "javascript:alert(4)", HOSTILE_TITLE, "Ana Lindqvist"),
        _article(
            "Plain Outlet",
            text.replace("said Ana Lindqvist", "told Piet Moreau"),
            "https://plain.example/a?x=1&y=<2>",
            "Harbour to reopen",
            "Piet Moreau",
        ),
    ]


def test_html_escapes_every_article_text_and_never_links_javascript(hostile_story: list[Article]) -> None:
    page = story_report(hostile_story, "html")
    lower = page.lower()
    assert "<script" not in lower and "<img" not in lower and "<i>outlet" not in lower and "<b>more" not in lower
    assert all(not href.startswith("javascript") for href in re.findall(r'href="([^"]*)"', lower))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror=alert(2)" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert 'href="https://plain.example/a?x=1&amp;y=&lt;2&gt;"' in page


def test_html_is_one_self_contained_file(hostile_story: list[Article]) -> None:
    page = story_report(hostile_story, "html")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    for external in ("<script", "<link", "<img", "<iframe", " src=", "@import", "url("):
        assert external not in page.lower().replace("&lt;img src=x", "")


def test_safe_link_only_links_http_urls() -> None:
    assert safe_link("https://a.example/x", "x").startswith('<a href="https://a.example/x"')
    hostile = (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:x",
        "data:text/html,<b>x</b>",
        "//evil.example",
    )
    for url in hostile:
        assert "<a " not in safe_link(url, "label")
    assert safe_link(None, "<b>") == "&lt;b&gt;"


def test_json_keys_are_the_documented_ones(hostile_story: list[Article]) -> None:
    data = json.loads(story_report(hostile_story, "json"))
    assert list(data) == COMPARISON_KEYS
    assert data["schema"] == "newsprism.comparison/1"
    assert list(data["timeline"]) == ["first", "reports", "by_outlet", "undated"]
    group = data["quotes"][0]
    assert list(group) == ["speaker_name", "full", "variants", "misattributed"]
    assert list(group["full"]) == ["article_id", "outlet", "text", "start", "end"]
    assert group["misattributed"] is True
    assert story_report(hostile_story, "json") == story_report(hostile_story[::-1], "json")


def test_markdown_escapes_markup(hostile_story: list[Article]) -> None:
    page = story_report(hostile_story, "md")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in page
    assert "## Quotes" in page and "attributed to different speakers" in page


def test_unknown_format_is_refused(hostile_story: list[Article]) -> None:
    with pytest.raises(ValueError):
        render(compare_story(hostile_story), "pdf")


def test_profiles_report_formats(hostile_story: list[Article]) -> None:
    stories = {"harbour": hostile_story}
    lines = profiles_report(stories, "json").splitlines()
    assert [json.loads(line)["outlet"] for line in lines] == ["Evil <i>Outlet</i>", "Plain Outlet"]
    assert "<i>" not in profiles_report(stories, "html") and "&lt;i&gt;" in profiles_report(stories, "md")


def test_conflicts_are_shown_side_by_side() -> None:
    first = "A gas blast at the Dornvik copper mine killed 4 miners and injured 12 on Tuesday, the operator said."
    second = "A gas blast at the Dornvik copper mine killed 6 miners and injured 12 on Tuesday, rescuers said."
    story = [Article(source=f"{name}.txt", text=text, outlet=name) for name, text in (("A|B", first), ("C", second))]
    page = story_report(story, "md")
    assert "| fact | A\\|B | C |" in page and "| 4 | 6 |" in page
    html_page = story_report(story, "html")
    assert "<th>A|B</th><th>C</th>" in html_page and "<td>4</td><td>6</td>" in html_page


def test_values_that_agree_are_shown_with_the_words_that_let_them_agree() -> None:
    """ "more than 100 mph" and "120 mph" agree; the report says why, not only "100 / 120"."""
    chase = "Police chased the van through Orla at speeds of {} mph on Monday, the sheriff said."
    texts = (("Alpha", chase.format("more than 100")),
             ("Beta", chase.format("120")))
    story = [Article(source=f"{name}.txt", text=text, outlet=name) for name, text in texts]
    assert "**100** (“at speeds of more than 100 mph”) / **120** (“at speeds of 120 mph”)" in story_report(story, "md")
    assert ('<span class="value">100</span> (“at speeds of more than 100 mph”) / <span class="value">120</span>'
            in story_report(story, "html"))


def test_words_that_are_the_value_itself_are_not_repeated() -> None:
    """ "Sergei Lavrov" / "Sergey Lavrov" agree as one name; their passages are the names, which say nothing more."""
    def name(value: str) -> FactValue:
        return FactValue(value, [Evidence("a1", "Alpha", value, 0, len(value))])

    agreement = Agreement("person", "Orla foreign minister", [name("Ivo Vell"), name("Iwo Vell")], ["Alpha", "Beta"])
    assert agreed_values(agreement) == [("Ivo Vell", None), ("Iwo Vell", None)]


class _Tags(HTMLParser):
    """Every tag and attribute name of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def test_html_has_only_the_report_own_tags_and_attributes(hostile_story: list[Article]) -> None:
    parser = _Tags()
    parser.feed(story_report(hostile_story, "html"))
    assert parser.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "b", "i", "span",
                           "ul", "li", "table", "tr", "th", "td", "a", "br"}
    assert parser.attributes <= {"lang", "charset", "http-equiv", "content", "class", "href", "rel"}
