"""Where the linkers keep what they know: in memory for one batch, or in the store between ingests.

The event linker reads and writes its state through plain mappings (terms' document
frequencies, events, the term index, the latest articles' vectors...). ``LinkState`` holds them
as dicts; ``StoreLinkState`` holds the same mappings as caches that load a missing key from the
store when first asked for it and write back only what changed, so an ingest of N articles
touches the rows those N articles need, however large the store. The SQL stays in ``store/``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from newsprism.store import Store


@dataclass
class Storyline:
    """A developing story: its id, the title it goes by and its order of creation."""

    id: str
    seq: int
    title: str | None


@dataclass
class LinkState:
    """The linkers' state in memory: everything they know, as dicts."""

    df: Counter[str] = field(default_factory=Counter)
    events: dict[str, Any] = field(default_factory=dict)  # event id -> the linker's event
    event_of: dict[str, str] = field(default_factory=dict)  # article id -> event at assignment
    merged_into: dict[str, str] = field(default_factory=dict)  # event id -> the event it merged into
    postings: dict[str, dict[str, None]] = field(default_factory=dict)  # term -> events, oldest first
    recent: dict[str, Any] = field(default_factory=dict)  # article id -> its vector and figures
    active: dict[str, None] = field(default_factory=dict)  # events new articles can join
    links: dict[str, list[str]] = field(default_factory=dict)  # event id -> the events it continues or is continued by
    storyline_of: dict[str, str] = field(default_factory=dict)  # event id -> storyline at assignment
    storylines: dict[str, Storyline] = field(default_factory=dict)
    storyline_merged_into: dict[str, str] = field(default_factory=dict)
    _counters: tuple[int, int, float | None] = (0, 0, None)

    def counters(self) -> tuple[int, int, float | None]:
        """(articles seen, clusters created, newest publication day)."""
        return self._counters

    def save_counters(self, n_docs: int, created: int, newest_day: float | None) -> None:
        self._counters = (n_docs, created, newest_day)

    def count_terms(self, terms: Iterable[str]) -> None:
        self.df.update(terms)

    def forget_oldest(self, keep: int) -> None:
        """Keep the vectors of the latest ``keep`` articles only (bounded memory; in a store, those held
        in memory, and ``flush`` drops the older ones kept from earlier batches)."""
        while len(self.recent) > keep:
            del self.recent[next(iter(self.recent))]

    def posting_changed(self, term: str) -> None:
        """In memory, nothing to write back."""

    def event_changed(self, event_id: str) -> None:
        """In memory, nothing to write back."""

    def stale_events(self, before_day: float) -> list[str]:
        """In memory the linker archives idle events as it goes."""
        return []


def majority_id(ids: Iterable[str]) -> str:
    """The id given most often (ties: the smallest): where a vanished group's id should lead."""
    votes = Counter(ids)
    return min(votes, key=lambda s: (-votes[s], s))


def follow_merges(merged_into: Mapping[str, str], group_id: str) -> str:
    """The living event or storyline an id stands for, following recorded merges (old ids stay resolvable)."""
    while group_id in merged_into:
        group_id = merged_into[group_id]
    return group_id


MISSING = object()


class Lazy(dict):
    """A dict that loads a missing key with ``load`` (MISSING: not there) and remembers changes.

    Values loaded are cached for the rest of the batch; ``changed`` and ``removed`` say what
    to write back. Iterating gives the keys loaded or set so far, not the store's.
    """

    def __init__(self, load: Callable[[str], Any]) -> None:
        super().__init__()
        self._load = load
        self._absent: set[str] = set()
        self.changed: dict[str, None] = {}
        self.removed: set[str] = set()

    def _fetch(self, key: str) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key in self._absent:
            return MISSING
        value = self._load(key)
        if value is MISSING:
            self._absent.add(key)
        else:
            dict.__setitem__(self, key, value)
        return value

    def __missing__(self, key: str) -> Any:
        value = self._fetch(key)
        if value is MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._fetch(key) is not MISSING

    def get(self, key: str, default: Any = None) -> Any:
        value = self._fetch(key)
        return default if value is MISSING else value

    def setdefault(self, key: str, default: Any = None) -> Any:
        value = self._fetch(key)
        if value is MISSING:
            self[key] = value = default
        return value

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            value = dict.__getitem__(self, key)
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        dict.__setitem__(self, key, value)
        self._absent.discard(key)
        self.removed.discard(key)
        self.changed[key] = None

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        dict.__delitem__(self, key)
        self._absent.add(key)
        self.changed.pop(key, None)
        self.removed.add(key)

    def mark(self, key: str) -> None:
        """Note a loaded value changed in place."""
        if dict.__contains__(self, key):
            self.changed[key] = None

    def prefetch(self, keys: Iterable[str], load_many: Callable[[list[str]], dict[str, Any]]) -> None:
        """Load many keys in one go (the values ``load`` would give one by one)."""
        wanted = [k for k in dict.fromkeys(keys) if not dict.__contains__(self, k) and k not in self._absent]
        found = load_many(wanted) if wanted else {}
        for key in wanted:
            if key in found:
                dict.__setitem__(self, key, found[key])
            else:
                self._absent.add(key)


