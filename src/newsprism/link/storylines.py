"""Storylines: the developing stories that hold events continuing one another over days and outlets.

An event is one happening (``link/events.py``); people follow developing stories: an invitation
accepted, the meeting cancelled, the reactions; a strike, the funerals, the investigation. A
storyline links an event to the events it continues: those it still resembles once the time
between them is forgiven for days, not hours (the event linker halves a score per day apart).
Two happenings of one kind (two earthquakes, two hosts of one award show) share words but not
who and when: the linker's event figures (years, counted nouns) and salient names already damp
them, and a storyline asks for a higher score than an event does for an article.

Storylines only grow and merge (a merge is recorded and the old id stays resolvable); an event
that the event linker splits or merges takes its storyline along.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsprism.link.events import Cluster, EventLinker, LinkParams, arrival_order, days_apart, feed
from newsprism.link.state import LinkState, Storyline
from newsprism.model import Article, Event, Story


@dataclass(frozen=True)
class StorylineParams:
    """Knobs of the storyline level; the defaults are tuned as ``docs/benchmarks.md`` tells."""

    threshold: float = 0.30  # an event continues a storyline when it scores this much against one of its events
    grace_days: float = 14.0  # no decay within this many days of the other event's span
    half_life_days: float = 30.0  # then the score halves per this many days
    candidates: int = 10  # events scored per changed event, found through the term index


class StorylineLinker:
    """Gives every event a storyline, online: each changed event joins the storylines of the events
    it continues (merging them when it continues several) or starts one."""

    def __init__(self, events: EventLinker, params: StorylineParams | None = None) -> None:
        self.events = events
        self.params = params or StorylineParams()
        self.state: LinkState = events.state
        events.before_archive = self.update

    def update(self) -> None:
        """Place the events changed since the last update, then forget the changes."""
        for younger, older in self.events.absorbed:
            self._join(self.storyline_of(younger), self.storyline_of(older))
        self.events.absorbed.clear()
        changed = [self.events.event(e) for e in self.events.unplaced]
        self.events.unplaced.clear()
        for event in sorted((e for e in changed if e is not None), key=lambda e: e.seq):
            self._place(event)

    def storyline_of(self, event_id: str) -> str | None:
        """The living storyline of an event (following merges), or None before it has one."""
        storyline = self.state.storyline_of.get(event_id)
        return None if storyline is None else self.resolve(storyline)

    def resolve(self, storyline_id: str) -> str:
        """The living storyline a storyline id stands for (old ids stay resolvable)."""
        while storyline_id in self.state.storyline_merged_into:
            storyline_id = self.state.storyline_merged_into[storyline_id]
        return storyline_id

    def _place(self, event: Cluster) -> None:
        own = self.storyline_of(event.id)
        found = [s for s in self._continued(event) if s is not None]
        group = sorted(set(found) | ({own} if own else set()), key=lambda s: self.state.storylines[s].seq)
        if not group:
            group = [self._start(event)]
        for other in group[1:]:
            self._join(other, group[0])
        if own != group[0]:
            self.state.storyline_of[event.id] = group[0]

    def _continued(self, event: Cluster) -> list[str | None]:
        """Storylines of the events this one continues: candidates from the term index scoring at
        least the threshold with the long time window."""
        events, p = self.events, self.params
        query = events._as_query(event)
        found = []
        for other in events._candidates(event.centroid, exclude=event.id, limit=p.candidates,
                                        script=event.script):
            score = events.similarity(event.centroid, other, query) * self.time_factor(event, other)
            if score >= p.threshold:
                found.append(self.storyline_of(other.id))
        return found

    def time_factor(self, event: Cluster, other: Cluster) -> float:
        """1 within the grace period, halving per half-life beyond; 0 when either has no date: a storyline
        is a succession in time, and without dates nothing tells a continuation from a look-alike."""
        apart = days_apart(other, event.first_day, event.last_day)
        if apart is None:
            return 0.0
        return 0.5 ** (max(0.0, apart - self.params.grace_days) / self.params.half_life_days)

    def _start(self, event: Cluster) -> str:
        base = "story-" + event.id.removeprefix("event-")
        storyline_id, n = base, 1
        while storyline_id in self.state.storylines or storyline_id in self.state.storyline_merged_into:
            n += 1
            storyline_id = f"{base}-{n}"
        seq = self.events._next_seq()
        self.state.storylines[storyline_id] = Storyline(storyline_id, seq, event.title)
        return storyline_id

    def _join(self, younger: str | None, older: str | None) -> None:
        """Merge storyline ``younger`` into ``older`` (the earlier one keeps its id)."""
        if younger is None or older is None or younger == older:
            return
        if self.state.storylines[younger].seq < self.state.storylines[older].seq:
            younger, older = older, younger
        self.state.storyline_merged_into[younger] = older
        del self.state.storylines[younger]

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
