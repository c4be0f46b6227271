"""One self-contained html file: inline CSS, no script, no external resource.

Everything that comes from an article (titles, outlets, quotes, urls) goes through ``esc``; a url
becomes a link only when it is http(s), so a ``javascript:`` url stays inert text.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from newsprism.compare.result import (
    Comparison,
    Evidence,
    OutletProfile,
    Report,
    agreed_values,
    shown_published,
    values_by_outlet,
)

MAX_SNIPPET = 600
CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f4}.ev{color:#555;font-size:.85em}.q{background:#fff8dc}.flag{color:#a00;font-weight:600}
.value{font-weight:600}.added{background:#fde8e8}ul{padding-left:1.2rem}
"""


def esc(text: object) -> str:
    """Untrusted text as inert html (quotes escaped too, so it is safe inside attributes)."""
    return escape(str(text if text is not None else ""), quote=True)


def snippet(text: str) -> str:
    flat = " ".join(text.split())
    return esc(flat[:MAX_SNIPPET] + ("…" if len(flat) > MAX_SNIPPET else ""))


def safe_link(url: str | None, label: str) -> str:
    """A link for http(s) urls only; anything else (javascript:, data:, relative) is shown as text."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return f'<a href="{esc(url.strip())}" rel="noopener noreferrer nofollow">{esc(label)}</a>'
    return esc(label) + (f' <span class="ev">({esc(url)})</span>' if url else "")


def cite(ev: Evidence) -> str:
    return (
        f'<span class="q">“{snippet(ev.text)}”</span> <span class="ev">{esc(ev.outlet)}, '
        f"{esc(ev.article_id)} [{ev.start}:{ev.end}]</span>"
    )


def page(title: str, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else "<p>None found.</p>"


def _with_evidence(line: str, evidence: list[Evidence], lead: str = "<li>") -> str:
    """A list item's line with its evidence cited below it, one passage a line."""
    return line + "<ul>" + "".join(f"{lead}{cite(e)}</li>" for e in evidence) + "</ul>"


def _report_row(r: Report) -> str:
    return (
        f"<tr><td>{esc(r.published or 'undated')}</td><td>{esc(r.outlet)}</td>"
        f'<td>{safe_link(r.url, r.title or r.article_id)}</td><td class="ev">{esc(r.article_id)}</td></tr>'
    )


def comparison_html(c: Comparison) -> str:
    title = c.timeline.first.title if c.timeline.first and c.timeline.first.title else "story"
    body = [f"<h1>How {len(c.outlets)} outlets told: {esc(title)}</h1>"]
    body += [f'<p class="ev">{esc(n)}</p>' for n in c.notes]
    body += _timeline(c) + _conflicts(c) + _quotes(c) + _omissions(c) + _techniques(c) + _republications(c) + _naming(c)
    return page(f"newsprism: {title}", body)


def _timeline(c: Comparison) -> list[str]:
    first = c.timeline.first
    lines = ["<h2>Timeline</h2>"]
    if first:
        lines.append(f"<p>First: <b>{esc(first.outlet)}</b> at {esc(first.published)}</p>")
    rows = [_report_row(r) for r in c.timeline.reports + c.timeline.undated]
    lines.append(
        "<table><tr><th>published</th><th>outlet</th><th>title</th><th>article</th></tr>" + "".join(rows) + "</table>"
    )
    return lines


def _first(published: str | None) -> str:
    return f" <small>first published {esc(shown_published(published))}</small>" if published else ""


def _conflicts(c: Comparison) -> list[str]:
    items = []
    for conflict in c.conflicts:
        values = "".join(
            f'<li><span class="value">{esc(v.value)}</span>'
            + _first(v.first_published)
            + ": " + "; ".join(cite(e) for e in v.evidence) + "</li>"
            for v in conflict.values
        )
        rising = ' <span class="flag">rising over time</span>' if conflict.rising else ""
        items.append(f"{esc(conflict.kind)} <i>{esc(conflict.slot)}</i>{rising}<ul>{values}</ul>")
    agreed = [f"{esc(a.kind)} <i>{esc(a.slot)}</i>: "
              + " / ".join(f'<span class="value">{esc(value)}</span>' + (f" (“{esc(words)}”)" if words else "")
                           for value, words in agreed_values(a))
              + f" ({len(a.outlets)} outlets: {esc(', '.join(a.outlets))})" for a in c.agreements]
    return ["<h2>Facts in conflict</h2>", _conflict_table(c), _ul(items), "<h2>Facts the outlets agree on</h2>",
            _ul(agreed)]


