"""Propaganda technique spans (SemEval-2020 Task 11) from one fine-tuned MiniLM encoder run with onnxruntime.

One shared encoder (the first three layers of all-MiniLM-L6-v2, fine-tuned by
``newsprism.bench.train_techniques``) reads the article in 128-position token windows. Its token
head tags propagandistic tokens (B/I/O: span identification, SI); three small heads read each
span's pooled tokens, its sentence, its window and a few surface features (does the span's text
repeat in the article?) and name the technique (technique classification, TC). Beside the
encoder, the linear models of ``annotate.lexical`` (a word tagger for SI, span n-grams for TC) are
mixed into both. Inference needs onnxruntime, tokenizers and numpy only: no torch.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from newsprism.annotate.cues import find_cues
from newsprism.annotate.lexical import lexical_logits, word_probabilities
from newsprism.annotate.registry import component
from newsprism.errors import InputError
from newsprism.extract.text import sentence_bounds

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

Result = TypeVar("Result")

LABELS = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Doubt",
    "Exaggeration,Minimisation",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Appeal_to_Authority",
    "Slogans",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
    "Bandwagon,Reductio_ad_hitlerum",
)
MODEL_DIR = Path(__file__).with_name("models")
ONNX_PATH = MODEL_DIR / "techniques.onnx"
HEADS_PATH = MODEL_DIR / "techniques-heads.npz"
META_PATH = MODEL_DIR / "techniques.json"
TOKENIZER_PATH = MODEL_DIR / "techniques-tokenizer.json"
VERSION = "6"  # 6: version 5 with the span filter (a changed version redoes stored layers)

WINDOW = 126  # content tokens per window; with [CLS] and [SEP] 128 positions
STEP = 126  # side by side (only the last window, aligned on the article's end, overlaps): overlap and
# 256-position windows scored no better on the tune part and ran 1.2-1.4x slower (model card)
CLS_ID, SEP_ID, PAD_ID = 101, 102, 0
MAX_TEXT_CHARS = 300_000  # a news article is far shorter; longer inputs are cut, never read whole
BATCH_WINDOWS = 4  # small batches stay in cache: faster than 16 or 64 on two cores
POOLS = 3  # span tokens, sentence tokens, whole window
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Encoded:
    """Token ids and their character offsets in the text, no special tokens."""

    ids: np.ndarray
    offsets: np.ndarray  # (n, 2) start, end


@dataclass(frozen=True)
class SpanInputs:
    """What the technique head reads for a list of spans: their window, pooling rows and features."""

    window: np.ndarray  # (S,) index of the window each span is read in
    pools: np.ndarray  # (S, POOLS, window length) averaging weights over the window's positions
    bounds: np.ndarray  # (S, 2) window positions of the span's first token and one past its last
    features: np.ndarray  # (S, N_FEATURES)


@lru_cache(maxsize=1)
def tokenizer(path: Path = TOKENIZER_PATH) -> Tokenizer:
    from tokenizers import Tokenizer

    loaded = Tokenizer.from_file(str(path))
    loaded.no_truncation()
    loaded.no_padding()
    return loaded


def encode(text: str) -> Encoded:
    encoding = tokenizer().encode(text[:MAX_TEXT_CHARS], add_special_tokens=False)
    return Encoded(np.array(encoding.ids, dtype=np.int64), np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2))


def windows(n_tokens: int, size: int = WINDOW, step: int = STEP) -> list[tuple[int, int]]:
    """Token ranges covering ``n_tokens`` with overlap; the last window ends at the last token."""
    if n_tokens <= size:
        return [(0, n_tokens)]
    starts = [*range(0, n_tokens - size, step), n_tokens - size]
    return [(s, s + size) for s in starts]


def token_owners(n_tokens: int, wins: list[tuple[int, int]]) -> np.ndarray:
    """For each token, the window in which it sits farthest from an edge (the most context; the first
    such window on a tie). Each window visits only its own tokens: a 300,000-character page has
    hundreds of windows, and a windows x tokens table of margins took 1.7 s there."""
    best = np.full(n_tokens, -1)
    owners = np.zeros(n_tokens, dtype=np.int64)
    for w, (s, e) in enumerate(wins):
        index = np.arange(s, e)
        margin = np.minimum(index - s, e - 1 - index)
        better = margin > best[s:e]
        best[s:e][better] = margin[better]
        owners[s:e][better] = w
    return owners


def window_inputs(ids: np.ndarray, wins: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Padded ``input_ids`` and ``attention_mask`` of the windows, [CLS] first and [SEP] last."""
    length = max(e - s for s, e in wins) + 2
    input_ids = np.full((len(wins), length), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(wins), length), dtype=np.int64)
    for row, (s, e) in enumerate(wins):
        input_ids[row, : e - s + 2] = [CLS_ID, *ids[s:e], SEP_ID]
        mask[row, : e - s + 2] = 1
    return input_ids, mask


