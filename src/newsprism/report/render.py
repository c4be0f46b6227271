"""Comparison -> json (stable keys, see docs/interfaces.md), markdown, or html.

Every piece of article text is untrusted: markdown escapes its markup characters, html escapes
everything through ``html.escape`` (see ``report/html.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from newsprism.compare import Comparison, OutletProfile, compare_story, outlet_profiles
from newsprism.compare.result import Evidence, agreed_values, shown_published, values_by_outlet
from newsprism.model import Article
from newsprism.report.html import comparison_html, profiles_html

FORMATS = ("json", "md", "html")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!|~])")
_MD_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
MAX_SNIPPET = 300
RISING = " (rising over time: each higher figure came out after every lower one)"


def story_report(articles: list[Article], fmt: str) -> str:
    """The report of one story's articles in ``fmt`` (json, md or html): what `newsprism report` prints."""
    return render(compare_story(articles), fmt)


def render(comparison: Comparison, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        return comparison_markdown(comparison)
    if fmt == "html":
        return comparison_html(comparison)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def profiles_report(stories: dict[str, list[Article]], fmt: str) -> str:
    """Outlet profiles of a corpus (story id -> articles) in ``fmt``: what `newsprism outlets` prints."""
    profiles = outlet_profiles(stories)
    if fmt == "json":
        return "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in profiles)
    if fmt == "md":
        return profiles_markdown(profiles)
    if fmt == "html":
        return profiles_html(profiles)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def md(text: object) -> str:
    """Article text made inert in markdown: one line, html as entities, markup characters escaped."""
    flat = " ".join(str(text).split())
    flat = flat[:MAX_SNIPPET] + ("…" if len(flat) > MAX_SNIPPET else "")
    return _MD_SPECIAL.sub(r"\\\1", flat.translate(_MD_ENTITIES))


def cite(ev: Evidence) -> str:
    return f"“{md(ev.text)}” ({md(ev.outlet)}, {ev.article_id} {ev.start}–{ev.end})"


def _first(published: str | None) -> str:
    return f" (first published {md(shown_published(published))})" if published else ""


def _bullets(lines: Iterable[str]) -> list[str]:
    return [f"- {line}" for line in lines]


def comparison_markdown(c: Comparison) -> str:
    out = [f"# Story comparison: {len(c.articles)} articles, {len(c.outlets)} outlets", ""]
    out += [f"- {md(n)}" for n in c.notes] + ([""] if c.notes else [])
    out += ["## Timeline", ""]
    if c.timeline.first:
        out.append(
            f"First: **{md(c.timeline.first.outlet)}** at {md(c.timeline.first.published)} "
            f"({md(c.timeline.first.title or '')})"
        )
    out += _bullets(
        f"{md(r.published)} {md(r.outlet)}: {md(r.title or '')} ({r.article_id})" for r in c.timeline.reports
    )
    out += _bullets(f"undated {md(r.outlet)}: {md(r.title or '')} ({r.article_id})" for r in c.timeline.undated)
    out += ["", "## Facts in conflict", ""]
    if c.conflicts:
        out += ["| fact | " + " | ".join(md(o) for o in c.outlets) + " |", "|---" * (len(c.outlets) + 1) + "|"]
        for conflict in c.conflicts:
            given = values_by_outlet(conflict)
            cells = " | ".join(md(" / ".join(given.get(o, []))) for o in c.outlets)
            out.append(f"| {conflict.kind} {md(conflict.slot)} | {cells} |")
        out.append("")
    for conflict in c.conflicts:
        out.append(f"- {conflict.kind} *{md(conflict.slot)}*{RISING if conflict.rising else ''}:")
        out += [f"  - **{md(v.value)}**{_first(v.first_published)}: " + "; ".join(cite(e) for e in v.evidence)
                for v in conflict.values]
    out += ["", "## Facts the outlets agree on", ""]
    out += _bullets(f"{a.kind} *{md(a.slot)}*: "
                    + " / ".join(f"**{md(value)}**" + (f" (“{md(words)}”)" if words else "")
                                 for value, words in agreed_values(a))
                    + f" ({len(a.outlets)} outlets: {md(', '.join(a.outlets))})" for a in c.agreements)
    out += ["", "## Quotes", ""]
    for group in c.quotes:
        flag = " — **attributed to different speakers**" if group.misattributed else ""
        out.append(f"- {md(group.speaker_name or 'unnamed')}: “{md(group.full.text)}”{flag}")
        out += [f"  - {v.relation}, speaker {md(v.speaker_name or '?')}: {cite(v.evidence)}" for v in group.variants]
    out += ["", "### Voices only some outlets quote", ""]
    out += _bullets(f"{md(v.speaker_name)}: {md(', '.join(v.outlets))}" for v in c.voices if v.only_some)
    out += ["", "## Omissions", ""]
    out += _bullets(
        f"{md(o.outlet)} ({o.article_id}) leaves out {o.kind} *{md(o.what)}*, carried by "
        f"{md(', '.join(o.carried_by))}"
        for o in c.omissions
    )
    out += ["", "## Techniques per outlet", ""]
    if c.techniques is None:
        out.append("No techniques layer.")
    for use in c.techniques or []:
        out.append(
            f"- {md(use.outlet)}: {use.spans} spans in {use.sentences} sentences ({use.rate_per_sentence}/sentence, "
            f"{use.share_of_sentences:.0%} of sentences with one) "
            + ", ".join(f"{md(k)} {v}" for k, v in use.by_technique.items())
        )
        out += [f"  - {md(e.text)} ({e.article_id} {e.start}–{e.end})" for e in use.evidence]
    out += ["", "## Republished copy and added passages", ""]
    for rep in c.republications:
        out.append(
            f"- {md(rep.copy_outlet)} ({rep.copy_id}) copies {md(rep.source_outlet)} ({rep.source_id}), "
            f"containment {rep.containment}: kept {rep.kept}, cut {rep.cut}, reworded {rep.reworded}, "
            f"added {len(rep.added)}"
        )
        out += [f"  - added: {cite(e)}" for e in rep.added]
    out += ["", "## How outlets name the actors", ""]
    for n in c.naming:
        forms = "; ".join(f"{md(o)}: " + ", ".join(f"{md(f)} ×{k}" for f, k in fs.items()) for o, fs in n.forms.items())
        out.append(f"- **{md(n.canonical)}** ({n.label}): {forms}")
        out += [
            f"  - {md(o)} alone writes next to it: " + ", ".join(f"{md(w)} ×{k}" for w, k in ws.items())
            for o, ws in n.descriptors.items()
        ]
    return "\n".join(out) + "\n"


def profiles_markdown(profiles: list[OutletProfile]) -> str:
    out = [
        "# Outlet profiles",
        "",
        "| outlet | articles | stories | first | copies | technique spans/sentence |",
        "|---|---|---|---|---|---|",
    ]
    for p in profiles:
        rate = p.techniques.rate_per_sentence if p.techniques else "n/a"
        out.append(
            f"| {md(p.outlet)} | {p.articles} | {len(p.stories)} | {p.first}/{p.multi_outlet_stories} "
            f"| {p.copies} ({p.copy_rate}) | {rate} |"
        )
    for p in profiles:
        for technique, examples in p.examples.items():
            out.append(f"- {md(p.outlet)}, {md(technique)}: " + "; ".join(cite(e) for e in examples))
    return "\n".join(out) + "\n"
