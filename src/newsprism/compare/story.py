"""``compare_story``: how each outlet told one story, every finding with its evidence.

A pure function of the story's articles and their layers (entities, quotes, timex; techniques
when present). Facts and quotes are aligned in ``facts.py`` and ``quotes.py``; this module adds
the timeline, omissions, naming, technique rates and the passages added to republished copy.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cache, partial
from typing import Any

from newsprism.annotate.techniques import summarise
from newsprism.compare.facts import Mention, agreements, conflicts, headline_mentions, slot_name, stated_by
from newsprism.compare.quotes import quote_groups, voices
from newsprism.compare.result import (
    Comparison,
    Evidence,
    Naming,
    Omission,
    QuoteGroup,
    Report,
    Republication,
    TechniqueUse,
    Timeline,
    evidence,
    outlet_of,
    published_at,
    unify_outlets,
)
from newsprism.link.copies import align, find_copies, sources_of
from newsprism.model import Article

MAX_ARTICLES = 400  # alignment is quadratic in the story's size: a bigger story is cut, with a note
MIN_OUTLETS_FOR_OMISSION = 3  # with fewer outlets, "most outlets" means too little
NAMING_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
FRAME_SHARE = 1.5  # a place named in at least two articles in three frames the story
LABEL_WINDOW = 32  # characters either side of a name searched for label words
# Words outlets use to label an actor (the lexicon is the point: it names the framing, not the grammar).
_LABEL = re.compile(
    r"\b(?:regime|junta|government|authorities|administration|leadership|so-called|self-proclaimed|puppet|"
    r"separatists?|rebels?|militants?|terrorists?|insurgents?|nationalists?|extremists?|occupiers|invaders|"
    r"forces|troops|handlers|proxies|proxy|alleged|criminal|illegitimate|legitimate)\b",
    re.IGNORECASE,
)
MAX_ACRONYM = 5
_NAME_SUFFIXES = frozenset(("Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"))
MIN_SHORT_NAME = 4  # a name's last word, written alone, stands for it ("Gupta"); "Li" is too short to tell


def compare_story(articles: list[Article]) -> Comparison:
    """The comparison of one story's articles (any order; the result does not depend on it)."""
    given, notes = unify_outlets(sorted(articles, key=lambda a: a.id))
    if len(given) > MAX_ARTICLES:
        order = timeline(given)
        kept = {r.article_id for r in (order.reports + order.undated)[:MAX_ARTICLES]}
        given = [a for a in given if a.id in kept]
        notes.append(f"{len(articles)} articles: only the first {MAX_ARTICLES} published are compared")
    found_conflicts, slots, mentions = conflicts(given)
    groups = quote_groups(given)
    if not any("techniques" in a.layers for a in given):
        notes.append("no article has a techniques layer: technique rates are not given")
    if not any("quotes" in a.layers for a in given):
        notes.append("no article has a quotes layer: quotes and voices are empty")
    return Comparison(
        articles=[report_of(a) for a in given],
        outlets=sorted({outlet_of(a) for a in given}),
        timeline=timeline(given),
        conflicts=found_conflicts,
        quotes=groups,
        voices=voices(given),
        omissions=omissions(given, slots, mentions, groups),
        techniques=technique_uses(given),
        republications=republications(given),
        naming=naming(given),
        notes=notes,
        agreements=agreements(slots),
    )


def report_of(article: Article) -> Report:
    return Report(article.id, outlet_of(article), article.title, article.url, article.published)


def timeline(articles: list[Article]) -> Timeline:
    dated = sorted((a for a in articles if published_at(a)), key=lambda a: (published_at(a), outlet_of(a), a.id))
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for article in dated:
        by_outlet[outlet_of(article)].append(article.id)
    reports = [report_of(a) for a in dated]
    undated = [report_of(a) for a in articles if not published_at(a)]
    return Timeline(reports[0] if reports else None, reports, dict(sorted(by_outlet.items())), undated)


def _carriers(articles: list[Article], has: set[str]) -> tuple[list[str], bool]:
    """The outlets carrying a thing (articles ids in ``has``); whether most outlets do."""
    outlets = {outlet_of(a) for a in articles}
    carrying = sorted({outlet_of(a) for a in articles if a.id in has})
    return carrying, len(outlets) >= MIN_OUTLETS_FOR_OMISSION and len(carrying) * 2 > len(outlets)


