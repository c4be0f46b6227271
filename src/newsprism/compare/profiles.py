"""Outlet profiles over the user's own corpus: what each outlet covers, how often it is first,
how often it republishes another outlet's copy, and its technique rates with example passages."""

from __future__ import annotations

from collections import defaultdict

from newsprism.compare.result import Evidence, OutletProfile, outlet_of, unify_outlets
from newsprism.compare.story import technique_use, timeline
from newsprism.link.copies import find_copies, sources_of
from newsprism.model import Article

EXAMPLES_PER_TECHNIQUE = 3


def outlet_profiles(stories: dict[str, list[Article]]) -> list[OutletProfile]:
    """One profile per outlet, from stories (story id -> its articles); sorted by outlet name."""
    unified, _ = unify_outlets([a for group in stories.values() for a in group])
    articles = {a.id: a for a in unified}
    stories = {story_id: [articles[a.id] for a in group] for story_id, group in stories.items()}
    copies = _cross_outlet_copies(list(articles.values()))
    covered: dict[str, set[str]] = defaultdict(set)
    multi: dict[str, int] = defaultdict(int)
    first: dict[str, int] = defaultdict(int)
    for story_id, group in stories.items():
        outlets = {outlet_of(a) for a in group}
        for outlet in outlets:
            covered[outlet].add(story_id)
            multi[outlet] += len(outlets) > 1
        leader = timeline(group).first
        if leader and len(outlets) > 1:
            first[leader.outlet] += 1
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in articles.values():
        by_outlet[outlet_of(article)].append(article)
    return [
        _profile(
            outlet,
            sorted(group, key=lambda a: a.id),
            sorted(covered[outlet]),
            multi[outlet],
            first[outlet],
            sum(a.id in copies for a in group),
        )
        for outlet, group in sorted(by_outlet.items())
    ]


def _cross_outlet_copies(articles: list[Article]) -> set[str]:
    """Ids of articles that copy an article of another outlet."""
    by_id = {a.id: a for a in articles}
    return {
        m.copy_id
        for m in sources_of(find_copies(articles)).values()
        if outlet_of(by_id[m.copy_id]) != outlet_of(by_id[m.source_id])
    }


def _profile(
    outlet: str, articles: list[Article], stories: list[str], multi: int, first: int, copies: int
) -> OutletProfile:
    annotated = [a for a in articles if "techniques" in a.layers]
    use = technique_use(outlet, annotated) if annotated else None
    return OutletProfile(
        outlet=outlet,
        articles=len(articles),
        stories=stories,
        multi_outlet_stories=multi,
        first=first,
        first_rate=round(first / multi, 3) if multi else 0.0,
        copies=copies,
        copy_rate=round(copies / len(articles), 3) if articles else 0.0,
        techniques=use,
        examples=_examples(use.evidence, annotated) if use else {},
    )


def _examples(found: list[Evidence], articles: list[Article]) -> dict[str, list[Evidence]]:
    """A few passages per technique, the first ones in article order."""
    label = {(a.id, s.start, s.end): s.label for a in articles for s in a.layers["techniques"].spans}
    examples: dict[str, list[Evidence]] = defaultdict(list)
    for ev in found:
        technique = label[(ev.article_id, ev.start, ev.end)]
        if len(examples[technique]) < EXAMPLES_PER_TECHNIQUE:
            examples[technique].append(ev)
    return dict(sorted(examples.items()))
