"""Quotes benchmark: newsprism's ``quotes`` layer on PolNeAR's attributions (train and dev splits).

Reads the brat standoff files described in ``shared/data/quotes/README.md``, one annotation file per
article (the annotator id sorting first); ``Discard``/``Discuss`` flags are ignored. A gold quote is
one attribution: its content is the union of its ``Content`` and ``Content2`` fragments, its cue the
``Cue`` span, its speaker the ``Source`` span (null when the attribution has none).

Metrics (micro-averaged over articles):

newsprism emits one quote per contiguous span; the quotes sharing one cue span are grouped into one
predicted attribution whose content is their fragments, as PolNeAR joins "“A,” she said, “B.”" into one
discontinuous content (a quote without a cue stands alone).

* content exact: a prediction's hull equals the gold content's hull (first start to last end), both trimmed
  of spaces, quotation marks and edge punctuation (newsprism quotes exclude the marks, PolNeAR's include them);
* content overlap: a prediction matches a gold content when the characters they share are at least
  ``OVERLAP`` (30%) of the longer of the two (prediction length, or the gold fragments' total length).
  Precision counts predictions matching some gold, recall counts golds matched by some prediction
  (a quote split by "he said" is two predictions against one discontinuous gold: both count);
* cue and source token overlap: word tokens (``\\w+``) covered by predicted vs gold spans of that role;
* speaker accuracy: over golds matched at ``OVERLAP``, the share whose best-overlapping prediction has a
  speaker overlapping the gold ``Source`` span, or no speaker when the gold has no source.

Views: ``all`` (every attribution); ``speech`` (only the attributions whose cue holds a word of
``SPEECH_CUES`` or "according to", for precision and recall); ``speech-recall`` (recall on the speech
subset, precision against all attributions: PolNeAR marks beliefs, feelings and evaluations too, so a
prediction that matches any gold attribution is not a false positive, while recall asks for speech).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from newsprism.annotate.registry import annotate_text
from newsprism.annotate.speakers import TITLES
from newsprism.bench import SHARED_DATA
from newsprism.errors import InputError

DEFAULT_DATA_DIR = SHARED_DATA / "quotes"
SPLITS = ("train", "dev")
OVERLAP = 0.3
MAX_FILE_BYTES = 5_000_000
# Speech and writing verbs (all inflections) and "according to": the fixed cue list of the speech view.
SPEECH_CUES = frozenset({
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "add", "adds", "added", "adding",
    "write", "writes", "wrote", "written", "writing", "ask", "asks", "asked", "asking", "state", "states",
    "stated", "stating", "announce", "announces", "announced", "announcing", "declare", "declares", "declared",
    "explain", "explains", "explained", "explaining", "note", "notes", "noted", "noting", "reply", "replies",
    "replied", "respond", "responds", "responded", "tweet", "tweets", "tweeted", "tweeting", "post", "posted",
    "claim", "claims", "claimed", "claiming", "insist", "insists", "insisted", "argue", "argues", "argued",
    "arguing", "warn", "warns", "warned", "warning", "report", "reports", "reported", "reporting", "testify",
    "testified", "quote", "quoted", "recall", "recalled", "comment", "commented", "remark", "remarked",
    "acknowledge", "acknowledged", "admit", "admitted", "confirm", "confirmed", "deny", "denied", "repeat",
    "repeated", "reiterate", "reiterated", "promise", "promised", "vow", "vowed", "predict", "predicted",
    "shout", "shouted", "tout", "touted", "speak", "spoke", "spoken", "joke", "joked", "quip", "quipped",
    "emailed",
})
VIEWS = ("all", "speech", "speech-recall")
_RECORD = re.compile(r"^[A-Z#]\d*\t", re.MULTILINE)
_WORD = re.compile(r"\w+")
_EDGE = ' \t\n"“”‘’«».,;:―—-'

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Attribution:
    content: Spans
    cue: Spans
    source: Spans  # empty: no source
    cue_text: str

    @property
    def speech(self) -> bool:
        words = self.cue_text.lower().split()
        return "according to" in " ".join(words) or any(w.strip(_EDGE) in SPEECH_CUES for w in words)


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    text: str
    attributions: list[Attribution]


# --- reading brat -------------------------------------------------------------------------------

def parse_ann(data: str) -> list[Attribution]:
    """Attributions of one .ann file: records, not lines (a span's text may hold a line break)."""
    starts = [m.start() for m in _RECORD.finditer(data)] + [len(data)]
    spans: dict[str, tuple[str, Spans, str]] = {}
    events: list[dict[str, str]] = []
    for begin, end in pairwise(starts):
        ident, _, rest = data[begin:end].partition("\t")
        if ident.startswith("T"):
            kind_offsets, _, text = rest.partition("\t")
            kind, _, offsets = kind_offsets.partition(" ")
            spans[ident] = (kind, _fragments(offsets), text.rstrip("\n"))
        elif ident.startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in rest.split() if ":" in arg))
    return [_attribution(event, spans) for event in events
            if {"Attribution", "Attribution-no-source"} & event.keys()]