def omissions(articles: list[Article], slots: list[list[Mention]], mentions: list[Mention],
              groups: list[QuoteGroup]) -> list[Omission]:
    """Facts (number and date slots), quotes and actors most outlets carry and an outlet leaves out: each
    of its articles on the story is listed (an outlet that carries the thing in one of them omits nothing).
    "Most" counts the outlets whose layers found the thing; an article that states it otherwise (a value
    the slot left to another of its mentions, a name its entities layer did not tag) leaves nothing out."""
    # (kind, what, evidence per carrying article, the ids of articles that state it otherwise): the last is
    # asked only of what most outlets carry, since it searches every article
    things: list[tuple[str, str, dict[str, list[Evidence]], Callable[[], set[str]]]] = []
    # the headlines' counts are parsed only when a fact most outlets carry asks for them
    with_headlines = cache(lambda: mentions + headline_mentions(articles))
    for slot in slots:
        carried: dict[str, list[Evidence]] = defaultdict(list)
        for m in slot:
            carried[m.article.id].append(evidence(m.article, m.start, m.end))
        things.append(("fact", f"{slot_name(slot)}: {'/'.join(sorted({m.value for m in slot}))}", carried,
                       partial(_stated_with_headlines, slot, with_headlines)))
    for group in groups:
        quoted: dict[str, list[Evidence]] = defaultdict(list)
        for variant in group.variants:
            quoted[variant.evidence.article_id].append(variant.evidence)
        things.append(("quote", f"{group.speaker_name or 'unnamed'}: {group.full.text}", quoted, set))
    for name, named in _actors(articles).items():
        things.append(("actor", name, named, partial(_writing, articles, name, named)))
    found = []
    for kind, what, carried, stated_otherwise in things:
        carrying, most = _carriers(articles, set(carried))
        if not most:
            continue
        languages = _languages_of(articles, carried)
        sample = [ev[0] for ev in carried.values()][:3]
        also = stated_otherwise()
        stating = carrying + [outlet_of(a) for a in articles if a.id in also]
        for article in articles:
            if outlet_of(article) not in stating and (not article.language or article.language in languages):
                found.append(Omission(kind, what, article.id, outlet_of(article), carrying, sample))
    return sorted(found, key=lambda o: (o.outlet, o.article_id, o.kind, o.what))


def _stated_with_headlines(slot: list[Mention], with_headlines: Callable[[], list[Mention]]) -> set[str]:
    return stated_by(slot, with_headlines())


def _written_as(name: str, mentions: dict[str, list[Evidence]]) -> list[re.Pattern[str]]:
    """The ways the carrying articles write a name, in any case, and its last word as a name ("Gupta" for
    Sanjay Gupta, "Chargers" for the San Diego Chargers)."""
    forms = sorted({ev.text for evs in mentions.values() for ev in evs}, key=len, reverse=True)
    patterns = [re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)", re.IGNORECASE)]
    words = [w for w in name.replace(",", " ").split() if w not in _NAME_SUFFIXES]
    last = words[-1] if words else ""
    if len(words) > 1 and last[:1].isupper() and len(last) >= MIN_SHORT_NAME:
        patterns.append(re.compile(rf"(?<!\w){re.escape(last)}(?!\w)"))
    return patterns


def _writing(articles: list[Article], name: str, mentions: dict[str, list[Evidence]]) -> set[str]:
    """The ids of the articles that write the name, where their entities layer did not tag it ("Vancouver" in
    "Vancouver Police", "the Indian navy", "Dr Gupta") or in their headline: they leave nothing out."""
    written = _written_as(name, mentions)
    return {a.id for a in articles if any(p.search(a.text) or p.search(a.title or "") for p in written)}


def _languages_of(articles: list[Article], carried: dict[str, list[Evidence]]) -> set[str]:
    """Languages of the carrying articles: an article in another language is not said to omit what
    only the English reports carry, since facts and quotes are matched on words."""
    return {a.language for a in articles if a.id in carried and a.language}


def _actors(articles: list[Article]) -> dict[str, dict[str, list[Evidence]]]:
    """People, organisations and the story's own places, by canonical name, with their mentions per article.

    Nationalities are left out, and so are places nearly every article names (the countries and
    capitals of the conflict): those frame the story, leaving one out is not an omission.
    """
    found: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    places = set()
    for article in articles:
        layer = article.layers.get("entities")
        for span in layer.spans if layer else []:
            name = str(span.attrs.get("canonical") or span.text_in(article.text))
            if span.label in ACTOR_LABELS | PLACE_LABELS:
                found[name][article.id].append(evidence(article, span.start, span.end))
                if span.label in PLACE_LABELS:
                    places.add(name)
    frame = {name for name in places if len(found[name]) * FRAME_SHARE >= len(articles)}
    return {name: mentions for name, mentions in found.items() if name not in frame}


def technique_uses(articles: list[Article]) -> list[TechniqueUse] | None:
    """Per outlet: technique spans on this story and their rate per sentence; None without the layer."""
    if not any("techniques" in a.layers for a in articles):
        return None
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if "techniques" in article.layers:
            by_outlet[outlet_of(article)].append(article)
    return [technique_use(outlet, group) for outlet, group in sorted(by_outlet.items())]