def _conflict_table(c: Comparison) -> str:
    """Side by side: one row per conflicting fact, one column per outlet, the values it gives."""
    if not c.conflicts:
        return ""
    head = "".join(f"<th>{esc(o)}</th>" for o in c.outlets)
    rows = []
    for conflict in c.conflicts:
        given = values_by_outlet(conflict)
        cells = "".join(f"<td>{esc(' / '.join(given.get(o, [])))}</td>" for o in c.outlets)
        rows.append(f"<tr><td>{esc(conflict.kind)} <i>{esc(conflict.slot)}</i></td>{cells}</tr>")
    return f"<table><tr><th>fact</th>{head}</tr>{''.join(rows)}</table>"


def _quotes(c: Comparison) -> list[str]:
    items = []
    for group in c.quotes:
        flag = ' <span class="flag">attributed to different speakers</span>' if group.misattributed else ""
        variants = "".join(
            f"<li>{esc(v.relation)}, speaker {esc(v.speaker_name or '?')}: {cite(v.evidence)}</li>"
            for v in group.variants
        )
        items.append(f"<b>{esc(group.speaker_name or 'unnamed')}</b>: {cite(group.full)}{flag}<ul>{variants}</ul>")
    voices = [f"{esc(v.speaker_name)}: {esc(', '.join(v.outlets))}" for v in c.voices if v.only_some]
    return ["<h2>Quotes</h2>", _ul(items), "<h3>Voices only some outlets quote</h3>", _ul(voices)]


def _omissions(c: Comparison) -> list[str]:
    items = [
        _with_evidence(
            f'<b>{esc(o.outlet)}</b> <span class="ev">{esc(o.article_id)}</span> leaves out {esc(o.kind)} '
            f"<i>{snippet(o.what)}</i>, carried by {esc(', '.join(o.carried_by))}",
            o.evidence,
        )
        for o in c.omissions
    ]
    return ["<h2>Omissions</h2>", _ul(items)]


def _techniques(c: Comparison) -> list[str]:
    if c.techniques is None:
        return ["<h2>Techniques per outlet</h2>", "<p>No techniques layer.</p>"]
    items = [
        _with_evidence(
            f"<b>{esc(u.outlet)}</b>: {u.spans} spans in {u.sentences} sentences ({u.rate_per_sentence} per "
            f"sentence, {u.share_of_sentences:.0%} of sentences with one); "
            + esc(", ".join(f"{k} {v}" for k, v in u.by_technique.items())),
            u.evidence,
        )
        for u in c.techniques
    ]
    return ["<h2>Techniques per outlet</h2>", _ul(items)]


def _republications(c: Comparison) -> list[str]:
    items = [
        _with_evidence(
            f'<b>{esc(r.copy_outlet)}</b> <span class="ev">{esc(r.copy_id)}</span> copies {esc(r.source_outlet)} '
            f'<span class="ev">{esc(r.source_id)}</span> (containment {r.containment}): kept {r.kept}, cut {r.cut}, '
            f"reworded {r.reworded}, added {len(r.added)}",
            r.added,
            '<li class="added">added: ',
        )
        for r in c.republications
    ]
    return ["<h2>Republished copy and added passages</h2>", _ul(items)]


def _naming(c: Comparison) -> list[str]:
    rows = []
    for n in c.naming:
        forms = "<br>".join(
            f"{esc(o)}: " + esc(", ".join(f"{f} ×{k}" for f, k in fs.items())) for o, fs in n.forms.items()
        )
        own = "<br>".join(
            f"{esc(o)}: " + esc(", ".join(f"{w} ×{k}" for w, k in ws.items())) for o, ws in n.descriptors.items()
        )
        rows.append(
            f'<tr><td>{esc(n.canonical)} <span class="ev">{esc(n.label)}</span></td><td>{forms}</td><td>{own}</td></tr>'
        )
    return [
        "<h2>How outlets name the actors</h2>",
        "<table><tr><th>actor</th><th>written as, per outlet</th><th>words only this outlet puts next to it</th></tr>"
        + "".join(rows)
        + "</table>",
    ]


def profiles_html(profiles: list[OutletProfile]) -> str:
    rows = "".join(
        f"<tr><td>{esc(p.outlet)}</td><td>{p.articles}</td><td>{len(p.stories)}</td><td>{p.first}/{p.multi_outlet_stories}</td>"
        f"<td>{p.copies} ({p.copy_rate})</td><td>{p.techniques.rate_per_sentence if p.techniques else 'n/a'}</td></tr>"
        for p in profiles
    )
    examples = [
        f"<b>{esc(p.outlet)}</b>, {esc(t)}: " + "; ".join(cite(e) for e in ex)
        for p in profiles
        for t, ex in p.examples.items()
    ]
    return page(
        "newsprism: outlet profiles",
        [
            "<h1>Outlet profiles</h1>",
            "<table><tr><th>outlet</th><th>articles</th><th>stories</th><th>first</th><th>copies</th>"
            f"<th>technique spans per sentence</th></tr>{rows}</table>",
            "<h2>Example passages</h2>",
            _ul(examples),
        ],
    )
