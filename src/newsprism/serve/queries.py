"""Read-only queries the API and the pages share: one place for the SQL over the store's tables.

Layers are JSON in ``layers.spans``; the queries read them with the back end's JSON functions (the
connection's ``dialect``: SQLite's ``json_each``, PostgreSQL's ``jsonb_array_elements``) and, for
filters, test the raw JSON for the wanted text first, so only the layers that can match are parsed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from newsprism.serve.cache import AggregateCache
from newsprism.store.base import SUPERSEDED, Connection, search_terms, store_time
from newsprism.watch.fetch import ROBOTS_REFUSAL
from newsprism.watch.rounds import LISTING_KINDS

SUMMARY_COLUMNS = "a.id, a.title, a.outlet, a.published, a.language, a.url"


@dataclass(frozen=True)
class Page:
    """One page of a listing: the items and where the listing goes on."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        after = self.offset + len(self.items)
        return {
            "items": self.items,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": after if after < self.total else None,
        }


@dataclass(frozen=True)
class SearchFilters:
    """The filters of a search or a listing; all optional."""

    outlet: str | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    entity: str | None = None
    technique: str | None = None


def _cached(cache: AggregateCache | None, db: Connection, key: Any, compute: Any) -> Any:
    return compute() if cache is None else cache.get(db, key, compute)


def _slice(items: list[dict[str, Any]], limit: int, offset: int) -> Page:
    return Page(items[offset:offset + limit], len(items), limit, offset)


