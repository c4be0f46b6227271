"""Linking figures: events and storylines on real news, and how linking time and memory scale.

Events: all ECB+ documents of one split are linked in one run (the two events of a topic and the
topics apart at once) and the partition is scored with BCubed and pairwise P/R/F1 against the
gold event clusters, in gold order and in file-name order. The threshold is tuned on ``train``
(``--tune``); ``dev`` is reported.

Storylines: on ECB+ each event is its own storyline (a topic's two events are two happenings that
look alike), so the storyline partition is scored against the event clusters too, with the share
of topics whose two events stay in different storylines; on TimeBank + AQUAINT (dated newswire,
1989-2000) against a storyline gold read off the documents by us (``bench/data/``).

Scale: a synthetic dated stream of perturbed copies of the stories texts and the sample corpus;
each size runs in a fresh process so its peak memory is its own. Incremental: stores of each size
are linked from scratch, then the next articles of the stream are ingested into them.
"""

from __future__ import annotations

import csv
import multiprocessing
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise as pairwise_of
from pathlib import Path

from newsprism.bench import SHARED_DATA, peak_rss_mb
from newsprism.link import EventLinker, LinkParams, StorylineParams, link_articles
from newsprism.model import Article
from newsprism.store import Store

DEFAULT_DATA_DIR = SHARED_DATA / "stories"
TIMEX_DATA_DIR = SHARED_DATA / "timex"
QUOTES_DATA_DIR = SHARED_DATA / "quotes"
DATA_DIR = Path(__file__).parent / "data"  # our storyline gold files (ids and labels only)
SPLITS = ("train", "dev")
DEFAULT_SIZES = (10_000, 50_000, 100_000)
TUNE_THRESHOLDS = tuple(round(0.10 + 0.02 * i, 2) for i in range(16))
MAX_DOC_BYTES = 2_000_000
STREAM_START = datetime(2026, 1, 1, tzinfo=UTC)
STORY_SIZE = 10  # articles per synthetic story, on average
STORIES_PER_DAY = 16  # with ~110 event groups, a group recurs after about a week
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")


# --- quality ------------------------------------------------------------------------------

