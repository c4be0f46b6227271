"""Facts in conflict on real news: the comparison against our ECB+ fact gold.

ECB+ (`../shared/data/stories`) holds real reports of one event by many outlets. We read facts
off them (`bench/data/conflicts-ecb.tsv`): slots that outlets fill differently (`differ`) or
alike (`agree`), each with the passages that state the values. Each gold event's documents are
compared as one story (every document its own outlet: they come from different sites); a
`differ` fact is found when one reported conflict gives two of its different values at its
passages, and an `agree` fact is falsely in conflict when a reported conflict gives its value at
one of its passages. A `distinct` fact holds passages that give values of different quantities (games
played and games missed, two sons' ages): a conflict that gives two of them at their passages has
merged them, and is false too. Tune on train, report dev.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsprism.annotate.registry import annotate_article
from newsprism.bench.link import DATA_DIR, DEFAULT_DATA_DIR, load_gold, read_doc_at
from newsprism.compare import compare_story
from newsprism.compare.facts import amount
from newsprism.compare.result import Conflict
from newsprism.model import Article

FACT_GOLD = DATA_DIR / "conflicts-ecb.tsv"
LAYERS = ("timex", "entities", "quotes")  # what the fact matching reads: time expressions, who holds an office


@dataclass(frozen=True)
class Passage:
    doc_id: str
    value: str
    start: int  # into the document's body (the Article text), not the file
    end: int


@dataclass
class Fact:
    fact_id: str
    split: str
    cluster: str
    status: str  # "differ", "agree" or "distinct"
    kind: str
    slot: str
    passages: list[Passage] = field(default_factory=list)


def read_body(path: Path) -> tuple[Article, int]:
    """A stories document as an Article with its file name as its outlet (every document comes from
    another site), and the offset of its text in the file."""
    article, offset = read_doc_at(path)
    return replace(article, outlet=path.stem, id=""), offset


def load_facts(gold_file: Path, docs: Path) -> list[Fact]:
    """The gold facts with their passages moved to body offsets (passages in a headline are left out)."""
    facts: dict[str, Fact] = {}
    offsets: dict[str, int] = {}
    with gold_file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            fact = facts.setdefault(row["fact_id"], Fact(row["fact_id"], row["split"], row["event_cluster"],
                                                         row["status"], row["kind"], row["slot"]))
            doc_id = row["doc_id"]
            if doc_id not in offsets:
                offsets[doc_id] = read_body(docs / f"{doc_id}.txt")[1]
            start, end = int(row["start"]) - offsets[doc_id], int(row["end"]) - offsets[doc_id]
            if start >= 0:
                fact.passages.append(Passage(doc_id, row["value"], start, end))
    return list(facts.values())


def score(facts: list[Fact], conflicts_by_cluster: dict[str, list[Conflict]], ids: dict[str, str]) -> dict:
    """Found, false and merged conflicts of the facts, given each cluster's reported conflicts."""
    count = dict.fromkeys(_CALLS, 0)
    called: dict[str, list[str]] = {status: [] for status in _CALLS}
    for fact in facts:
        count[fact.status] += 1
        if any(_call(c, fact, ids) for c in conflicts_by_cluster.get(fact.cluster, [])):
            called[fact.status].append(fact.fact_id)
    return {**count, "found": called["differ"], "false": called["agree"], "merged": called["distinct"]}


# What the gold says of a conflict that touches a fact of each status, in the order a reader is told.
_CALLS = {"differ": "found", "distinct": "MERGED", "agree": "FALSE"}


def _call(conflict: Conflict, fact: Fact, ids: dict[str, str]) -> str | None:
    """The gold's call on a reported conflict for one fact: it finds a differ fact or merges a distinct one by
    giving two of its values at its passages, and puts an agree fact falsely in conflict by giving one."""
    hit = _touches(conflict, fact, ids) if fact.status == "agree" else _gives_two_values(conflict, fact, ids)
    return _CALLS[fact.status] if hit else None


def _matched_values(conflict: Conflict, fact: Fact, ids: dict[str, str]) -> set[str]:
    """The fact's gold values that the conflict reports at one of the passages giving them."""
    matched = set()
    for value in conflict.values:
        for evidence in value.evidence:
            for passage in fact.passages:
                at_passage = ids.get(passage.doc_id) == evidence.article_id and evidence.start < passage.end \
                    and passage.start < evidence.end
                if at_passage and _same_value(passage.value, value.value):
                    matched.add(passage.value)
    return matched