def file_safe(value: str) -> str:
    """``value`` reduced to characters safe in a download's file name."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", value)[:80] or "story"


def _json_needle(value: str) -> str:
    """How ``value`` appears inside the stored JSON, for a cheap pre-filter."""
    return json.dumps(value, ensure_ascii=False)


def entity_variants(db: Connection, name: str) -> list[str]:
    """The stored canonical names the store reads as ``name`` (itself included)."""
    rows = db.execute("SELECT DISTINCT name FROM entity_names WHERE canonical = ?", (name,)).fetchall()
    return sorted({name, *(r["name"] for r in rows)})


def entity_article_ids(db: Connection, name: str) -> list[str]:
    """Ids of the articles whose entities layer names ``name`` (or a variant the store reads as it)."""
    names = entity_variants(db, name)
    sql = db.dialect
    any_name = " OR ".join(sql.contains("l.spans") for _ in names)
    rows = db.execute(
        f"SELECT DISTINCT l.article_id FROM layers l, {sql.json_items('l.spans', 's')} WHERE l.name = 'entities'"
        f" AND ({any_name}) AND {sql.json_field('s.value', 'attrs.canonical')} IN ({', '.join('?' * len(names))})",
        [*map(_json_needle, names), *names],
    )
    return [r[0] for r in rows]


def technique_article_ids(db: Connection, technique: str) -> list[str]:
    """Ids of the articles with at least one span of ``technique``."""
    sql = db.dialect
    rows = db.execute(
        f"SELECT DISTINCT l.article_id FROM layers l, {sql.json_items('l.spans', 's')} WHERE l.name = 'techniques'"
        f" AND {sql.contains('l.spans')} AND {sql.json_field('s.value', 'label')} = ?",
        (_json_needle(technique), technique),
    )
    return [r[0] for r in rows]


def _filter_clauses(
    db: Connection, filters: SearchFilters, cache: AggregateCache | None
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for clause, value in (
        ("a.outlet = ?", filters.outlet),
        ("a.language = ?", filters.language),
        ("substr(a.published, 1, 10) >= ?", filters.since),
        ("substr(a.published, 1, 10) <= ?", filters.until),
    ):
        if value:
            where.append(clause)
            params.append(value)
    for kind, value, find in (
        ("entity", filters.entity, entity_article_ids),
        ("technique", filters.technique, technique_article_ids),
    ):
        if value:
            ids = _cached(cache, db, (kind, value), lambda find=find, value=value: find(db, value))
            where.append(db.dialect.in_json_list("a.id"))
            params.append(json.dumps(ids))
    return where, params


def _where(clauses: list[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


def list_articles(
    db: Connection, filters: SearchFilters, limit: int, offset: int, cache: AggregateCache | None = None
) -> Page:
    """Articles newest first, with the filters; summaries only (no text)."""
    clauses, params = _filter_clauses(db, filters, cache)
    total, rows = _paged(db, SUMMARY_COLUMNS, f"FROM articles a{_where(clauses)}", "a.published DESC NULLS LAST, a.id",
                         params, limit, offset)
    return Page([dict(r) for r in rows], total, limit, offset)


def search(
    db: Connection,
    query: str,
    filters: SearchFilters,
    limit: int,
    offset: int,
    cache: AggregateCache | None = None,
) -> Page:
    """Full-text search (bm25, title weighted) with the filters; an empty query lists by the filters alone.

    Raises ValueError when the query has no words."""
    if not query.strip():
        return list_articles(db, filters, limit, offset, cache)
    sql = db.dialect
    clauses, params = _filter_clauses(db, filters, cache)
    clauses.insert(0, sql.search_match)
    params.insert(0, sql.search_query(search_terms(query)))  # the query's ? is in the source or the match
    source = f"{sql.search_source}{_where(clauses)}"
    total, rows = _paged(db, f"{SUMMARY_COLUMNS}, {sql.search_columns}", source,
                         "score DESC, a.published DESC NULLS LAST", params, limit, offset)
    items = [{**dict(r), "score": round(r["score"], 4)} for r in rows]
    return Page(items, total, limit, offset)


def _paged(
    db: Connection, columns: str, source: str, order: str, params: list[Any], limit: int, offset: int
) -> tuple[int, list[Any]]:
    """The total count of ``source`` and one page of its rows (``source``: FROM ... WHERE ...)."""
    total = db.execute(f"SELECT count(*) {source}", params).fetchone()[0]
    rows = db.execute(f"SELECT {columns} {source} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset))
    return total, rows.fetchall()


Level = Literal["story", "event"]  # the two levels of linking: a story (storyline) holds events
_MEMBERS: dict[Level, tuple[str, str]] = {  # each level's member table and its key column
    "story": ("story_articles", "story_id"),
    "event": ("event_articles", "event_id"),
}


def outlet_coverage(db: Connection, ids: list[str], level: Level = "story") -> dict[str, dict[str, int]]:
    """Per story (or event), how many of its articles each outlet published."""
    table, key = _MEMBERS[level]
    coverage: dict[str, dict[str, int]] = {link_id: {} for link_id in ids}
    if not ids:
        return coverage
    rows = db.execute(
        f"SELECT m.{key} AS link_id, coalesce(a.outlet, '') AS outlet, count(*) AS n FROM {table} m"
        f" JOIN articles a ON a.id = m.article_id WHERE m.{key} IN ({', '.join('?' * len(ids))})"
        " GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
        ids,
    )
    for row in rows:
        coverage[row["link_id"]][row["outlet"]] = row["n"]
    return coverage


def story_summaries(db: Connection, outlet: str | None = None) -> list[dict[str, Any]]:
    """Every story (or every story the outlet covers), the most widely covered first, with its coverage."""
    where, params = ("", []) if not outlet else (
        " WHERE s.id IN (SELECT sa2.story_id FROM story_articles sa2 JOIN articles a2 ON a2.id = sa2.article_id"
        " WHERE a2.outlet = ?)",
        [outlet],
    )
    rows = db.execute(
        "SELECT s.id, s.title, count(a.id) AS articles, count(DISTINCT a.outlet) AS outlets,"
        " (SELECT count(*) FROM events e WHERE e.story_id = s.id) AS events,"
        " min(a.published) AS first_published, max(a.published) AS last_published FROM stories s"
        " LEFT JOIN story_articles sa ON sa.story_id = s.id LEFT JOIN articles a ON a.id = sa.article_id"
        f"{where} GROUP BY s.id ORDER BY outlets DESC, articles DESC, first_published DESC NULLS LAST, s.id",
        params,
    ).fetchall()
    items = [{**dict(r), "coverage": {}} for r in rows]
    by_id = {item["id"]: item for item in items}
    coverage = db.execute(
        "SELECT sa.story_id, coalesce(a.outlet, '') AS outlet, count(*) AS n FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2"
    )
    for row in coverage:
        if row["story_id"] in by_id:
            by_id[row["story_id"]]["coverage"][row["outlet"]] = row["n"]
    return items


def list_stories(
    db: Connection, limit: int, offset: int, outlet: str | None = None, cache: AggregateCache | None = None
) -> Page:
    """A page of ``story_summaries``."""
    items = _cached(cache, db, ("stories", outlet), lambda: story_summaries(db, outlet))
    return _slice(items, limit, offset)


def member_summaries(db: Connection, link_id: str, level: Level = "story") -> list[dict[str, Any]]:
    """The articles of a story (or event) in publication order (summaries)."""
    table, key = _MEMBERS[level]
    rows = db.execute(
        f"SELECT {SUMMARY_COLUMNS}, a.id IN ({SUPERSEDED}) AS superseded FROM {table} m"
        f" JOIN articles a ON a.id = m.article_id WHERE m.{key} = ?"
        " ORDER BY a.published NULLS FIRST, a.outlet NULLS FIRST, a.id",
        (link_id,),
    )
    return [{**dict(r), "superseded": bool(r["superseded"])} for r in rows]


def story(db: Connection, story_id: str) -> dict[str, Any] | None:
    """The story with its articles in publication order (summaries) and its events."""
    row = db.execute("SELECT id, title FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    return {**dict(row), "articles": member_summaries(db, story_id),
            "coverage": outlet_coverage(db, [story_id])[story_id], "events": story_events(db, story_id)}


def _event_columns(db: Connection) -> str:
    """An event's days (days since the epoch, UTC) as ISO dates, NULL when undated."""
    day = db.dialect.day_to_date
    return f"e.id, e.title, {day('e.first_day')} AS first, {day('e.last_day')} AS last"