def _fragments(offsets: str) -> Spans:
    """'3 9;12 20' -> ((3, 9), (12, 20)), sorted (upstream lists some fragments out of order)."""
    pairs = (part.split() for part in offsets.split(";"))
    return tuple(sorted((int(a), int(b)) for a, b in pairs))


def _attribution(event: dict[str, str], spans: dict[str, tuple[str, Spans, str]]) -> Attribution:
    def role(name: str) -> Spans:
        return spans[event[name]][1] if name in event and event[name] in spans else ()
    cue_text = spans[event["Cue"]][2] if event.get("Cue") in spans else ""
    content = tuple(sorted(role("Content") + role("Content2")))
    return Attribution(content, role("Cue"), role("Source"), cue_text)


def annotation_files(folder: Path) -> dict[str, Path]:
    """One .ann file per article: the one whose annotator id sorts first."""
    chosen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.ann")):
        article = path.stem.rsplit("_", 1)[0]
        chosen.setdefault(article, path)
    return chosen


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(str(path), "file too large")
    return path.read_text(encoding="utf-8")


def load(data_dir: Path, split: str, limit: int | None = None) -> list[GoldDoc]:
    files = sorted(annotation_files(data_dir / split / "attributions").items())[:limit]
    return [GoldDoc(article, _read(data_dir / split / "text" / f"{article}.txt"), parse_ann(_read(path)))
            for article, path in files]


# --- scoring ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Predicted:
    content: Spans
    cue: Spans
    speaker: Spans
    speaker_name: str = ""  # the person the layer resolved the speaker to


def _span(item: dict | None) -> Spans:
    return ((item["start"], item["end"]),) if item else ()


def group_by_cue(quotes: list[dict]) -> list[Predicted]:
    """One predicted attribution per cue: the quotes sharing a cue span ('“A,” she said. “B.”') are the
    fragments of one content, as in PolNeAR's discontinuous spans. Quotes without a cue stay alone."""
    grouped: dict[Spans, list[dict]] = {}
    alone = []
    for quote in quotes:
        cue = _span(quote.get("cue"))
        (grouped.setdefault(cue, []) if cue else alone).append(quote)
    found = [Predicted(tuple(sorted((q["start"], q["end"]) for q in group)), cue, _span(group[0].get("speaker")),
                       group[0].get("speaker_name") or "")
             for cue, group in grouped.items()]
    found += [Predicted(((q["start"], q["end"]),), (), _span(q.get("speaker")), q.get("speaker_name") or "")
              for q in alone]
    return found


def predictions(text: str) -> list[Predicted]:
    return group_by_cue(annotate_text(text, ["quotes"])["quotes"])