def _same_value(gold: str, reported: str) -> bool:
    """Gold ">=20", "~20" or ">02:30" is reported "20" or "02:30": the qualifier is the passage's wording.
    A duration is reported with its unit ("2 hours"), which the gold's slot names."""
    return gold.lstrip("<>=~") == amount(reported)


def _gives_two_values(conflict: Conflict, fact: Fact, ids: dict[str, str]) -> bool:
    return len(_matched_values(conflict, fact, ids)) >= 2


def _touches(conflict: Conflict, fact: Fact, ids: dict[str, str]) -> bool:
    return bool(_matched_values(conflict, fact, ids))


def run(split: str, data_dir: Path = DEFAULT_DATA_DIR, gold_file: Path = FACT_GOLD) -> dict:
    """Compare each gold event of the split that has facts, and score the facts."""
    docs = data_dir / "docs"
    facts = [f for f in load_facts(gold_file, docs) if f.split == split]
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, cluster in load_gold(data_dir, split):
        members[cluster].append(doc_id)
    conflicts_by_cluster, ids, reported, shown = {}, {}, 0, []
    for cluster in sorted({f.cluster for f in facts}):
        articles = []
        for doc_id in members[cluster]:
            article = annotate_article(read_body(docs / f"{doc_id}.txt")[0], LAYERS)
            ids[doc_id] = article.id
            articles.append(article)
        conflicts_by_cluster[cluster] = compare_story(articles).conflicts
        reported += len(conflicts_by_cluster[cluster])
        cluster_facts = [f for f in facts if f.cluster == cluster]
        shown += _as_read(cluster, conflicts_by_cluster[cluster], cluster_facts, ids, articles)
    return {"split": split, "events": len(conflicts_by_cluster), "reported": reported, "conflicts": shown,
            **score(facts, conflicts_by_cluster, ids)}


CONTEXT_CHARS = 100  # of the article's text on each side of a value's evidence, for a reader


def _as_read(cluster: str, conflicts: list[Conflict], facts: list[Fact], ids: dict[str, str],
             articles: list[Article]) -> list[dict]:
    """An event's reported conflicts as a reader checks them: each value's passages, and what the gold says."""
    doc_of = {article_id: doc_id for doc_id, article_id in ids.items()}
    text_of = {a.id: a.text for a in articles}
    by_status = sorted(facts, key=lambda f: list(_CALLS).index(f.status))
    read = []
    for conflict in conflicts:
        calls = [f"{call} {f.fact_id}" for f in by_status if (call := _call(conflict, f, ids))]
        values = [(value.value, [(doc_of.get(e.article_id, e.article_id),
                                  _around(text_of.get(e.article_id, e.text), e.start, e.end))
                                 for e in value.evidence]) for value in conflict.values]
        read.append({"cluster": cluster, "slot": conflict.slot, "gold": calls or ["not in the gold"],
                     "values": values})
    return read


def _around(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - CONTEXT_CHARS):end + CONTEXT_CHARS].split())


def format_conflicts(results: list[dict]) -> str:
    """Every reported conflict with its evidence and the gold's call, to read: "found", "FALSE", "MERGED"
    or "not in the gold" (most are not: the gold holds the facts we read, not every fact)."""
    lines = []
    for r in results:
        for c in r["conflicts"]:
            lines.append(f"{r['split']} {c['cluster']} | {c['slot']} | {', '.join(c['gold'])}")
            lines += [f"    [{value}] {doc_id}: {passage}" for value, passages in c["values"]
                      for doc_id, passage in passages]
    return "\n".join(lines)


def format_table(results: list[dict]) -> str:
    lines = ["split  events  differ  found  agree  false  distinct  merged  conflicts_reported"]
    for r in results:
        lines.append(f"{r['split']:<7}{r['events']:>6}{r['differ']:>8}{len(r['found']):>7}{r['agree']:>7}"
                     f"{len(r['false']):>7}{r['distinct']:>10}{len(r['merged']):>8}{r['reported']:>20}")
    for r in results:
        if r["false"]:
            lines.append(f"{r['split']}: falsely in conflict: {', '.join(r['false'])}")
        if r["merged"]:
            lines.append(f"{r['split']}: distinct quantities merged: {', '.join(r['merged'])}")
    return "\n".join(lines)