def story_events(db: Connection, story_id: str) -> list[dict[str, Any]]:
    """The story's events, oldest first and undated last, with the outlets that covered each."""
    rows = db.execute(
        f"SELECT {_event_columns(db)} FROM events e WHERE e.story_id = ?"
        " ORDER BY e.first_day IS NULL, e.first_day, e.id",
        (story_id,),
    ).fetchall()
    coverage = outlet_coverage(db, [r["id"] for r in rows], "event")
    return [{**dict(r), "articles": sum(coverage[r["id"]].values()), "outlets": sorted(coverage[r["id"]])}
            for r in rows]


def event(db: Connection, event_id: str) -> dict[str, Any] | None:
    """The event with its story (when it has one) and its articles in publication order (summaries)."""
    row = db.execute(
        f"SELECT {_event_columns(db)}, s.id AS story_id, s.title AS story_title FROM events e"
        " LEFT JOIN stories s ON s.id = e.story_id WHERE e.id = ?",
        (event_id,),
    ).fetchone()
    if row is None:
        return None
    found = dict(row)
    story_id, story_title = found.pop("story_id"), found.pop("story_title")
    return {**found, "story": {"id": story_id, "title": story_title} if story_id else None,
            "articles": member_summaries(db, event_id, "event"),
            "coverage": outlet_coverage(db, [event_id], "event")[event_id]}


def event_of_article(db: Connection, article_id: str) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT e.id, e.title FROM event_articles ea JOIN events e ON e.id = ea.event_id WHERE ea.article_id = ?",
        (article_id,),
    ).fetchone()
    return dict(row) if row else None


def stories_of_article(db: Connection, article_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT s.id, s.title FROM story_articles sa JOIN stories s ON s.id = sa.story_id WHERE sa.article_id = ?",
        (article_id,),
    )
    return [dict(r) for r in rows]


def outlets(db: Connection, cache: AggregateCache | None = None) -> list[dict[str, Any]]:
    """Every outlet with its article and story counts and its date range."""
    return _cached(cache, db, "outlets", lambda: _outlets(db))


def _outlets(db: Connection) -> list[dict[str, Any]]:
    stories = dict(
        db.execute(
            "SELECT coalesce(a.outlet, ''), count(DISTINCT sa.story_id) FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id GROUP BY 1"
        ).fetchall()
    )
    rows = db.execute(
        "SELECT coalesce(a.outlet, '') AS name, count(*) AS articles, min(a.published) AS first_published,"
        f" max(a.published) AS last_published, {db.dialect.concat_distinct('a.language')} AS languages"
        " FROM articles a GROUP BY a.outlet ORDER BY articles DESC, name"
    )
    return [
        {**dict(r), "languages": sorted(filter(None, (r["languages"] or "").split(","))),
         "stories": stories.get(r[0], 0)}
        for r in rows
    ]


def technique_counts(
    db: Connection, outlet: str | None = None, cache: AggregateCache | None = None
) -> dict[str, int]:
    """How many technique spans of each kind the outlet's articles (or all articles) carry."""
    return _cached(cache, db, ("techniques", outlet), lambda: _technique_counts(db, outlet))