def _shared(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _length(spans: Spans) -> int:
    return sum(e - s for s, e in spans)


def overlaps(predicted: Spans, gold: Spans) -> bool:
    """Shared characters >= OVERLAP of the longer of prediction and gold (fragments summed)."""
    shared = _shared(predicted, gold)
    return shared > 0 and shared >= OVERLAP * max(_length(predicted), _length(gold))


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _exact(text: str, predicted: Spans, gold: Spans) -> bool:
    return bool(gold) and _core(text, predicted[0][0], predicted[-1][1]) == _core(text, gold[0][0], gold[-1][1])


def _tokens(text: str, spans: list[Spans]) -> set[int]:
    """Start offsets of the word tokens (\\w+) found within the spans."""
    found: set[int] = set()
    for fragments in spans:
        for start, end in fragments:
            found.update(m.start() for m in _WORD.finditer(text, start, end))
    return found


@dataclass
class Counts:
    """Counts of one view: ``view_gold`` sets recall, ``any_gold`` sets what a prediction may match."""

    gold: int = 0
    predicted: int = 0
    exact_p: int = 0
    exact_r: int = 0
    overlap_p: int = 0
    overlap_r: int = 0
    speaker_ok: int = 0
    name_ok: int = 0  # matched golds whose source is a name or a pronoun, resolved as a reader would
    name_gold: int = 0
    tokens: dict[str, list[int]] = field(default_factory=lambda: {r: [0, 0, 0, 0] for r in ("cue", "source")})
    docs: int = 0
    seconds: float = 0.0

    def add(self, text: str, view_gold: list[Attribution], any_gold: list[Attribution],
            predicted: list[Predicted]) -> None:
        self.docs += 1
        self.gold += len(view_gold)
        self.predicted += len(predicted)
        for p in predicted:
            self.exact_p += any(_exact(text, p.content, g.content) for g in any_gold)
            self.overlap_p += any(overlaps(p.content, g.content) for g in any_gold)
        for g in view_gold:
            self.exact_r += any(_exact(text, p.content, g.content) for p in predicted)
            matches = [p for p in predicted if overlaps(p.content, g.content)]
            if matches:
                self.overlap_r += 1
                best = max(matches, key=lambda p: _shared(p.content, g.content))
                self.speaker_ok += _shared(best.speaker, g.source) > 0 or not (best.speaker or g.source)
                scored = name_level(text, g.source, best)
                if scored is not None:
                    self.name_gold += 1
                    self.name_ok += scored
        for role, mine in (("cue", [p.cue for p in predicted]), ("source", [p.speaker for p in predicted])):
            pred = _tokens(text, mine)
            view = _tokens(text, [getattr(g, role) for g in view_gold])
            every = _tokens(text, [getattr(g, role) for g in any_gold])
            counts = self.tokens[role]
            counts[0] += len(pred & every)
            counts[1] += len(pred)
            counts[2] += len(pred & view)
            counts[3] += len(view)

    def figures(self) -> dict[str, float]:
        figures: dict[str, float] = {"docs": self.docs, "gold": self.gold, "predicted": self.predicted}
        for name, hit_p, hit_r in (("exact", self.exact_p, self.exact_r), ("overlap", self.overlap_p, self.overlap_r)):
            figures.update(_prf(name, hit_p, self.predicted, hit_r, self.gold))
        for role, (hit_p, predicted, hit_r, gold) in self.tokens.items():
            figures.update(_prf(f"{role}_tok", hit_p, predicted, hit_r, gold))
        figures["speaker_acc"] = _ratio(self.speaker_ok, self.overlap_r)
        figures["speaker_name_acc"] = _ratio(self.name_ok, self.name_gold)
        figures["name_sources"] = self.name_gold
        figures["docs_per_s"] = _ratio(self.docs, self.seconds)
        return figures


PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "i", "we", "you", "it", "his", "their"})


_AFTER_NAME = re.compile(r",|\(|\s(?:of|at|for|from|who|with|in|on)\s")  # what follows a name in a source


def _name_part(source: str) -> str:
    """The source up to what follows its name, skipping a break inside a title ("Secretary of State John
    F. Kerry" is John F. Kerry, not "Secretary")."""
    for found in _AFTER_NAME.finditer(source):
        words = re.findall(r"[\w.'’-]+", source[:found.start()])
        title = bool(words) and all(w.lower().rstrip(".") in TITLES for w in words)
        if not (title and found.group().strip() == "of"):
            return source[:found.start()]
    return source


def name_level(text: str, source: Spans, predicted: Predicted) -> bool | None:
    """Whether a reader gets the right speaker: for a gold source that is a name ("Mr. Trump", "Rep. G.K.
    Butterfield (D-N.C.), head of ..."), the resolved speaker name carries the name's last word; for a
    pronoun, the predicted speaker span overlaps it (a resolution is then not checkable against the gold).
    None for other sources ("the campaign", "a reporter for USA Today"), two speakers, and none."""
    source_text = " ".join(text[s:e] for s, e in source).strip()
    if not source_text or " and " in source_text:
        return None
    if source_text.lower() in PRONOUNS:
        return _shared(predicted.speaker, source) > 0
    name = _name_part(source_text)
    words = re.findall(r"[\w'’.-]+", name)
    last = re.sub(r"['’]s$", "", words[-1]).strip(".") if words else ""
    if not last[:1].isupper():
        return None
    return _carries(predicted.speaker_name, last)


