"""Names on real news: PERSON mentions that are known places, and how stable the store's names are.

The texts are the real reports of ../shared/data (ECB+ stories, PolNeAR articles, PTC articles). Two
figures:

- **persons that are places**: of the PERSON mentions, how many name a place the gazetteer knows, as
  the parser tags them and as the entities layer gives them after its repairs. Not every hit is an
  error ("Jackson", "Warren" are cities and surnames): the examples are printed for a reader to judge.
- **stability**: the store-wide canonical names (``annotate/names.store_names``) of a store holding
  all but every ``GROWTH``-th text, then of the whole set (the store grown by about 10 %): how many of
  the first store's (name, label) pairs read differently afterwards, with examples.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.annotate.entities import find_entities, strip_title
from newsprism.annotate.gazetteer import is_known_place
from newsprism.annotate.names import NameKey, store_names
from newsprism.annotate.nlp import parse
from newsprism.bench import SHARED_DATA
from newsprism.bench.link import read_doc_at
from newsprism.pipeline import in_workers

GROWTH = 11  # every 11th text joins later: the store grows by 1/10
GLOBS = ("stories/docs/*.txt", "quotes/*/text/*.txt", "ptc/train/train-articles/*.txt")
EXAMPLES = 12


@dataclass(frozen=True)
class TextNames:
    """One text's PERSON mentions as parsed and as the layer gives them, and its (canonical, label) pairs."""

    parser_persons: tuple[str, ...]
    layer_persons: tuple[str, ...]
    keys: frozenset[NameKey]


@dataclass
class NameFigures:
    texts: int = 0
    parser_persons: int = 0
    parser_places: Counter[str] = field(default_factory=Counter)
    layer_persons: int = 0
    layer_places: Counter[str] = field(default_factory=Counter)
    names_before: int = 0
    changed: list[tuple[NameKey, NameKey, NameKey]] = field(default_factory=list)  # (pair, read before, after)


def texts(data_dir: Path = SHARED_DATA) -> list[Path]:
    return [path for pattern in GLOBS for path in sorted(data_dir.glob(pattern))]


def _text(path: Path) -> str:
    if path.parent.name == "docs":  # ECB+: a title line, then the body
        return read_doc_at(path)[0].text
    return path.read_text(encoding="utf-8", errors="replace")


def names_of(path: Path) -> TextNames:
    text = _text(path)
    parsed = tuple(strip_title(ent.text) for ent in parse(text).ents if ent.label_ == "PERSON")
    entities = find_entities(text)
    layer = tuple(str(e["canonical"]) for e in entities if e["label"] == "PERSON")
    return TextNames(parsed, layer, frozenset((str(e["canonical"]), str(e["label"])) for e in entities))


def run(data_dir: Path = SHARED_DATA, jobs: int = 1, limit: int | None = None) -> NameFigures:
    paths = texts(data_dir)[:limit]
    figures = NameFigures(texts=len(paths))
    before: Counter[NameKey] = Counter()
    grown: Counter[NameKey] = Counter()
    for k, (_, names) in enumerate(in_workers(names_of, iter(paths), Path, jobs)):
        if not isinstance(names, TextNames):
            continue  # a text whose worker died: counted in no figure
        figures.parser_persons += len(names.parser_persons)
        figures.parser_places.update(n for n in names.parser_persons if is_known_place(n))
        figures.layer_persons += len(names.layer_persons)
        figures.layer_places.update(n for n in names.layer_persons if is_known_place(n))
        grown.update(names.keys)
        if k % GROWTH != GROWTH - 1:
            before.update(names.keys)
    first = store_names(before)
    second = store_names(grown, previous=first)  # as a store refreshes its names: knowing how it read them
    figures.names_before = len(before)
    figures.changed = [(key, first.get(key, key), second.get(key, key)) for key in sorted(before)
                       if first.get(key, key) != second.get(key, key)]
    return figures


def format_table(figures: NameFigures) -> str:
    def share(part: int, whole: int) -> str:
        return f"{part} of {whole} ({part / whole:.1%})" if whole else "0 of 0"

    lines = [
        f"texts: {figures.texts} (ECB+, PolNeAR, PTC); the store grows from {figures.texts - figures.texts // GROWTH}",
        f"PERSON mentions that are gazetteer places, parser:       "
        f"{share(sum(figures.parser_places.values()), figures.parser_persons)}",
        f"PERSON mentions that are gazetteer places, entities layer: "
        f"{share(sum(figures.layer_places.values()), figures.layer_persons)}",
        f"  most frequent (layer): {', '.join(f'{n} {c}' for n, c in figures.layer_places.most_common(EXAMPLES))}",
        f"canonical names changed when the store grew by 10 %: {share(len(figures.changed), figures.names_before)}",
    ]
    lines += [f"  {name} ({label}): {was[0]} ({was[1]}) -> {now[0]} ({now[1]})"
              for (name, label), was, now in figures.changed[:EXAMPLES]]
    return "\n".join(lines)