def _technique_counts(db: Connection, outlet: str | None) -> dict[str, int]:
    where, params = ("", []) if outlet is None else (" AND a.outlet = ?", [outlet])
    sql = db.dialect
    rows = db.execute(
        f"SELECT {sql.json_field('s.value', 'label')} AS technique, count(*) AS n FROM articles a"
        f" JOIN layers l ON l.article_id = a.id AND l.name = 'techniques', {sql.json_items('l.spans', 's')}"
        f" WHERE 1 = 1{where} GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    )
    return {r["technique"]: r["n"] for r in rows if r["technique"]}


def outlet_profile(db: Connection, name: str, cache: AggregateCache | None = None) -> dict[str, Any] | None:
    """An outlet's figures: articles, stories, how often it reported a story first, technique rates."""
    return _cached(cache, db, ("profile", name), lambda: _outlet_profile(db, name, cache))


def _outlet_profile(db: Connection, name: str, cache: AggregateCache | None) -> dict[str, Any] | None:
    row = next((o for o in outlets(db, cache) if o["name"] == name), None)
    if row is None:
        return None
    first = db.execute(
        "SELECT count(*) FROM (SELECT sa.story_id, a.outlet, row_number() OVER"
        " (PARTITION BY sa.story_id ORDER BY a.published, a.id) AS rank FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id WHERE a.published IS NOT NULL) AS ranked"
        " WHERE rank = 1 AND outlet = ?",
        (name,),
    ).fetchone()[0]
    counts = technique_counts(db, name, cache)
    return {
        **row,
        "first_reports": first,
        "techniques": counts,
        "techniques_per_article": round(sum(counts.values()) / row["articles"], 3) if row["articles"] else 0.0,
    }


def entities(db: Connection, label: str | None, prefix: str | None, limit: int, offset: int) -> Page:
    """Entity names as the store reads them (variants folded into their canonical name), most used first."""
    clauses, params = ["canonical IS NULL"], []
    if label:
        clauses.append("label = ?")
        params.append(label)
    if prefix:
        clauses.append("name LIKE ? ESCAPE '\\'")
        params.append(prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    total, rows = _paged(db, "name, label, articles", f"FROM entity_names{_where(clauses)}",
                         "articles DESC, name, label", params, limit, offset)
    return Page([dict(r) for r in rows], total, limit, offset)


def _quote_source(db: Connection) -> str:
    """The quotes layers' spans as ``s`` with their article ``a`` and the speaker's store-wide name ``en``."""
    sql = db.dialect
    return (f" FROM layers l JOIN articles a ON a.id = l.article_id, {sql.json_items('l.spans', 's')}"
            f" LEFT JOIN entity_names en ON en.name = {sql.json_field('s.value', 'attrs.speaker_name')}"
            " AND en.label = 'PERSON' WHERE l.name = 'quotes'")


def speakers(db: Connection, limit: int, offset: int, cache: AggregateCache | None = None) -> Page:
    """People quoted in the store, the most quoted first, with how many outlets quote them."""
    return _slice(_cached(cache, db, "speakers", lambda: _speakers(db)), limit, offset)


def _speakers(db: Connection) -> list[dict[str, Any]]:
    speaker_name = db.dialect.json_field("s.value", "attrs.speaker_name")
    rows = db.execute(
        f"SELECT coalesce(en.canonical, {speaker_name}) AS speaker, count(*) AS quotes,"
        f" count(DISTINCT a.outlet) AS outlets{_quote_source(db)} AND {speaker_name} IS NOT NULL"
        " GROUP BY 1 ORDER BY quotes DESC, speaker"
    )
    return [dict(r) for r in rows]


def quotes_by(
    db: Connection, speaker: str, limit: int, offset: int, cache: AggregateCache | None = None
) -> Page:
    """The quotes of one speaker (by store-wide name), newest first, with their text and article."""
    return _slice(_cached(cache, db, ("quotes", speaker), lambda: _quotes_by(db, speaker)), limit, offset)


def _quotes_by(db: Connection, speaker: str) -> list[dict[str, Any]]:
    names = entity_variants(db, speaker)
    sql = db.dialect
    start, end = sql.json_number("s.value", "start"), sql.json_number("s.value", "end")
    any_name = " OR ".join(sql.contains("l.spans") for _ in names)
    rows = db.execute(
        f"SELECT a.id AS article_id, a.title, a.outlet, a.published, {start} AS start, {end} AS end,"
        f" {sql.json_field('s.value', 'label')} AS kind, substr(a.text, {start} + 1, {end} - {start}) AS text"
        f"{_quote_source(db)} AND ({any_name})"
        f" AND {sql.json_field('s.value', 'attrs.speaker_name')} IN ({', '.join('?' * len(names))})"
        " ORDER BY a.published DESC NULLS LAST, a.id, start",
        [*map(_json_needle, names), *names],
    )
    return [{**dict(r), "speaker": speaker} for r in rows]


# --- what `newsprism watch` collected: its sources' health, what is new since a time ---------------------

WATCH_DAYS = 14  # days of articles per day on the sources' health
# A fetch that went wrong, as the watcher's rounds count it: not the article pages robots.txt kept it from
# asking for (its own choice), nor a known page answering 404/410 (the outlet deleted it: a version).
FETCH_FAILED = (
    "f.error IS NOT NULL AND NOT (f.kind = 'article' AND (f.error LIKE ? OR f.status IN (404, 410) AND EXISTS"
    " (SELECT 1 FROM page_versions v WHERE v.url = f.url AND v.fetch_id <= f.id)))"
)
MAX_TIME_CHARS = 64


def iso_utc(value: str) -> str:
    """An ISO 8601 time (UTC when it names no offset) as ``store_time``; ValueError, with the message for
    the user, when it is none."""
    try:
        if len(value) > MAX_TIME_CHARS:
            raise ValueError
        return store_time(datetime.fromisoformat(value.strip().upper()))  # RFC 3339 allows a lower-case t and z
    except ValueError:
        raise ValueError(f"since: {value[:MAX_TIME_CHARS]!r} is not an ISO 8601 time such as"
                         " 2026-04-06T09:00:00Z (UTC unless it gives an offset)") from None


def source_health(db: Connection, now: datetime) -> list[dict[str, Any]]:
    """Every source the watcher knows, by name, with its figures; the counts cover the 24 h before ``now``.

    ``per_day`` counts the distinct articles first read from the source's pages each UTC day (version 1 of a
    page, by its fetch time): what the outlet published and the watcher collected, rewrites not counted again
    (articles by ``added_at`` would count each rewrite, and articles other ingests gave the same outlet).
    ``health`` is ``stale`` when nothing was fetched in 24 h, ``failing`` when one of its listings (feed,
    sitemap, home page) failed on its latest try or no answer in 24 h was OK, else ``ok``."""
    day_ago = store_time(now - timedelta(days=1))
    per_day = _articles_per_day(db, now)
    names = [r[0] for r in db.execute("SELECT DISTINCT source FROM watch_pages ORDER BY 1")]  # listings too
    return [
        {"name": name, **_source_figures(db, name, day_ago),
         "per_day": [{"day": day, "articles": per_day.get((name, day), 0)} for day in _last_days(now)]}
        for name in names
    ]


def _source_figures(db: Connection, name: str, day_ago: str) -> dict[str, Any]:
    """One source's pages, fetches and health; each query keeps to the source's recent rows or stops at the
    latest match (fetches grows by every request)."""
    refused = f"%{ROBOTS_REFUSAL}"
    pages = db.execute("SELECT count(*) AS pages, coalesce(sum(due), 0) AS due FROM watch_pages"
                       " WHERE source = ? AND kind = 'article'", (name,)).fetchone()
    recent = db.execute(
        f"SELECT count(f.final_url) AS requests, coalesce(sum(CASE WHEN {FETCH_FAILED} THEN 1 ELSE 0 END), 0)"
        " AS errors FROM fetches f WHERE f.source = ? AND f.fetched_at >= ?", (refused, name, day_ago),
    ).fetchone()

    def latest(columns: str, condition: str, params: tuple[Any, ...] = ()) -> Any:
        return db.execute(f"SELECT {columns} FROM fetches f WHERE f.source = ? AND {condition}"
                          " ORDER BY f.fetched_at DESC, f.id DESC LIMIT 1", (name, *params)).fetchone()

    last_fetch = latest("f.fetched_at", "f.final_url IS NOT NULL")  # an exchange, not a refusal
    last_ok = latest("f.fetched_at", "(f.status BETWEEN 200 AND 299 OR f.status = 304)")
    last_error = latest("f.url, f.error, f.fetched_at AS at", FETCH_FAILED, (refused,))
    kinds = ", ".join("?" * len(LISTING_KINDS))
    listings_failing = db.execute(  # tried since it last read well (the watcher notes each good read)
        f"SELECT count(*) FROM watch_pages w WHERE w.source = ? AND w.kind IN ({kinds}) AND (SELECT"
        " max(f.fetched_at) FROM fetches f WHERE f.source = w.source AND f.fetched_at >= ? AND f.url = w.url)"
        " > coalesce(w.fetched_at, '')", (name, *LISTING_KINDS, day_ago),
    ).fetchone()[0]
    last_fetch_at, last_ok_at = (row[0] if row else None for row in (last_fetch, last_ok))
    if last_fetch_at is None or last_fetch_at < day_ago:
        health = "stale"
    elif listings_failing or last_ok_at is None or last_ok_at < day_ago:
        health = "failing"
    else:
        health = "ok"
    return {"pages": pages["pages"], "due": pages["due"], "last_fetch": last_fetch_at, "last_ok": last_ok_at,
            "requests_24h": recent["requests"], "errors_24h": recent["errors"],
            "last_error": dict(last_error) if last_error else None, "health": health}


def _last_days(now: datetime) -> list[str]:
    """The ``WATCH_DAYS`` UTC days up to ``now``'s, oldest first."""
    today = now.astimezone(UTC).date()
    return [(today - timedelta(days=n)).isoformat() for n in range(WATCH_DAYS - 1, -1, -1)]


def _articles_per_day(db: Connection, now: datetime) -> dict[tuple[str, str], int]:
    rows = db.execute(
        "SELECT w.source, substr(v.fetched_at, 1, 10) AS day, count(DISTINCT v.article_id) AS articles"
        " FROM page_versions v JOIN watch_pages w ON w.url = v.url WHERE v.version = 1"
        " AND v.article_id IS NOT NULL AND v.fetched_at >= ? GROUP BY 1, 2", (_last_days(now)[0],),
    )
    return {(r["source"], r["day"]): r["articles"] for r in rows}


def added_since(db: Connection, since: str, limit: int, offset: int) -> Page:
    """The articles stored at ``since`` or later (``iso_utc``), newest first."""
    total, rows = _paged(db, f"{SUMMARY_COLUMNS}, a.added_at", "FROM articles a WHERE a.added_at >= ?",
                         "a.added_at DESC, a.id", [since], limit, offset)
    return Page([dict(r) for r in rows], total, limit, offset)


def changed_since(db: Connection, since: str, limit: int, offset: int) -> Page:
    """The pages the watcher found rewritten or deleted at ``since`` or later (each such version), newest
    first, with the version before it and the title (the new one's, or the deleted one's)."""
    total, rows = _paged(
        db,
        "v.url, w.source, v.version, v.fetched_at, v.status, v.article_id, p.article_id AS previous_article_id,"
        " p.fetched_at AS previous_fetched_at, coalesce(a.title, pa.title) AS title",
        "FROM page_versions v JOIN page_versions p ON p.url = v.url AND p.version = v.version - 1"
        " LEFT JOIN watch_pages w ON w.url = v.url LEFT JOIN articles a ON a.id = v.article_id"
        " LEFT JOIN articles pa ON pa.id = p.article_id WHERE v.version > 1 AND v.fetched_at >= ?",
        "v.fetched_at DESC, v.url, v.version DESC", [since], limit, offset,
    )
    return Page([dict(r) for r in rows], total, limit, offset)


def grown_since(db: Connection, since: str, limit: int, offset: int) -> Page:
    """The stories that gained articles stored at ``since`` or later (new stories too), the latest grown first."""
    grown = (
        "FROM (SELECT s.id, s.title, sum(CASE WHEN a.added_at >= ? THEN 1 ELSE 0 END) AS added, count(*) AS articles,"
        " max(a.added_at) AS last_added FROM stories s JOIN story_articles sa ON sa.story_id = s.id"
        " JOIN articles a ON a.id = sa.article_id GROUP BY s.id HAVING max(a.added_at) >= ?) AS grown"
    )
    total, rows = _paged(db, "id, title, added, articles, last_added", grown, "last_added DESC, id",
                         [since, since], limit, offset)
    return Page([dict(r) for r in rows], total, limit, offset)