def load_gold(data_dir: Path, split: str) -> list[tuple[str, str]]:
    """(doc_id, event_cluster) of one split, in the gold file's order."""
    with (data_dir / "gold.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(row["doc_id"], row["event_cluster"]) for row in rows if split in (row["split"], "all")]


def read_doc(path: Path) -> Article:
    """A stories document as an Article: the first block is the headline, the rest the body."""
    return read_doc_at(path)[0]


def read_doc_at(path: Path) -> tuple[Article, int]:
    """``read_doc``, and where the Article's text starts in the file (to move file offsets to it)."""
    raw = path.read_bytes()[:MAX_DOC_BYTES].decode("utf-8", errors="replace")
    title, _, body = raw.partition("\n\n")
    text = body.strip() or title.strip()
    return Article(source=str(path), title=title.strip() or None, text=text), raw.index(text) if text else 0


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """BCubed precision/recall/F1 (per item, averaged over items) of a predicted partition."""
    gold_members, predicted_members = _members(gold), _members(predicted)
    precision = recall = 0.0
    for item in gold:
        same_predicted = predicted_members[predicted[item]]
        same_gold = gold_members[gold[item]]
        shared = len(same_predicted & same_gold)
        precision += shared / len(same_predicted)
        recall += shared / len(same_gold)
    n = len(gold) or 1
    return _prf(precision / n, recall / n)


def pairwise(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Precision/recall/F1 over all item pairs put together by the prediction and by the gold."""
    both = Counter((gold[i], predicted[i]) for i in gold)
    together_both = sum(c * (c - 1) // 2 for c in both.values())
    together_predicted = sum(c * (c - 1) // 2 for c in Counter(predicted[i] for i in gold).values())
    together_gold = sum(c * (c - 1) // 2 for c in Counter(gold.values()).values())
    return _prf(together_both / (together_predicted or 1), together_both / (together_gold or 1))


def _members(labels: dict[str, str]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return groups


def _prf(precision: float, recall: float) -> dict[str, float]:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def topic_of(event: str) -> str:
    return re.sub(r"ecb(plus)?$", "", event)


def topics_apart(gold: dict[str, str], predicted: dict[str, str]) -> float:
    """Share of topics whose two events share no predicted group (each ECB+ topic holds two)."""
    groups_of: dict[str, set[str]] = defaultdict(set)
    for item, event in gold.items():
        groups_of[event].add(predicted[item])
    topics: dict[str, list[set[str]]] = defaultdict(list)
    for event, groups in groups_of.items():
        topics[topic_of(event)].append(groups)
    apart = [all(a.isdisjoint(b) for a, b in pairwise_of(g)) for g in topics.values()]
    return sum(apart) / len(apart) if apart else 0.0


def mixed_topics(gold: dict[str, str], predicted: dict[str, str]) -> int:
    """Predicted stories that hold both events of one topic: the hard error on ECB+."""
    events_by_story: dict[str, set[str]] = defaultdict(set)
    for item, label in gold.items():
        events_by_story[predicted[item]].add(label)
    mixed = 0
    for events in events_by_story.values():
        topics = Counter(topic_of(event) for event in events)
        mixed += any(count > 1 for count in topics.values())
    return mixed


def score_split(data_dir: Path, split: str, params: LinkParams) -> dict:
    """Scores of the split linked in gold-file order, and the BCubed F1 in file-name order.

    The documents are undated, so they arrive in input order: the second order shows how much
    the result depends on it.
    """
    rows = load_gold(data_dir, split)
    articles = {doc_id: read_doc(data_dir / "docs" / f"{doc_id}.txt") for doc_id, _ in rows}
    gold = {doc_id: event for doc_id, event in rows}
    started = time.perf_counter()
    predicted, storylines = link_in_order(articles, [doc_id for doc_id, _ in rows], params)
    seconds = time.perf_counter() - started
    by_file_name, storylines_by_file_name = link_in_order(articles, sorted(articles), params)
    return {
        "split": split, "docs": len(rows), "gold_stories": len(set(gold.values())),
        "predicted_stories": len(set(predicted.values())), "bcubed": bcubed(gold, predicted),
        "pairwise": pairwise(gold, predicted), "mixed_topic_stories": mixed_topics(gold, predicted),
        "bcubed_f1_file_order": bcubed(gold, by_file_name)["f1"],
        "storylines": {"predicted": len(set(storylines.values())), "bcubed": bcubed(gold, storylines),
                       "pairwise": pairwise(gold, storylines), "topics_apart": topics_apart(gold, storylines),
                       "topics_apart_file_order": topics_apart(gold, storylines_by_file_name)},
        "threshold": params.threshold, "seconds": seconds,
    }


def link_in_order(articles: dict[str, Article], order: list[str], params: LinkParams,
                  story_params: StorylineParams | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """doc_id -> event, and doc_id -> storyline, of the documents linked in the given order."""
    linked = link_articles([articles[d] for d in order], params, story_params)
    return ({d: linked.event_of[articles[d].id] for d in order}, {d: linked.story_of[articles[d].id] for d in order})


def load_storyline_gold(gold_file: Path) -> list[dict[str, str]]:
    with gold_file.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read_timeml(timex_dir: Path, row: dict[str, str]) -> Article:
    """A TimeBank/AQUAINT document as an undated-title Article published on its creation day."""
    from newsprism.bench.timex import parse_tml

    doc = parse_tml(timex_dir / row["corpus"] / f"{row['doc_id']}.tml")
    return Article(source=row["doc_id"], text=doc.text.strip(), published=doc.dct or None,
                   outlet=re.sub(r"[\d._].*$", "", row["doc_id"]).upper() or None)


def read_polnear(quotes_dir: Path, row: dict[str, str]) -> Article:
    """A PolNeAR article: its title line, its body, its publisher and day."""
    split = row["corpus"].removeprefix("PolNeAR-")
    raw = (quotes_dir / split / "text" / f"{row['doc_id']}.txt").read_bytes()[:MAX_DOC_BYTES]
    title, _, body = raw.decode("utf-8", errors="replace").partition("\n")
    return Article(source=row["doc_id"], title=title.strip() or None, text=body.strip() or title.strip(),
                   published=row["dct"], outlet=row["doc_id"].split("_", 1)[0])


STORYLINE_SETS = {  # name: (gold file, data folder, reader)
    "TimeBank+AQUAINT": (DATA_DIR / "storylines-tbaq.tsv", TIMEX_DATA_DIR, read_timeml),
    "PolNeAR": (DATA_DIR / "storylines-polnear.tsv", QUOTES_DATA_DIR, read_polnear),
}


STORYLINE_GRID = [StorylineParams(threshold=t, grace_days=g, half_life_days=h)
                  for t in (0.20, 0.25, 0.30, 0.35, 0.40) for g in (3.0, 7.0, 14.0) for h in (7.0, 14.0, 30.0)]


STORYLINE_TIE = 0.005  # BCubed F1 within this of the best counts as a tie


def tune_storylines(name: str = "TimeBank+AQUAINT") -> tuple[StorylineParams, list[dict]]:
    """The storyline settings with the best BCubed F1 on one set, and every result. Settings within
    STORYLINE_TIE of the best tie, and the tie goes to the fewest merges (the highest threshold,
    then the shortest windows): two happenings that merely look alike must never be one storyline,
    and one set of a few hundred documents cannot tell such close settings apart."""
    results = [{**(score_storylines(name, story_params=p) or {}), "params": p} for p in STORYLINE_GRID]
    results = [r for r in results if "storylines" in r]
    if not results:
        raise ValueError(f"{name}: storyline gold or texts not found")
    top = max(r["storylines"]["bcubed"]["f1"] for r in results)
    tied = [r for r in results if r["storylines"]["bcubed"]["f1"] >= top - STORYLINE_TIE]
    best = max(tied, key=lambda r: (r["params"].threshold, -r["params"].grace_days, -r["params"].half_life_days))
    return best["params"], results


def score_storylines(name: str, params: LinkParams | None = None,
                     story_params: StorylineParams | None = None) -> dict | None:
    """Events and storylines of one set of dated real news against our storyline gold (None when its
    gold or its texts are not here)."""
    gold_file, data_dir, read = STORYLINE_SETS[name]
    if not gold_file.is_file() or not data_dir.is_dir():
        return None
    rows = load_storyline_gold(gold_file)
    articles = {row["doc_id"]: read(data_dir, row) for row in rows}
    events, storylines = link_in_order(articles, sorted(articles), params or LinkParams(), story_params)
    gold_storylines = {row["doc_id"]: row["storyline"] for row in rows}
    gold_events = {row["doc_id"]: row["event"] for row in rows}
    return {
        "name": name, "docs": len(rows), "gold_storylines": len(set(gold_storylines.values())),
        "gold_events": len(set(gold_events.values())),
        "predicted_storylines": len(set(storylines.values())), "predicted_events": len(set(events.values())),
        "storylines": {"bcubed": bcubed(gold_storylines, storylines),
                       "pairwise": pairwise(gold_storylines, storylines)},
        "events": {"bcubed": bcubed(gold_events, events), "pairwise": pairwise(gold_events, events)},
        "events_as_storylines": {"bcubed": bcubed(gold_storylines, events),
                                 "pairwise": pairwise(gold_storylines, events)},
    }


def tune(data_dir: Path, thresholds: Iterable[float] = TUNE_THRESHOLDS) -> tuple[float, list[dict]]:
    """The threshold with the best BCubed F1 on train (ties: the lower one), and every result."""
    results = [score_split(data_dir, "train", replace(LinkParams(), threshold=t)) for t in thresholds]
    best = max(results, key=lambda r: (r["bcubed"]["f1"], -r["threshold"]))
    return best["threshold"], results


def run(data_dir: Path = DEFAULT_DATA_DIR, splits: Iterable[str] = SPLITS, threshold: float | None = None,
        story_params: StorylineParams | None = None) -> dict:
    params = LinkParams() if threshold is None else replace(LinkParams(), threshold=threshold)
    results: dict = {"quality": [score_split(data_dir, split, params) for split in splits]}
    scored = (score_storylines(name, params, story_params) for name in STORYLINE_SETS)
    results["storylines"] = [result for result in scored if result]
    return results


# --- scale --------------------------------------------------------------------------------

Group = list[tuple[str, str]]  # (title, body) of texts that report one event


def base_groups(data_dir: Path, corpus_articles: Iterable[Article] = ()) -> list[Group]:
    """The texts the synthetic stream is made from, one group per event, in a fixed order.

    ECB+ documents of one event cluster report the same event, so they form one group; each
    corpus article is a group of its own.
    """
    groups: dict[str, Group] = {f"corpus-{i}": [(a.title or "", a.text)] for i, a in enumerate(corpus_articles)}
    if (data_dir / "gold.tsv").is_file():
        for doc_id, event in load_gold(data_dir, "all"):
            article = read_doc(data_dir / "docs" / f"{doc_id}.txt")
            groups.setdefault(event, []).append((article.title or "", article.text))
    return [groups[name] for name in sorted(groups)]


def _fake_name(rng: random.Random) -> str:
    syllables = ["ka", "ro", "vel", "min", "tas", "lor", "dun", "bre", "shi", "ot", "mar", "zen", "pil", "gua"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()


def _story_variant(base: tuple[str, str], rng: random.Random) -> tuple[str, str]:
    """The base text with half its capitalised names replaced by invented ones."""
    title, body = base
    names = sorted(set(_NAME.findall(f"{title} {body}")))
    renamed = {name: _fake_name(rng) for name in rng.sample(names, k=len(names) // 2)} if names else {}

    def swap(text: str) -> str:
        return _NAME.sub(lambda m: renamed.get(m.group(0), m.group(0)), text)

    return swap(title), swap(body)


def _perturbed(variant: tuple[str, str], rng: random.Random) -> tuple[str, str]:
    """One outlet's report: some sentences dropped, some words dropped, sentence order nudged."""
    title, body = variant
    sentences = [s for s in _SENTENCE.split(body) if rng.random() > 0.2] or [body]
    if len(sentences) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    text = " ".join(" ".join(w for w in s.split() if rng.random() > 0.1) for s in sentences)
    return title, text


def synthetic_stream(groups: list[Group], size: int, seed: int = 7) -> Iterator[tuple[Article, str]]:
    """``size`` dated articles with their gold story label, in time order, generated lazily.

    Stories start at a steady rate, each with about STORY_SIZE reports spread over two days,
    each from one text of an event group. Groups are used in turn, so a group comes back only
    len(groups) stories later (a week at the default rates): the label is the group and the
    round. Only the stories still running are held in memory.
    """
    rng = random.Random(seed)
    pending: list[tuple[float, int, int]] = []  # (hour, story number, report number)
    variants: dict[int, tuple[str, str]] = {}
    emitted = story = 0
    while emitted < size:
        start_hour = story * 24.0 / STORIES_PER_DAY
        group = groups[story % len(groups)]
        variants[story] = _story_variant(group[(story // len(groups)) % len(group)], rng)
        reports = max(1, int(rng.gauss(STORY_SIZE, 3)))
        pending.extend((start_hour + rng.uniform(0, 48), story, k) for k in range(reports))
        pending.sort()
        while pending and pending[0][0] <= start_hour and emitted < size:
            hour, number, k = pending.pop(0)
            title, text = _perturbed(variants[number], rng)
            published = (STREAM_START + timedelta(hours=hour)).isoformat()
            emitted += 1
            label = f"{number % len(groups)}@{number // len(groups)}"
            yield Article(source=f"synthetic#{emitted}", title=title, text=text, published=published,
                          outlet=f"outlet-{k % 7}"), label
        running = {number for _, number, _ in pending}
        for number in [n for n in variants if n not in running and n != story]:
            del variants[number]
        story += 1


def measure_size(groups: list[Group], size: int) -> dict:
    """Link a synthetic stream of ``size`` articles; time, peak memory and BCubed against its stories."""
    rss_before = _current_rss_mb()
    linker = EventLinker()
    gold: dict[str, str] = {}
    predicted_now: dict[str, None] = {}
    started = time.perf_counter()
    for article, label in synthetic_stream(groups, size):
        linker.add(article)
        gold[article.id] = label
        predicted_now[article.id] = None
    linker.refine()
    seconds = time.perf_counter() - started
    predicted = {article_id: linker.story_of(article_id) for article_id in predicted_now}
    return {
        "articles": size, "seconds": seconds, "articles_per_s": size / seconds if seconds else 0.0,
        "peak_rss_mb": peak_rss_mb(), "rss_growth_mb": _current_rss_mb() - rss_before,
        "stories": len(linker.events()),
        "gold_stories": len(set(gold.values())), "comparisons_per_article": linker.comparisons / size,
        "bcubed_f1": bcubed(gold, predicted)["f1"],
    }


def _current_rss_mb() -> float:
    """Resident memory now (Linux /proc; elsewhere the peak, the best portable figure)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return peak_rss_mb()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else peak_rss_mb()


def run_scale(sizes: Iterable[int], data_dir: Path = DEFAULT_DATA_DIR, corpus: Path | None = None) -> dict:
    """Each size in a fresh process, one after the other; the 100k/10k style ratio of the extremes."""
    groups = _stream_groups(data_dir, corpus)
    results = [_in_child(measure_size, groups, size) for size in sizes]
    ratio = results[-1]["seconds"] / results[0]["seconds"] if len(results) > 1 and results[0]["seconds"] else None
    return {"scale": results, "time_ratio": ratio, "size_ratio": results[-1]["articles"] / results[0]["articles"]}


def build_store(path: Path, groups: list[Group], size: int) -> dict:
    """A store of the stream's first ``size`` articles, linked from scratch (the full relink, timed)."""
    from newsprism.link.incremental import relink

    with Store(path) as store:
        for article, _ in synthetic_stream(groups, size):
            store.add_article(article)
        store.commit()
        started = time.perf_counter()
        relink(store)
        return {"relink_seconds": time.perf_counter() - started, "relink_peak_rss_mb": peak_rss_mb()}


def ingest_next(path: Path, groups: list[Group], size: int, new: int) -> dict:
    """Store and link the ``new`` articles that follow the first ``size`` of the stream (timed, in a
    process of its own so that its memory is its own)."""
    from newsprism.link.incremental import link_new

    stream = synthetic_stream(groups, size + new)
    for _ in range(size):
        next(stream)
    fresh = [article for article, _ in stream]
    with Store(path) as store:
        started = time.perf_counter()
        for article in fresh:
            store.add_article(article)
        store.commit()
        link_new(store)
        seconds = time.perf_counter() - started
        return {"incremental_seconds": seconds, "incremental_peak_rss_mb": peak_rss_mb(),
                "stories": store.counts()["stories"], "events": len(store.events())}


def _in_child(work: object, *args: object) -> dict:
    """``work(*args)`` in a fresh process, so that its peak memory is its own."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(work, args)


def run_incremental(sizes: Iterable[int], new: int = 1000, data_dir: Path = DEFAULT_DATA_DIR,
                    corpus: Path | None = None) -> dict:
    """For each store size: link it from scratch, then ingest ``new`` more articles incrementally."""
    import tempfile

    groups = _stream_groups(data_dir, corpus)
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.sqlite"
            result = {"articles": size, "new": new, **_in_child(build_store, path, groups, size)}
            result.update(_in_child(ingest_next, path, groups, size, new))
            result["speedup"] = result["relink_seconds"] / result["incremental_seconds"]
            results.append(result)
    ratio = results[-1]["incremental_seconds"] / results[0]["incremental_seconds"] if len(results) > 1 else None
    return {"incremental": results, "incremental_ratio": ratio}


def _stream_groups(data_dir: Path, corpus: Path | None) -> list[Group]:
    from newsprism.pipeline import extract_paths

    corpus_articles = [a for _, a in extract_paths([corpus])] if corpus else []
    groups = base_groups(data_dir, [a for a in corpus_articles if isinstance(a, Article)])
    if not groups:
        raise ValueError("no texts to build the synthetic stream from")
    return groups


# --- output -------------------------------------------------------------------------------

def format_storyline_grid(results: list[dict]) -> str:
    lines = ["threshold grace half_life  B3_P   B3_R   B3_F1  pair_F1  storylines"]
    for r in results:
        p, b = r["params"], r["storylines"]["bcubed"]
        lines.append(f"{p.threshold:>9.2f}{p.grace_days:>6.0f}{p.half_life_days:>10.0f}{_prf_cells(b)}"
                     f"{r['storylines']['pairwise']['f1']:>9.3f}{r['predicted_storylines']:>12}")
    return "\n".join(lines)


def format_table(results: dict) -> str:
    lines = []
    if results.get("quality"):
        lines += ["split  docs stories predicted  B3_P   B3_R   B3_F1  pair_P pair_R pair_F1 mixed threshold"
                  "  B3_F1_file_order"]
        for r in results["quality"]:
            b, p = r["bcubed"], r["pairwise"]
            lines.append(
                f"{r['split']:<6}{r['docs']:>5}{r['gold_stories']:>8}{r['predicted_stories']:>10}"
                f"{b['precision']:>7.3f}{b['recall']:>7.3f}{b['f1']:>7.3f}"
                f"{p['precision']:>7.3f}{p['recall']:>7.3f}{p['f1']:>8.3f}{r['mixed_topic_stories']:>6}"
                f"{r['threshold']:>10.2f}{r['bcubed_f1_file_order']:>18.3f}"
            )
    if results.get("quality"):
        lines += ["", "storylines (ECB+: every event its own storyline)  predicted  B3_P   B3_R   B3_F1  pair_F1"
                  "  topics_apart  topics_apart_file_order"]
        for r in results["quality"]:
            st = r["storylines"]
            lines.append(f"{r['split']:<50}{st['predicted']:>9}{_prf_cells(st['bcubed'])}{st['pairwise']['f1']:>9.3f}"
                         f"{st['topics_apart']:>14.3f}{st['topics_apart_file_order']:>25.3f}")
    for r in results.get("storylines", []):
        lines += ["", f"{r['name']}: {r['docs']} docs, {r['gold_storylines']} gold storylines,"
                  f" {r['gold_events']} gold events",
                  "level                         predicted  B3_P   B3_R   B3_F1  pair_P pair_R pair_F1"]
        for name, count in (("storylines", "predicted_storylines"), ("events", "predicted_events"),
                            ("events_as_storylines", "predicted_events")):
            lines.append(f"{name:<30}{r[count]:>9}{_prf_cells(r[name]['bcubed'])}{_prf_cells(r[name]['pairwise'])}")
    if results.get("incremental"):
        lines += ["", "store  new  relink_s  incremental_s  speedup  relink_MB  incremental_MB  events  stories"]
        for r in results["incremental"]:
            lines.append(f"{r['articles']:>6}{r['new']:>5}{r['relink_seconds']:>10.1f}{r['incremental_seconds']:>15.1f}"
                         f"{r['speedup']:>9.1f}{r['relink_peak_rss_mb']:>11.0f}{r['incremental_peak_rss_mb']:>16.0f}"
                         f"{r['events']:>8}{r['stories']:>9}")
        if results.get("incremental_ratio") is not None:
            lines.append(f"incremental time ratio largest/smallest store: {results['incremental_ratio']:.2f}")
    if results.get("scale"):
        lines += ["", "articles  seconds  art/s  peak_MB  grow_MB  stories  gold  cmp/article  B3_F1"]
        for r in results["scale"]:
            lines.append(
                f"{r['articles']:>8}{r['seconds']:>9.1f}{r['articles_per_s']:>7.0f}{r['peak_rss_mb']:>9.0f}"
                f"{r['rss_growth_mb']:>9.0f}"
                f"{r['stories']:>9}{r['gold_stories']:>6}{r['comparisons_per_article']:>13.1f}{r['bcubed_f1']:>7.3f}"
            )
        if results.get("time_ratio") is not None:
            lines.append(f"time ratio largest/smallest: {results['time_ratio']:.2f} "
                         f"(sizes x{results['size_ratio']:.0f})")
    return "\n".join(lines)


def _prf_cells(scores: dict[str, float]) -> str:
    return f"{scores['precision']:>7.3f}{scores['recall']:>7.3f}{scores['f1']:>7.3f}"