def _carries(speaker_name: str, last: str) -> bool:
    """The name holds the word, spelled with either apostrophe and with or without dots ("S.E.C."), or the
    word is an acronym of the name ("IMF" for "International Monetary Fund", as the layer expands it)."""
    words = re.findall(r"[\w'-]+", _folded(speaker_name))
    if _folded(last) in words:
        return True
    acronym = last.replace(".", "")
    return len(acronym) > 1 and acronym.isupper() and \
        "".join(w[0] for w in speaker_name.split() if w[:1].isupper()) == acronym


def _folded(name: str) -> str:
    return name.lower().replace("’", "'").replace(".", "")


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _prf(name: str, hit_p: int, predicted: int, hit_r: int, gold: int) -> dict[str, float]:
    p, r = _ratio(hit_p, predicted), _ratio(hit_r, gold)
    return {f"{name}_p": p, f"{name}_r": r, f"{name}_f1": _ratio(2 * p * r, p + r)}


def view_golds(attributions: list[Attribution], view: str) -> tuple[list[Attribution], list[Attribution]]:
    """(golds that recall counts, golds a prediction may match) for one view."""
    speech = [a for a in attributions if a.speech]
    return {"all": (attributions, attributions), "speech": (speech, speech),
            "speech-recall": (speech, attributions)}[view]


def score_docs(docs: list[GoldDoc]) -> dict[str, Counts]:
    counts = {view: Counts() for view in VIEWS}
    for doc in docs:
        started = time.perf_counter()
        predicted = predictions(doc.text)
        elapsed = time.perf_counter() - started
        for view, view_counts in counts.items():
            view_counts.seconds += elapsed
            view_counts.add(doc.text, *view_golds(doc.attributions, view), predicted)
    return counts


def run(data_dir: Path = DEFAULT_DATA_DIR, split: str = "dev", limit: int | None = None) -> dict:
    """Figures of the three views on ``split`` ('train' or 'dev'), on its first ``limit`` articles."""
    if split not in SPLITS:
        raise InputError(split, f"split must be one of {', '.join(SPLITS)}")
    counts = score_docs(load(data_dir, split, limit))
    return {"split": split, "limit": limit, "results": {view: c.figures() for view, c in counts.items()}}


def format_table(results: dict) -> str:
    columns = ["docs", "gold", "predicted", "exact_f1", "overlap_p", "overlap_r", "overlap_f1", "cue_tok_f1",
               "source_tok_f1", "speaker_acc", "speaker_name_acc", "name_sources", "docs_per_s"]
    scope = f", first {results['limit']} articles" if results.get("limit") else ""
    lines = [f"split: {results['split']}{scope} (PolNeAR development figures)",
             "view          " + " ".join(f"{c:>13}" for c in columns)]
    for view, figures in results["results"].items():
        cells = [f"{figures[c]:>13d}" if isinstance(figures[c], int) else f"{figures[c]:>13.3f}" for c in columns]
        lines.append(f"{view:<14}" + " ".join(cells))
    lines += [
        f"overlap: shared characters >= {OVERLAP:.0%} of the longer of prediction and gold content (fragments "
        "summed; quotes sharing a cue are one prediction); exact: same hull, quotation marks and edge "
        "punctuation trimmed.",
        "speech: attributions whose cue holds a speech/writing verb of SPEECH_CUES or 'according to' (P and R); "
        "speech-recall: recall on speech, precision against all attributions (PolNeAR also marks beliefs and "
        "evaluations; a prediction matching any of them is no false positive).",
        "speaker_acc: of matched golds, predicted speaker overlaps the gold Source span, or both absent.",
        "speaker_name_acc: of matched golds whose Source is one name (the part before a comma, parenthesis or "
        "'of/at/for...' ends in a capitalised word) or a pronoun (name_sources of them), the resolved "
        "speaker_name holds the name's last word, or for a pronoun the predicted speaker span overlaps it.",
    ]
    return "\n".join(lines)