def token_range(offsets: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """Tokens overlapping the characters ``[start, end)``; at least one token when there are any."""
    first = int(np.searchsorted(offsets[:, 1], start, side="right"))
    last = int(np.searchsorted(offsets[:, 0], end, side="left"))
    first = min(first, max(len(offsets) - 1, 0))
    return first, max(last, first + 1)


N_FEATURES = 8


def span_features(text: str, start: int, end: int, sentence: tuple[int, int], counts: Counter[str]) -> list[float]:
    """Surface cues the encoder cannot see across windows: repetition in the article, length, shape."""
    span = text[start:end]
    key = " ".join(WORD.findall(span.lower()))
    span_words = WORD.findall(span)
    sentence_length = max(sentence[1] - sentence[0], 1)
    return [
        np.log1p(max(counts[key] - 1, 0)) if key else 0.0,
        np.log1p(len(span)) / 5,
        np.log1p(len(span_words)) / 3,
        min(len(span) / sentence_length, 1.0),
        float(any(q in text[max(start - 1, 0) : end + 1] for q in "\"“”«»")),
        float(span.rstrip().endswith(("!", "?"))),
        sum(w.isupper() and len(w) > 1 for w in span_words) / max(len(span_words), 1),
        float(start < text.find("\n") if "\n" in text else True),
    ]


def phrase_counts(text: str, spans: list[tuple[int, int]]) -> Counter[str]:
    """How often each span's words occur as a phrase in the article (word-bounded, case-insensitive)."""
    words = " " + " ".join(WORD.findall(text.lower())) + " "
    keys = {" ".join(WORD.findall(text[s:e].lower())) for s, e in spans}
    return Counter({key: words.count(f" {key} ") for key in keys if key})


def span_inputs(text: str, encoded: Encoded, wins: list[tuple[int, int]], spans: list[tuple[int, int]]) -> SpanInputs:
    """Window, pooling weights and features of each character span, read in its most central window."""
    length = max(e - s for s, e in wins) + 2
    sentences = sentence_bounds(text)
    sentence_starts = [s for s, _ in sentences]
    counts = phrase_counts(text, spans)
    window = np.zeros(len(spans), dtype=np.int64)
    pools = np.zeros((len(spans), POOLS, length), dtype=np.float32)
    bounds = np.zeros((len(spans), 2), dtype=np.int64)
    features = np.zeros((len(spans), N_FEATURES), dtype=np.float32)
    for row, (start, end) in enumerate(spans):
        first, last = token_range(encoded.offsets, start, end)
        middle = (first + last - 1) / 2
        w = int(np.argmax([min(middle - s, e - 1 - middle) for s, e in wins]))
        ws, we = wins[w]
        sentence = sentences[max(int(np.searchsorted(sentence_starts, start, side="right")) - 1, 0)]
        sent_first, sent_last = token_range(encoded.offsets, min(sentence[0], start), max(sentence[1], end))
        _fill(pools[row, 0], first, last, ws, we)
        bounds[row] = np.flatnonzero(pools[row, 0])[[0, -1]] + [0, 1]
        _fill(pools[row, 1], sent_first, sent_last, ws, we)
        _fill(pools[row, 2], ws, we, ws, we)
        window[row] = w
        features[row] = span_features(text, start, end, sentence, counts)
    return SpanInputs(window, pools, bounds, features)


def _fill(row: np.ndarray, first: int, last: int, ws: int, we: int) -> None:
    """Uniform weights over tokens ``[first, last)`` clipped to the window (position = token - ws + 1)."""
    first, last = max(first, ws), min(last, we)
    if last <= first:  # not in this window at all: fall back to the window's [CLS]
        row[0] = 1.0
        return
    row[first - ws + 1 : last - ws + 1] = 1.0 / (last - first)


# ---------------------------------------------------------------- inference


@dataclass(frozen=True)
class Model:
    """What reads the encoder's output: the heads and lexical models, and the trainer's choices."""

    heads: dict[str, np.ndarray]
    meta: dict[str, Any]


THREADS = {"encoder": 2}  # onnxruntime threads of the next encoder session; see set_threads


def set_threads(threads: int) -> None:
    """Give the encoder ``threads`` threads from now on: each of N worker processes sharing C cores
    takes C / N (on two cores, two one-thread workers read more articles per second than one
    process with two threads: 19-22 against 15-19, model card)."""
    THREADS["encoder"] = max(1, threads)
    encoder.cache_clear()


@lru_cache(maxsize=1)
def encoder() -> onnxruntime.InferenceSession:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS["encoder"]
    options.inter_op_num_threads = 1
    # onnxruntime's idle threads spin between runs (its default, said here as it was once turned off): with
    # numpy's BLAS also spinning that was slower, with BLAS on one thread it is faster (model card).
    options.add_session_config_entry("session.intra_op.allow_spinning", "1")
    return onnxruntime.InferenceSession(str(ONNX_PATH), options, providers=["CPUExecutionProvider"])


def one_blas_thread(function: Callable[..., Result]) -> Callable[..., Result]:
    """Run ``function`` with numpy's BLAS on one thread. Its products here are small, and an idle
    OpenBLAS thread spins for a while after each one, taking a core from onnxruntime: with it
    stopped, 12-15 -> 15-17 articles/s in one process, 8-9 -> 19-23 in two workers (model card).
    The libraries are looked up at each call (0.3 ms): one loaded later, such as scipy's own BLAS,
    is limited too."""

    @wraps(function)
    def limited(*args: Any, **kwargs: Any) -> Result:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return limited


@lru_cache(maxsize=1)
def load_model() -> Model:
    with np.load(HEADS_PATH) as data:
        heads = {name: _widened(data[name]) for name in data.files}
    return Model(heads, json.loads(META_PATH.read_text(encoding="utf-8")))


def reload() -> None:
    """Forget the files read so far: the trainer rewrites them."""
    encoder.cache_clear()
    load_model.cache_clear()


def _widened(array: np.ndarray) -> np.ndarray:
    """Weights are stored in half precision (half the file, the same figures) and computed in single."""
    return array.astype(np.float32) if array.dtype == np.float16 else array


def encode_windows(session: onnxruntime.InferenceSession, encoded: Encoded, wins: list[tuple[int, int]],
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Token logits (W, L, 3) and hidden states (W, L, H) of every window, a batch at a time."""
    input_ids, mask = window_inputs(encoded.ids, wins)
    logits, hidden = [], []
    for begin in range(0, len(wins), BATCH_WINDOWS):
        batch = slice(begin, begin + BATCH_WINDOWS)
        out = session.run(None, {"input_ids": input_ids[batch], "attention_mask": mask[batch]})
        logits.append(out[0])
        hidden.append(out[1])
    return np.concatenate(logits), np.concatenate(hidden)


def span_vectors(hidden: np.ndarray, inputs: SpanInputs) -> np.ndarray:
    """What the TC head reads: the mean of the span's, its sentence's and its window's states, the
    span's element-wise maximum, first and last token states, then the surface features."""
    pooled = np.zeros((len(inputs.window), POOLS, hidden.shape[2]), dtype=hidden.dtype)
    for w in np.unique(inputs.window):  # one product per window, not a copy of it per span
        rows = inputs.window == w
        pooled[rows] = inputs.pools[rows] @ hidden[w]
    tokens = [hidden[w, first:last] for w, (first, last) in zip(inputs.window, inputs.bounds, strict=True)]
    ends = np.array([np.concatenate([t.max(axis=0), t[0], t[-1]]) for t in tokens]).reshape(len(tokens), -1)
    return np.concatenate([pooled.reshape(len(inputs.window), -1), ends, inputs.features], axis=1)


def technique_probabilities(model: Model, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
    """The TC classifier: the mean of a few one-hidden-layer networks over the span vectors, mixed
    with a linear model over the span's own words (``lexical``) in the proportion the trainer chose."""
    network = network_probabilities(model.heads, vectors)
    weight = model.meta["tc_lexical_weight"]
    return (1 - weight) * network + weight * softmax(lexical_logits(texts, model.heads))


def network_probabilities(heads: dict[str, np.ndarray], vectors: np.ndarray) -> np.ndarray:
    """The mean technique probabilities of the stacked heads (K, ...) over span vectors (S, D)."""
    # matmul, not einsum: numpy's einsum does not call BLAS here and took 5 times as long
    h = np.maximum(vectors @ heads["tc_w1"].transpose(0, 2, 1) + heads["tc_b1"][:, None], 0.0)
    return softmax(h @ heads["tc_w2"].transpose(0, 2, 1) + heads["tc_b2"][:, None]).mean(axis=0)


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def token_probabilities(logits: np.ndarray, wins: list[tuple[int, int]], n_tokens: int) -> np.ndarray:
    """(n, 3) O/B/I probabilities of each token, read in the window that gives it most context."""
    owners = token_owners(n_tokens, wins)
    starts = np.array([s for s, _ in wins])
    positions = np.arange(n_tokens) - starts[owners] + 1
    return softmax(logits[owners, positions])


@dataclass(frozen=True)
class Decoding:
    """How token probabilities become spans; chosen on the tune part by the trainer."""

    threshold: float = 0.3
    gap: int = 0  # runs of tagged tokens this close (in tokens) are one span
    min_chars: int = 0  # shorter spans are dropped


def inside_probabilities(reading: Reading, model: Model, weight: float | None = None) -> np.ndarray:
    """Each token's probability of lying inside a propaganda span: the encoder's (B or I), mixed with
    the word tagger's for the word the token belongs to (``weight``: the tagger's share, by default
    the one the trainer chose)."""
    probs = token_probabilities(reading.logits, reading.wins, len(reading.encoded.ids))
    inside = probs[:, 1] + probs[:, 2]
    weight = model.meta.get("si_lexical_weight", 0.0) if weight is None else weight
    if not weight:
        return inside
    starts, words = word_probabilities(reading.text, model.heads)
    if not len(words):
        return inside
    owner = np.maximum(np.searchsorted(starts, reading.encoded.offsets[:, 0], side="right") - 1, 0)
    return (1 - weight) * inside + weight * words[owner]


def decode_spans(text: str, encoded: Encoded, inside: np.ndarray, decoding: Decoding) -> list[tuple[int, int, float]]:
    """Runs of tokens whose propaganda probability passes the threshold, joined across small gaps,
    widened to whole words, short ones dropped; each with the mean probability of its tokens."""
    runs: list[list[int]] = []
    for t in np.flatnonzero(inside >= decoding.threshold):
        if runs and t - runs[-1][1] <= decoding.gap:
            runs[-1][1] = t + 1
        else:
            runs.append([t, t + 1])
    spans = [_char_span(text, encoded, first, last, float(inside[first:last].mean())) for first, last in runs]
    return _without_overlaps([span for span in spans if span[1] - span[0] >= decoding.min_chars])


def _char_span(text: str, encoded: Encoded, first: int, last: int, score: float) -> tuple[int, int, float]:
    start, end = int(encoded.offsets[first, 0]), int(encoded.offsets[last - 1, 1])
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end, score


def _without_overlaps(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Join spans that touch or overlap after widening to words (the SI scorer forbids overlaps)."""
    joined: list[tuple[int, int, float]] = []
    for start, end, score in sorted(spans):
        if joined and start <= joined[-1][1]:
            s, e, sc = joined[-1]
            joined[-1] = (s, max(e, end), max(sc, score))
        else:
            joined.append((start, end, score))
    return joined


@dataclass(frozen=True)
class Reading:
    """One pass of the encoder over an article, reused by SI and TC."""

    text: str
    encoded: Encoded
    wins: list[tuple[int, int]]
    logits: np.ndarray
    hidden: np.ndarray


def read(text: str) -> Reading | None:
    text = text[:MAX_TEXT_CHARS]
    encoded = encode(text)
    if not len(encoded.ids):
        return None
    wins = windows(len(encoded.ids))
    logits, hidden = encode_windows(encoder(), encoded, wins)
    return Reading(text, encoded, wins, logits, hidden)


def read_spans(reading: Reading, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(S, D) span vectors and (S, 14) technique probabilities of character spans of a read article."""
    if not spans:
        return np.zeros((0, 0), dtype=np.float32), np.zeros((0, len(LABELS)))
    vectors = span_vectors(reading.hidden, span_inputs(reading.text, reading.encoded, reading.wins, spans))
    return vectors, technique_probabilities(load_model(), vectors, [reading.text[s:e] for s, e in spans])


def classify_read(reading: Reading, spans: list[tuple[int, int]]) -> np.ndarray:
    """(S, 14) technique probabilities of character spans of a read article."""
    return read_spans(reading, spans)[1]


def filter_features(reading: Reading, inside: np.ndarray, spans: list[tuple[int, int]], vectors: np.ndarray,
                    probs: np.ndarray) -> np.ndarray:
    """What the span filter reads of each decoded span: the technique classifier's inputs and output,
    and its tokens' propaganda probabilities (mean, max, min) and length in characters and tokens."""
    stats = np.zeros((len(spans), 5))
    for row, (start, end) in enumerate(spans):
        first, last = token_range(reading.encoded.offsets, start, end)
        tokens = inside[first:last]
        stats[row] = [tokens.mean(), tokens.max(), tokens.min(), np.log1p(end - start), np.log1p(last - first)]
    return np.concatenate([vectors, probs, probs.max(axis=1, keepdims=True), stats], axis=1)


def filter_probabilities(heads: dict[str, np.ndarray], features: np.ndarray) -> np.ndarray:
    """The span filter: a logistic regression's probability that a decoded span overlaps a real one."""
    return 1.0 / (1.0 + np.exp(-(features @ heads["sf_w"] + heads["sf_b"][0])))


def likely_spans(reading: Reading, inside: np.ndarray, model: Model, decoded: list[tuple[int, int, float]],
                 ) -> tuple[list[tuple[int, int, float]], dict[tuple[int, int], np.ndarray]]:
    """The decoded spans the span filter keeps (all of them for a model without one), and the technique
    probabilities of each kept span, computed on the way."""
    spans = [(s, e) for s, e, _ in decoded]
    vectors, probs = read_spans(reading, spans)
    if spans and "sf_w" in model.heads:
        chances = filter_probabilities(model.heads, filter_features(reading, inside, spans, vectors, probs))
        kept = chances >= model.meta["si_filter_threshold"]
        decoded, probs = [d for d, k in zip(decoded, kept, strict=True) if k], probs[kept]
    return decoded, {(s, e): p for (s, e, _), p in zip(decoded, probs, strict=True)}


def decoding(meta: dict[str, Any]) -> Decoding:
    return Decoding(meta["si_threshold"], meta.get("si_gap", 0), meta.get("si_min_chars", 0))


@one_blas_thread
def find_techniques(text: str) -> list[dict[str, Any]]:
    """SI then TC: the propagandistic spans of ``text``, each with its most likely technique.

    The devices of ``annotate.cues`` (doubt-casting, delegitimising labels, emotive idioms), which
    PTC's annotators and so the model rarely flag, are spans too, of the cue's technique and
    carrying its name.
    """
    reading = read(text)
    if reading is None:
        return []
    model = load_model()
    inside = inside_probabilities(reading, model)
    decoded = decode_spans(reading.text, reading.encoded, inside, decoding(model.meta))
    found, known = likely_spans(reading, inside, model, decoded)
    cues = find_cues(reading.text)
    found = _without_overlaps(found + [(s, e, _mean_inside(reading.encoded, inside, s, e)) for s, e, _, _ in cues])
    technique_probs = _technique_probabilities_of(reading, [(s, e) for s, e, _ in found], known)
    spans = []
    for (start, end, score), p in zip(found, technique_probs, strict=True):
        cue = next(((name, technique) for s, e, name, technique in cues if start <= s and e <= end), None)
        label = LABELS.index(cue[1]) if cue else int(p.argmax())
        spans.append({
            "start": start,
            "end": end,
            "text": text[start:end],
            "technique": LABELS[label],
            "score": round(score, 3),
            "technique_score": round(float(p[label]), 3),
            "model": f"minilm-techniques-{model.meta['version']}",
            **({"cue": cue[0]} if cue else {}),
        })
    return spans


def _technique_probabilities_of(reading: Reading, spans: list[tuple[int, int]],
                                known: dict[tuple[int, int], np.ndarray]) -> np.ndarray:
    """Technique probabilities of ``spans``, computed only for those not ``known`` (joined with a cue)."""
    new = [span for span in spans if span not in known]
    known = known | dict(zip(new, classify_read(reading, new), strict=True))
    return np.array([known[span] for span in spans]).reshape(len(spans), len(LABELS))


def _mean_inside(encoded: Encoded, inside: np.ndarray, start: int, end: int) -> float:
    """The model's own propaganda probability over a span it did not find itself."""
    first, last = token_range(encoded.offsets, start, end)
    return float(inside[first:last].mean()) if last > first else 0.0


@one_blas_thread
def classify_spans(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """TC: one technique per given span. A span listed k times gets its k most likely techniques,
    since an identical span may carry several gold labels."""
    reading = read(text)
    if reading is None:
        return [LABELS[0]] * len(spans)
    ranked = np.argsort(-classify_read(reading, spans), axis=1)
    seen: Counter[tuple[int, int]] = Counter()
    labels = []
    for span, order in zip(spans, ranked, strict=True):
        labels.append(LABELS[int(order[min(seen[span], len(LABELS) - 1)])])
        seen[span] += 1
    return labels


def summarise(text: str, spans: list[dict[str, Any]]) -> dict[str, Any]:
    """Article-level view for the story comparison and the web UI: technique counts and the share of
    sentences with one (spans as the layer gives them, or stored spans as start/end/technique dicts)."""
    sentences = [(s, e) for s, e in sentence_bounds(text) if text[s:e].strip()]
    flagged = sum(any(sp["start"] < e and s < sp["end"] for sp in spans) for s, e in sentences)
    return {
        "techniques": dict(Counter(sp["technique"] for sp in spans).most_common()),
        "spans": len(spans),
        "sentences": len(sentences),
        "sentences_with_technique": flagged,
        "share_of_sentences": round(flagged / len(sentences), 3) if sentences else 0.0,
    }


# ---------------------------------------------------------------- `newsprism techniques classify`

MAX_SPAN_ROWS = 1_000_000


def read_span_rows(path: Path) -> list[tuple[str, int, int]]:
    """Rows ``doc_id<TAB>start<TAB>end`` of a SPANS.tsv (extra columns, such as a ``?`` technique, ignored)."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 4 and not fields[1].isdigit():  # the task's own TC input: doc_id, ?, start, end
                del fields[1]
            if number > MAX_SPAN_ROWS or len(fields) < 3 or not (fields[1].isdigit() and fields[2].isdigit()):
                raise InputError(str(path), f"line {number}: expected doc_id<TAB>start<TAB>end")
            rows.append((fields[0], int(fields[1]), int(fields[2])))
    return rows


def document_id(path: Path) -> str:
    """A file's doc_id: its name without extension and without a leading ``article``."""
    return path.stem.removeprefix("article")


MAX_FILE_BYTES = 5_000_000


def texts_by_id(paths: list[Path]) -> dict[str, str]:
    """The text of every file under ``paths`` (folders recursed), keyed by its doc_id."""
    files = [f for path in paths for f in (sorted(path.rglob("*")) if path.is_dir() else [path]) if f.is_file()]
    texts = {}
    for file in files:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise InputError(str(file), "file too large")
        texts[document_id(file)] = file.read_bytes().decode("utf-8", errors="replace")
    return texts


def classify_rows(rows: list[tuple[str, int, int]], texts: dict[str, str]) -> list[str]:
    """Output lines ``doc_id<TAB>technique<TAB>start<TAB>end`` in input order, one article read at a time."""
    by_doc: dict[str, list[int]] = {}
    for index, (doc_id, _, _) in enumerate(rows):
        by_doc.setdefault(doc_id, []).append(index)
    labels = [""] * len(rows)
    for doc_id, indices in by_doc.items():
        if doc_id not in texts:
            raise InputError(doc_id, "no input file with this doc_id")
        text = texts[doc_id]
        spans = [(rows[i][1], rows[i][2]) for i in indices]
        if any(not 0 <= s < e <= len(text) for s, e in spans):
            raise InputError(doc_id, "span outside the text")
        for i, label in zip(indices, classify_spans(text, spans), strict=True):
            labels[i] = label
    return [f"{doc_id}\t{label}\t{start}\t{end}" for (doc_id, start, end), label in zip(rows, labels, strict=True)]


@component("techniques", version=VERSION)
def techniques_layer(text: str, dct: str | None) -> list[dict[str, Any]]:
    """The `techniques` layer of interfaces.md."""
    return find_techniques(text)