class LazyCounter(Counter):
    """Document frequencies loaded from the store on first use; ``changed`` says what to write back."""

    def __init__(self, load_many: Callable[[list[str]], dict[str, int]]) -> None:
        super().__init__()
        self._load_many = load_many
        self.changed: set[str] = set()

    def __missing__(self, key: str) -> int:
        value = self._load_many([key]).get(key, 0)
        dict.__setitem__(self, key, value)
        return value

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = [k for k in dict.fromkeys(keys) if not dict.__contains__(self, k)]
        found = self._load_many(wanted) if wanted else {}
        for key in wanted:
            dict.__setitem__(self, key, found.get(key, 0))


class Codec(Protocol):
    """How the linker's own objects become JSON-ready dicts and back."""

    def event_to_dict(self, event: Any) -> dict[str, Any]: ...
    def event_from_dict(self, data: dict[str, Any]) -> Any: ...
    def recent_to_dict(self, recent: Any) -> dict[str, Any]: ...
    def recent_from_dict(self, data: dict[str, Any]) -> Any: ...


class StoreLinkState(LinkState):
    """The linkers' state kept in a store: mappings that load what is asked for and write back changes.

    One instance serves one batch: ``flush`` writes the changes (with the events and storylines
    the readers see) in the store's current transaction; the caller commits.
    """

    def __init__(self, store: Store, codec: Codec) -> None:
        super().__init__()
        self.store, self.codec = store, codec
        self.df = LazyCounter(lambda terms: store.link_values("terms", terms))
        self.events = Lazy(lambda key: self._one("events", key, codec.event_from_dict))
        self.event_of = Lazy(lambda key: self._one("assigned", key))
        self.merged_into = Lazy(lambda key: self._one("merges", key))
        self.postings = Lazy(lambda key: self._one("postings", key, dict.fromkeys))
        self.recent = Lazy(lambda key: self._one("recent", key, codec.recent_from_dict))
        self.active = Lazy(lambda key: None if store.link_event_active(key) else MISSING)
        self.links = Lazy(lambda key: self._one("links", key))
        self.storyline_of = Lazy(lambda key: self._one("storyline_of", key))
        self.storylines = Lazy(lambda key: self._one("storylines", key, lambda d: Storyline(**d)))
        self.storyline_merged_into = Lazy(lambda key: self._one("merges", key))
        self._counters = store.link_counters()

    def _one(self, table: str, key: str, decode: Callable[[Any], Any] | None = None) -> Any:
        found = self.store.link_values(table, [key])
        if key not in found:
            return MISSING
        return decode(found[key]) if decode else found[key]

    def prefetch_terms(self, terms: Iterable[str]) -> None:
        self.df.prefetch(terms)

    def count_terms(self, terms: Iterable[str]) -> None:
        for term in terms:
            self.df[term] += 1
            self.df.changed.add(term)

    def posting_changed(self, term: str) -> None:
        self.postings.mark(term)

    def event_changed(self, event_id: str) -> None:
        self.events.mark(event_id)

    def stale_events(self, before_day: float) -> list[str]:
        return self.store.stale_link_events(before_day)

    def flush(self, keep_recent: int) -> None:
        """Write what changed in this batch to the store (no commit)."""
        store, codec = self.store, self.codec
        store.save_link_values("terms", {t: self.df[t] for t in sorted(self.df.changed)})
        store.save_link_counters(self._counters)
        store.save_link_values("assigned", _changed_values(self.event_of))
        store.save_link_values("recent", {k: codec.recent_to_dict(v) for k, v in _changed_items(self.recent)})
        store.evict_link_recent(keep_recent)
        self._write_back("postings", self.postings, list)
        events = dict(_changed_items(self.events))
        store.save_link_events({k: (codec.event_to_dict(v), k in self.active) for k, v in events.items()})
        store.delete_link_values("events", self.events.removed)
        self._write_back("storylines", self.storylines, lambda storyline: storyline.__dict__)
        merges = {**_changed_values(self.merged_into), **_changed_values(self.storyline_merged_into)}
        store.save_link_values("merges", merges)
        self._write_back("storyline_of", self.storyline_of)
        self._write_back("links", self.links)

    def _write_back(self, table: str, mapping: Lazy, encode: Callable[[Any], Any] | None = None) -> None:
        """Save a mapping's changed entries to its table and delete its removed ones."""
        self.store.save_link_values(table, {k: encode(v) if encode else v for k, v in _changed_items(mapping)})
        self.store.delete_link_values(table, mapping.removed)


def _changed_items(mapping: Lazy) -> Iterator[tuple[str, Any]]:
    """The changed entries still there, in the order they were loaded or set."""
    for key in mapping.changed:
        if dict.__contains__(mapping, key):
            yield key, dict.__getitem__(mapping, key)


def _changed_values(mapping: Lazy) -> dict[str, Any]:
    return dict(_changed_items(mapping))
