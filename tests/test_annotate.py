"""`newsprism annotate` and the layers `ingest` stores: the interfaces.md schema and offsets."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import main
from newsprism.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def annotate(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, ["annotate", *args])
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_offsets_index_the_file_as_read_crlf_included(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes("The café council 🙂 met on\r\nMonday and will vote next Wednesday.\r\n".encode())
    code, [doc], _ = annotate("--layers", "timex", "--dct", "2026-03-04", str(path))
    text = path.read_bytes().decode("utf-8")
    assert code == 0 and set(doc) == {"source", "id", "language", "timex"}
    assert doc["timex"], "the weekday expressions are found"
    for span in doc["timex"]:
        assert text[span["start"] : span["end"]] == span["text"]
        assert span["type"] in {"DATE", "TIME", "DURATION", "SET"} and span["value"]


def test_bad_layers_dates_and_files(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("Nothing happened.", encoding="utf-8")
    assert annotate("--layers", "colours", str(good))[0] == 2
    assert annotate("--layers", "timex", "--dct", "4 March", str(good))[0] == 2
    latin = tmp_path / "b.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    code, docs, stderr = annotate("--layers", "timex", str(good), str(latin))
    assert code == 1 and len(docs) == 1 and f"{latin}: cannot read as UTF-8 text" in stderr


def test_workers_give_the_same_output_in_the_same_order(tmp_path):
    for dump in sorted((CORPUS / "dumps").iterdir())[:3]:
        (tmp_path / dump.name).write_bytes(dump.read_bytes())
    (tmp_path / "b-latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    serial = annotate("--layers", "techniques,timex", "--jobs", "1", str(tmp_path))
    parallel = annotate("--layers", "techniques,timex", "--jobs", "2", str(tmp_path))
    assert serial == parallel
    code, docs, stderr = serial
    assert code == 1 and len(docs) == 3 and any(doc["techniques"] for doc in docs)
    assert "b-latin.txt: cannot read as UTF-8 text" in stderr


def test_ingest_stores_the_timex_layer_as_standoff_spans(tmp_path):
    db = tmp_path / "news.sqlite"
    CliRunner().invoke(main, ["ingest", "--db", str(db), str(CORPUS / "html")])
    with Store(db) as store:
        articles = [store.article(a.id) for a in store.articles()]
    spans = [(a.text, s) for a in articles for s in a.layers["timex"].spans]
    assert spans and all(0 <= s.start < s.end <= len(text) for text, s in spans)
    assert all(s.label in {"DATE", "TIME", "DURATION", "SET"} and s.attrs["value"] for _, s in spans)
