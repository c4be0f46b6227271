"""Annotation components registered by name, one layer each, the way spaCy registers pipeline parts.

A component is a pure function ``(text, dct) -> list of span dicts`` in the interfaces.md schema
(``start``, ``end``, ``text`` and the layer's own fields). ``annotate_text`` runs the requested
layers over one text; ``annotate_article`` turns the same output into standoff ``Layer``s of an
Article, so `annotate` and `ingest` share one code path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from newsprism.model import Article, Failure, Layer, Span

SpanDict = dict[str, Any]
Component = Callable[[str, str | None], list[SpanDict]]

# Layers of the interfaces.md contract, in output order, and the module that provides each.
LAYER_MODULES = {
    "entities": "newsprism.annotate.entities",
    "quotes": "newsprism.annotate.quotes",
    "timex": "newsprism.annotate.timex",
    "techniques": "newsprism.annotate.techniques",
}


@dataclass(frozen=True)
class Registered:
    name: str
    version: str
    run: Component


_REGISTRY: dict[str, Registered] = {}


def component(name: str, version: str) -> Callable[[Component], Component]:
    """Register ``function`` as the component that makes layer ``name``."""

    def register(function: Component) -> Component:
        _REGISTRY[name] = Registered(name, version, function)
        return function

    return register


def available_layers() -> list[str]:
    """The layers whose component is installed, in contract order."""
    for module in filter(None, LAYER_MODULES.values()):
        import_module(module)
    return [name for name in LAYER_MODULES if name in _REGISTRY]


def annotate_text(text: str, layers: Iterable[str], dct: str | None = None) -> dict[str, list[SpanDict]]:
    """The layers of one text; a layer that fails raises (benchmarks and tests want to know)."""
    available_layers()
    return {name: _REGISTRY[name].run(text, dct) for name in layers}


def annotate_isolated(text: str, layers: Iterable[str], dct: str | None = None,
                      ) -> tuple[dict[str, list[SpanDict]], list[Failure]]:
    """The layers of one text that ran, and a Failure for each one that raised: one layer's failure on
    one hostile text never costs the other layers, the article or the run."""
    available_layers()
    done: dict[str, list[SpanDict]] = {}
    failed = []
    for name in layers:
        try:
            done[name] = _REGISTRY[name].run(text, dct)
        except Exception as error:  # the edge of a layer: record it, go on with the others
            failed.append(Failure.of("annotate", name, error))
    return done, failed


def annotate_article(article: Article, layers: Iterable[str] | None = None) -> Article:
    """Add the layers to the article, anchored at its publication day; a layer that fails is recorded in
    ``article.failures`` (and a layer that ran again drops its older failure)."""
    names = list(layers) if layers is not None else available_layers()
    dct = (article.published or "")[:10] or None
    done, failed = annotate_isolated(article.text, names, dct)
    for name, spans in done.items():
        registered = _REGISTRY[name]
        article.layers[name] = Layer(name, f"newsprism.{name}", registered.version, [_span(s) for s in spans])
    article.record(failed, retried=[("annotate", name) for name in names])
    return article


_LABEL_FIELDS = ("label", "type", "kind", "technique")  # the field that names a span's class, per layer


def _span(data: SpanDict) -> Span:
    """A layer's span dict as a standoff Span: its class as the label, its other fields as attributes."""
    label_field = next((name for name in _LABEL_FIELDS if name in data), None)
    attrs = {k: v for k, v in data.items() if k not in ("start", "end", "text", label_field)}
    return Span(data["start"], data["end"], str(data[label_field]) if label_field else "", attrs)
