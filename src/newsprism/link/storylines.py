"""Storylines: the developing stories that hold events continuing one another over days and outlets.

An event is one happening (``link/events.py``); people follow developing stories: an invitation
accepted, the meeting cancelled, the reactions; a strike, the funerals, the investigation. A
storyline links an event to the events it continues: those it still resembles once the time
between them is forgiven for days, not hours (the event linker halves a score per day apart).
Two happenings of one kind (two earthquakes, two hosts of one award show) share words but not
who and when: the linker's event figures (years, counted nouns) and salient names already damp
them, a storyline asks for a higher score than an event does for an article, and it links only
dated events: a storyline is a succession in time, and without dates nothing tells a
continuation from a look-alike.

A storyline is a connected group of events under the "continues" relation. Each time an event
changes, its links are scored again (links to archived events, whose centroids are gone, are
kept as they were), and the storylines it touches are regrouped: a later batch can undo a link
an earlier one made on thinner evidence, so a storyline can split as well as merge. The part
holding the earliest event keeps the id; an id that no part keeps is recorded as merged into the
part holding most of its events, so old ids stay resolvable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsprism.link.events import (
    Cluster,
    EventLinker,
    LinkParams,
    arrival_order,
    days_apart,
    feed,
    time_decay,
    unused_id,
)
from newsprism.link.state import LinkState, Storyline, follow_merges, majority_id
from newsprism.model import Article, Event, Story


@dataclass(frozen=True)
class StorylineParams:
    """Knobs of the storyline level; the defaults are tuned as ``docs/benchmarks.md`` tells."""

    threshold: float = 0.30  # an event continues a storyline when it scores this much against one of its events
    grace_days: float = 14.0  # no decay within this many days of the other event's span
    half_life_days: float = 30.0  # then the score halves per this many days
    candidates: int = 10  # events scored per changed event, found through the term index


class StorylineLinker:
    """Gives every event a storyline, online: an event is linked to the events it continues, and a
    storyline is a connected group of linked events."""

    def __init__(self, events: EventLinker, params: StorylineParams | None = None) -> None:
        self.events = events
        self.params = params or StorylineParams()
        self.state: LinkState = events.state
        self.moved: dict[str, None] = {}  # events whose storyline changed (for a store to write back)
        self._fresh: set[str] = set()  # events weighed again in this update
        events.before_archive = self.update

    def update(self) -> None:
        """Score the links of the events changed since the last update again and regroup the storylines
        they touch."""
        self._fresh.clear()
        touched: dict[str, None] = {}
        gone: dict[str, str | None] = {}  # storyline of a vanished event -> where its id should lead
        for younger, older in self.events.absorbed:
            touched[older] = None
            gone.update(self._forget(younger, touched, older))
        for dropped in self.events.dropped:
            gone.update(self._forget(dropped, touched, None))
        self.events.absorbed.clear()
        self.events.dropped.clear()
        changed_ids = set(self.events.unplaced)
        changed = [self.events.event(e) for e in changed_ids]
        self.events.unplaced.clear()
        for event in sorted((e for e in changed if e is not None), key=lambda e: e.seq):
            touched.update(dict.fromkeys(self._relink(event)))
        for event_id in self._members(touched):  # links an earlier batch made on thinner evidence
            if event_id not in changed_ids and self._comparable(event_id):
                touched.update(dict.fromkeys(self._relink(self.events.event(event_id))))
        seen = self._regroup([e for e in touched if self.events.event(e) is not None])
        for storyline, heir in gone.items():
            if storyline not in seen and storyline in self.state.storylines:  # it had no other event
                del self.state.storylines[storyline]
                target = self.storyline_of(heir) if heir else None
                if target and target != storyline:
                    self.state.storyline_merged_into[storyline] = target

    def _forget(self, event_id: str, touched: dict[str, None], heir: str | None) -> dict[str, str | None]:
        """Take a vanished event out of the links (its links go to ``heir``, the event it merged into);
        returns its storyline, which may now be empty, with the event its id should lead to."""
        storyline = self.storyline_of(event_id)
        for other in self._links(event_id):
            self._unlink(event_id, other)
            touched[other] = None
            if heir is not None and other != heir:
                self._link(heir, other)
        self.state.links.pop(event_id, None)
        self.state.storyline_of.pop(event_id, None)
        return {storyline: heir} if storyline else {}

    def _links(self, event_id: str) -> list[str]:
        return list(self.state.links.get(event_id, ()))

    def _link(self, a: str, b: str) -> None:
        for one, other in ((a, b), (b, a)):
            links = self._links(one)
            if other not in links:
                self.state.links[one] = [*links, other]

    def _unlink(self, a: str, b: str) -> None:
        for one, other in ((a, b), (b, a)):
            links = self._links(one)
            if other in links:
                links.remove(other)
                self.state.links[one] = links

    def _relink(self, event: Cluster) -> list[str]:
        """Score the event's links again; returns the events whose links changed (itself included). An
        archived event keeps its links: its centroid is gone, so there is nothing to score."""
        if not event.centroid:
            return []
        old = set(self._links(event.id))
        kept = {e for e in old if not self._comparable(e)}  # archived: nothing to score again
        new = kept | set(self._continued(event))
        for other in sorted(old - new):
            self._unlink(event.id, other)
        for other in sorted(new - old):
            self._link(event.id, other)
        return [event.id, *sorted(old | new)]

    def _comparable(self, event_id: str) -> bool:
        event = self.events.event(event_id)
        return event is not None and bool(event.centroid)

    def _regroup(self, touched: list[str]) -> set[str]:
        """Give each connected group of the touched events one storyline: the earliest group keeps the
        oldest id among its events' storylines, new groups start one, ids no group keeps are merged;
        returns the storylines the groups held before."""
        seen: set[str] = set()
        groups = []
        for event_id in touched:
            if event_id not in seen:
                group = self._component(event_id)
                seen.update(group)
                groups.append(sorted(group, key=lambda e: self.events.event(e).seq))
        groups.sort(key=lambda g: self.events.event(g[0]).seq)
        before = {e: self.storyline_of(e) for g in groups for e in g}
        kept: set[str] = set()
        for group in groups:
            ids = sorted({before[e] for e in group if before[e] and before[e] not in kept},
                         key=lambda s: self.state.storylines[s].seq)
            chosen = ids[0] if ids else self._start(self.events.event(group[0]))
            kept.add(chosen)
            for event_id in group:
                if before[event_id] != chosen:
                    self.state.storyline_of[event_id] = chosen
                    self.moved[event_id] = None
        for old in sorted({s for s in before.values() if s} - kept):
            now = [self.storyline_of(e) for e, s in before.items() if s == old]
            self.state.storyline_merged_into[old] = majority_id(s for s in now if s)
            del self.state.storylines[old]
        return {s for s in before.values() if s}

    def _members(self, touched: Iterable[str]) -> list[str]:
        """The events of the storylines the touched events are in, oldest first."""
        found: set[str] = set()
        for event_id in touched:
            if event_id not in found and self.events.event(event_id) is not None:
                found |= self._component(event_id)
        return sorted(found, key=lambda e: self.events.event(e).seq)

    def _component(self, start: str) -> set[str]:
        """The events connected to ``start`` by links."""
        found, todo = {start}, [start]
        while todo:
            for other in self._links(todo.pop()):
                if other not in found and self.events.event(other) is not None:
                    found.add(other)
                    todo.append(other)
        return found

    def storyline_of(self, event_id: str) -> str | None:
        """The living storyline of an event (following merges), or None before it has one."""
        storyline = self.state.storyline_of.get(event_id)
        return None if storyline is None else self.resolve(storyline)

    def resolve(self, storyline_id: str) -> str:
        """The living storyline a storyline id stands for (old ids stay resolvable)."""
        return follow_merges(self.state.storyline_merged_into, storyline_id)

    def _continued(self, event: Cluster) -> list[str]:
        """The events this one continues: candidates from the term index scoring at least the threshold
        with the long time window."""
        events, p = self.events, self.params
        self._refresh(event)
        query = events._as_query(event)
        found = []
        for other in events._candidates(event.centroid, exclude=event.id, limit=p.candidates,
                                        script=event.script):
            self._refresh(other)
            score = events.similarity(event.centroid, other, query) * self.time_factor(event, other)
            if score >= p.threshold:
                found.append(other.id)
        return found

    def _refresh(self, event: Cluster) -> None:
        """Compare events weighed with the same frequencies (once per update and event)."""
        if event.id not in self._fresh:
            self._fresh.add(event.id)
            self.events.refresh(event)

    def time_factor(self, event: Cluster, other: Cluster) -> float:
        """1 within the grace period, halving per half-life beyond; 0 when either has no date: a storyline
        is a succession in time, and without dates nothing tells a continuation from a look-alike."""
        apart = days_apart(other, event.first_day, event.last_day)
        return time_decay(apart, self.params.grace_days, self.params.half_life_days, 0.0)

    def _start(self, event: Cluster) -> str:
        wanted = "story-" + event.id.removeprefix("event-")
        storyline_id = unused_id(wanted, self.state.storylines, self.state.storyline_merged_into)
        seq = self.events._next_seq()
        self.state.storylines[storyline_id] = Storyline(storyline_id, seq, event.title)
        return storyline_id

    def storylines(self, events: Iterable[Event]) -> list[Story]:
        """The storylines of these events, in order of creation, their events and articles in order."""
        grouped: dict[str, Story] = {}
        for event in events:
            storyline_id = self.storyline_of(event.id)
            if storyline_id is None:
                continue
            story = grouped.setdefault(storyline_id, Story(storyline_id, self.state.storylines[storyline_id].title))
            story.event_ids.append(event.id)
            story.article_ids.extend(event.article_ids)
            event.story_id = storyline_id
        return sorted(grouped.values(), key=lambda s: self.state.storylines[s.id].seq)


@dataclass
class Linked:
    """One batch linked in memory: each article's event and storyline."""

    events: list[Event]
    stories: list[Story]
    event_of: dict[str, str]  # article id -> event id
    story_of: dict[str, str]  # article id -> storyline id


def link_articles(articles: Iterable[Article], params: LinkParams | None = None,
                  story_params: StorylineParams | None = None) -> Linked:
    """Link a batch from an empty state: events (refined by the closing passes), then storylines
    (placed as events are archived, and at the end)."""
    linker = EventLinker(params)
    storylines = StorylineLinker(linker, story_params)
    feed(linker, arrival_order(list(articles)))
    storylines.update()
    events = linker.events()
    stories = storylines.storylines(events)
    event_of = {a: e.id for e in events for a in e.article_ids}
    story_of = {a: e.story_id or "" for e in events for a in e.article_ids}
    return Linked(events, stories, event_of, story_of)