def technique_use(outlet: str, articles: list[Article]) -> TechniqueUse:
    summaries = [summarise(a.text, stored_techniques(a)) for a in articles]
    sentences = sum(s["sentences"] for s in summaries)
    spans = [(a, span) for a in articles for span in a.layers["techniques"].spans]
    counts = Counter(span.label for _, span in spans)
    return TechniqueUse(
        outlet,
        sentences,
        len(spans),
        round(len(spans) / sentences, 3) if sentences else 0.0,
        round(sum(s["sentences_with_technique"] for s in summaries) / sentences, 3) if sentences else 0.0,
        dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        [evidence(a, span.start, span.end) for a, span in spans],
    )


def stored_techniques(article: Article) -> list[dict[str, Any]]:
    """The stored techniques layer as the span dicts ``summarise`` reads."""
    layer = article.layers.get("techniques")
    return [{"start": s.start, "end": s.end, "technique": s.label} for s in layer.spans] if layer else []


def republications(articles: list[Article]) -> list[Republication]:
    """Copies of another article of the story, with what they kept, cut, reworded and added."""
    by_id = {a.id: a for a in articles}
    found = []
    for match in sorted(sources_of(find_copies(articles)).values(), key=lambda m: m.copy_id):
        copy, source = by_id[match.copy_id], by_id[match.source_id]
        passages = align(source.text, copy.text)
        kinds = Counter(p.kind for p in passages)
        added = [evidence(copy, *p.copy) for p in passages if p.kind == "added" and p.copy]
        found.append(
            Republication(
                copy.id,
                outlet_of(copy),
                source.id,
                outlet_of(source),
                round(match.containment, 3),
                kinds["kept"],
                kinds["cut"],
                kinds["reworded"],
                added,
            )
        )
    return found


def naming(articles: list[Article]) -> list[Naming]:
    """Entities several outlets name, where outlets write them differently or label them differently
    ("the Varno regime" / "the Varnian government"): the written forms and label words per outlet."""
    forms: dict[tuple[str, str], dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    labels: dict[tuple[str, str], dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    samples: dict[tuple[str, str], dict[str, dict[str, Evidence]]] = defaultdict(lambda: defaultdict(dict))
    for article in articles:
        layer = article.layers.get("entities")
        outlet = outlet_of(article)
        for span in layer.spans if layer else []:
            if span.label not in NAMING_LABELS:
                continue
            key = (str(span.attrs.get("canonical") or span.text_in(article.text)), span.label)
            written = " ".join(span.text_in(article.text).split())
            if written.isupper() and len(written) > MAX_ACRONYM:
                written = written.title()  # "KHARNIV" in a dateline is "Kharniv"; "NLF" stays
            forms[key][outlet][written] += 1
            samples[key][outlet].setdefault(written, evidence(article, span.start, span.end))
            found_labels = label_words(article.text, span.start, span.end)
            labels[key][outlet].update(found_labels)
            if found_labels:
                context = _label_context(article.text, span.start, span.end)
                samples[key][outlet].setdefault("/".join(found_labels), evidence(article, *context))
    found = []
    for key, per_outlet in forms.items():
        labelled = {o: dict(c.most_common()) for o, c in sorted(labels[key].items()) if c}
        if len(per_outlet) < 2:
            continue
        if len({frozenset(c) for c in per_outlet.values()}) > 1 or len({frozenset(c) for c in labelled.values()}) > 1:
            evidence_list = [ev for outlet in sorted(samples[key]) for ev in samples[key][outlet].values()]
            written = {o: dict(c.most_common()) for o, c in sorted(per_outlet.items())}
            found.append(Naming(key[0], key[1], written, labelled, evidence_list))
    return sorted(found, key=lambda n: (-len(n.forms), n.canonical))


def label_words(text: str, start: int, end: int) -> list[str]:
    """Words of the LABELS lexicon around a mention, in its sentence: "the so-called", "regime in"."""
    before, after = _label_context(text, start, end)
    return [m.group(0).lower() for m in _LABEL.finditer(text, before, start)] + [
        m.group(0).lower() for m in _LABEL.finditer(text, end, after)
    ]


def _label_context(text: str, start: int, end: int) -> tuple[int, int]:
    """Up to LABEL_WINDOW characters either side of a mention, not crossing a sentence end."""
    before = text[max(0, start - LABEL_WINDOW) : start]
    cut = max(before.rfind(stop) for stop in (". ", "\n", "? ", "! "))
    after = text[end : end + LABEL_WINDOW]
    stops = [i for i in (after.find(stop) for stop in (". ", "\n", "? ", "! ")) if i >= 0]
    return start - len(before) + (cut + 1 if cut >= 0 else 0), end + min(stops, default=len(after))
