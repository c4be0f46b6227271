"""HTML pages rendered as plain-text page dumps."""

from __future__ import annotations

from newsprism.bench.render_dump import render_dump, render_lines

PAGE = """<!DOCTYPE html>
<html><head><meta charset="iso-8859-1">
<title>Tab title</title>
<link rel="canonical" href="https://news.example/2022/03/rain-record">
<meta property="og:title" content="Rain Record in M\xfcnster">
<meta name="description" content="Wettest March day on record.">
<meta name="viewport" content="width=device-width">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rain Record in M\xfcnster",
 "datePublished": "2022-03-02T08:00:00+01:00", "isAccessibleForFree": true,
 "author": [{"name": "Ida Berg"}], "wordCount": 120}</script>
<script>var hidden = "never shown";</script>
<style>p { color: red; }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li>Weather</li></ul></nav>
<article><h1>Rain Record in M\xfcnster</h1>
<p>More rain fell on <b>Wednesday</b> than in any March day since records began.</p>
<div hidden>Hidden teaser</div><div style="display: none">Also hidden</div>
<noscript>Enable scripts</noscript><template><p>Template text</p></template>
<p>The city &amp; its <a href="/rivers">rivers</a> coped well.<br>Second line of the block.</p>
</article></body></html>
""".encode("iso-8859-1")


def test_metadata_values_come_first_in_document_order():
    lines = render_dump(PAGE).split("\n")
    assert lines[:9] == [
        "https://news.example/2022/03/rain-record",
        "Rain Record in Münster",
        "Wettest March day on record.",
        "NewsArticle",
        "Rain Record in Münster",
        "2022-03-02T08:00:00+01:00",
        "true",
        "Ida Berg",
        "120",
    ]
    assert lines[9] == ""


def test_visible_blocks_one_per_line_inline_text_joined():
    lines = render_dump(PAGE).split("\n")[10:]
    assert lines == [
        "  • Home",
        "  • Weather",
        "Rain Record in Münster",
        "More rain fell on Wednesday than in any March day since records began.",
        "The city & its rivers coped well.",
        "Second line of the block.",
    ]


def test_scripts_styles_and_hidden_elements_are_dropped():
    dump = render_dump(PAGE)
    for gone in ("never shown", "color: red", "Hidden teaser", "Also hidden", "Enable scripts",
                 "Template text", "Tab title", "width=device-width"):
        assert gone not in dump


def test_lines_know_their_origin():
    origins = {line.origin for line in render_lines(PAGE) if line.text}
    assert origins == {"meta", "visible"}


def test_utf8_without_declaration_and_garbage_input():
    assert render_dump("<p>Grüße aus Köln</p>".encode()) == "Grüße aus Köln"
    assert render_dump(b"") == ""
    assert "\x01" not in render_dump(b"\x00\x01\x02<p>x</p>")


def test_no_entity_expansion():
    page = b"""<?xml version="1.0"?><!DOCTYPE p [<!ENTITY big "boom">]><html><body><p>a &big; b</p></body></html>"""
    assert "boom" not in render_dump(page)
