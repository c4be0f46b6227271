"""Linking into a store: new articles join the events and storylines already there.

The linkers read the state they need from the store and write back what changed, a batch at a
time, each batch in one transaction: readers see the store before or after a batch, never
half of one, and an ingest stopped midway leaves its unlinked articles for the next one. A full
relink is the same code run over an empty state.
"""

from __future__ import annotations

from collections.abc import Callable

from newsprism.link.events import (
    EventCodec,
    EventLinker,
    LinkParams,
    arrival_indices,
    arrival_order,
    article_counts,
    feed,
)
from newsprism.link.state import StoreLinkState, majority_id
from newsprism.link.storylines import StorylineLinker, StorylineParams
from newsprism.model import Article
from newsprism.store import EventRow, Store

BATCH_ARTICLES = 2000  # articles linked per transaction (and per round of closing passes)
FIRST_BATCH_ARTICLES = 50_000  # into a store with nothing linked yet: as a relink would, memory permitting


def link_new(store: Store, params: LinkParams | None = None, story_params: StorylineParams | None = None,
             on_batch: Callable[[int], object] | None = None) -> int:
    """Link the stored articles that are in no event yet; returns how many were linked. The first
    linking of a store takes larger batches: fewer closing passes over more articles, as a relink."""
    unlinked = store.unlinked_article_ids()
    ids = [unlinked[i][0] for i in arrival_indices([published for _, published in unlinked])]
    size = FIRST_BATCH_ARTICLES if store.link_counters()[0] == 0 else BATCH_ARTICLES
    for at in range(0, len(ids), size):  # only one batch's texts in memory at a time
        batch = store.articles_by_id(ids[at:at + size])
        link_batch_into(store, batch, params, story_params)
        if on_batch:
            on_batch(len(batch))
    return len(ids)


def relink(store: Store, params: LinkParams | None = None, story_params: StorylineParams | None = None) -> int:
    """Forget every event and storyline and link the whole store again as one batch (old storyline and
    event ids that disappear are recorded as merged into the one holding most of their articles)."""
    before = [{s.id: s.article_ids for s in groups} for groups in (store.stories(), store.events())]
    store.begin_write()
    store.clear_links()
    articles = store.articles_by_id([article_id for article_id, _ in store.unlinked_article_ids()])
    if articles:
        link_batch_into(store, arrival_order(articles), params, story_params)
    for old, groups in zip(before, (store.stories(), store.events()), strict=True):
        store.save_link_values("merges", successors(old, {a: g.id for g in groups for a in g.article_ids}))
    store.commit()
    return len(articles)


def successors(before: dict[str, list[str]], after: dict[str, str]) -> dict[str, str]:
    """Each old group id that no longer exists -> the new group holding most of its articles."""
    found = {}
    living = set(after.values())
    for old, members in before.items():
        kept = [after[a] for a in members if a in after]
        if old not in living and kept:
            found[old] = majority_id(kept)
    return found


def link_batch_into(store: Store, articles: list[Article], params: LinkParams | None = None,
                    story_params: StorylineParams | None = None) -> None:
    """Link one batch (in the order given) against the store's state, write it back and commit. The
    batch reads and writes in one write transaction, so two processes never link on each other's
    half-written state."""
    store.begin_write()
    state = StoreLinkState(store, EventCodec())
    state.prefetch_terms(term for article in articles for term in article_counts(article))
    linker = EventLinker(params, state)
    storylines = StorylineLinker(linker, story_params)
    feed(linker, articles)
    storylines.update()
    changed = list(dict.fromkeys([*linker.changed, *storylines.moved]))
    state.flush(linker.params.recent_vectors)
    rows = [_event_row(linker, storylines, e) for e in changed if linker.event(e) is not None]
    merged = {old: storylines.resolve(old) for old in state.storyline_merged_into.changed}
    names = {s: state.storylines[s].title for s in state.storylines.changed if s in state.storylines}
    store.save_grouping(rows, sorted(state.events.removed), names, merged)
    store.commit()


def _event_row(linker: EventLinker, storylines: StorylineLinker, event_id: str) -> EventRow:
    event = linker.event(event_id)
    assert event is not None
    return EventRow(event.id, event.title, storylines.storyline_of(event.id), event.first_day, event.last_day,
                    list(event.article_ids))


