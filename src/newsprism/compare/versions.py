"""What changed between two versions of one page (an outlet that rewrites a story after publishing it):
the same alignment as for copies, so a reader sees added, cut and reworded passages with their words."""

from __future__ import annotations

from typing import Any

from newsprism.link.copies import align
from newsprism.model import Article


def version_changes(before: Article, after: Article) -> dict[str, Any]:
    """The title change and the passages added, cut or reworded from ``before`` to ``after``, with
    offsets into each version's text (kept passages are only counted)."""
    passages = align(before.text, after.text)
    changed = []
    for passage in passages:
        if passage.kind == "kept":
            continue
        old, new = passage.source, passage.copy
        changed.append({
            "kind": passage.kind,
            "before": {"start": old[0], "end": old[1], "text": before.text[old[0]:old[1]]} if old else None,
            "after": {"start": new[0], "end": new[1], "text": after.text[new[0]:new[1]]} if new else None,
            "words": [{"op": c["op"], "before": c["source_text"], "after": c["copy_text"]} for c in passage.changes],
        })
    return {
        "title": {"before": before.title, "after": after.title} if before.title != after.title else None,
        "kept": sum(p.kind == "kept" for p in passages),
        "passages": changed,
    }
