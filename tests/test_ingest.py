"""Readers: files and folders in, RawRecords or InputErrors out, by content rather than by name."""

from __future__ import annotations

import gzip
import io
import os
import shutil
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.errors import InputError
from newsprism.ingest import Limits, count_inputs, iter_records
from newsprism.ingest.detect import detect_kind
from newsprism.model import RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = b"<html><head><title>Quay</title></head><body><p>The quay was rebuilt in %d.</p></body></html>"


def read(*paths: str | Path, limits: Limits | None = None) -> list[RawRecord | InputError]:
    return list(iter_records(paths, limits) if limits else iter_records(paths))


def errors(items: list[RawRecord | InputError]) -> list[tuple[str, str]]:
    return [(e.source, e.reason) for e in items if isinstance(e, InputError)]


def records(items: list[RawRecord | InputError]) -> list[RawRecord]:
    return [r for r in items if isinstance(r, RawRecord)]


def only_error(path: Path, limits: Limits | None = None) -> str:
    items = read(path, limits=limits)
    assert len(items) == 1 and isinstance(items[0], InputError), items
    assert items[0].source == str(path)
    return items[0].reason


def write_warc(path: Path, gzipped: bool) -> None:
    """Three article responses (one chunked and gzip-encoded) among records that must be skipped."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)

        def response(
            url: str, body: bytes, status: str = "200 OK", ctype: str | None = "text/html", extra: tuple = ()
        ) -> None:
            headers = [("Content-Type", ctype)] if ctype else []
            http = StatusAndHeaders(status, [*headers, *extra], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(record)

        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "quay.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://quay.example/a", "request", http_headers=request))
        response("https://quay.example/a", PAGE % 1901)
        response("https://quay.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", ctype="image/png")
        response("https://quay.example/gone", PAGE % 1902, status="404 Not Found")
        response("https://quay.example/b", PAGE % 1903, ctype=None)  # no type: sniffed as HTML
        packed = gzip.compress(PAGE % 1904)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(packed), packed)
        encodings = (("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"))
        response("https://quay.example/c", chunked, ctype="text/html; charset=utf-8", extra=encodings)
        writer.write_record(
            writer.create_warc_record("https://quay.example/a", "metadata", payload=io.BytesIO(b"k: v"))
        )


# --- detection by content -------------------------------------------------------------------


def test_html_named_txt_is_html() -> None:
    (record,) = read(FIXTURES / "page_named.txt")
    assert record.kind == "html"
    assert record.data == (FIXTURES / "page_named.txt").read_bytes()


def test_atom_feed_with_a_data_extension_is_read_as_feed() -> None:
    (record,) = read(FIXTURES / "atom.data")
    assert record.kind == "fields"
    assert record.source == f"{FIXTURES / 'atom.data'}#0"


def test_gzip_compressed_dump_is_decompressed_and_detected(tmp_path: Path) -> None:
    path = tmp_path / "page.bin"
    path.write_bytes(gzip.compress((FIXTURES / "dump.txt").read_bytes()))
    (record,) = read(path)
    assert (record.kind, record.source) == ("dump", str(path))
    assert record.data == (FIXTURES / "dump.txt").read_bytes()


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<rdf:RDF xmlns:rdf='x'>", "feed"),
        (b"<!DOCTYPE rss [<!ENTITY a 'b'>]>\n<rss version='0.91'>", "feed"),
        (b"  <!doctype HTML><p>x", "html"),
        (b"<!-- theme -->\n<!DOCTYPE html><p>stray \x00 byte</p>", "html"),
        (b"<div><p>One</p><p>Two</p></div>", "html"),
        (b'\n{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b"id;Headline;Full Text\n1;a;b\n", "csv"),
        (b"<?xml version='1.0'?><urlset><url/></urlset>", "xml"),
        (b"Plain words, on a line\nand more", "dump"),
        (b" \n\t\r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("\ufeffSome text".encode("utf-16"), "dump"),
    ],
)
def test_detect_kind(head: bytes, kind: str) -> None:
    assert detect_kind(head) == kind


# --- folders and paths ----------------------------------------------------------------------


def test_folder_recursion_is_sorted_and_skips_hidden_and_non_inputs(tmp_path: Path) -> None:
    dump = (FIXTURES / "dump.txt").read_bytes()
    for name in ("b.txt", "a/z.txt", "a/c/d.txt", "a.txt", ".hidden.txt", ".git/x.txt", "photo.png", "README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(dump)
    given = f"{tmp_path}/"
    items = read(given)
    assert [r.source for r in items] == [f"{given}{n}" for n in ("a/c/d.txt", "a/z.txt", "a.txt", "b.txt")]
    assert count_inputs([given]) == 4


def test_explicit_non_input_file_and_missing_path_are_errors(tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    assert only_error(image) == "binary file, not a news page"
    assert errors(read(tmp_path / "nope.txt")) == [(str(tmp_path / "nope.txt"), "no such file or directory")]


def test_symlinks_followed_only_inside_the_folder(tmp_path: Path) -> None:
    outside, folder = tmp_path / "outside", tmp_path / "folder"
    outside.mkdir()
    folder.mkdir()
    shutil.copy(FIXTURES / "dump.txt", outside / "secret.txt")
    shutil.copy(FIXTURES / "dump.txt", folder / "real.txt")
    (folder / "in.txt").symlink_to(folder / "real.txt")
    (folder / "out.txt").symlink_to(outside / "secret.txt")
    (folder / "loop").symlink_to(folder)
    items = read(folder)
    assert [r.source for r in records(items)] == [str(folder / "in.txt"), str(folder / "real.txt")]
    assert errors(items) == [(str(folder / "out.txt"), "symlink points outside the folder; not followed")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert only_error(fifo) == "not a regular file (named pipe)"


# --- refusals and limits --------------------------------------------------------------------


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t ")
    assert only_error(tmp_path / "empty.txt") == "empty file"
    assert only_error(tmp_path / "blank.txt") == "empty file"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as sparse:
        sparse.truncate(200_000_000)
    opened: list[Path] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    assert only_error(path) == "file too large (200.0 MB > 50 MB limit)"
    assert opened == []


def test_truncated_gzip_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "page.txt.gz"
    packed = gzip.compress((FIXTURES / "dump.txt").read_bytes() * 20)
    path.write_bytes(packed[: len(packed) // 2])
    assert only_error(path) == "truncated gzip data"


def test_gzip_bomb_is_stopped_at_the_decompressed_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip.compress(b"word " * 2_000_000))
    assert only_error(path, Limits(max_decompressed_bytes=1_000_000)) == "decompressed data over the 1 MB limit"


def test_one_line_megabytes_long_is_not_a_dump(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_bytes(b"word " * 3000)
    assert only_error(path, Limits(max_line_chars=10_000)) == "line of 15000 characters; not a page dump"


# --- encodings ------------------------------------------------------------------------------

TEXT = "Café owners in Søndervik welcomed the new bridge.\n\nThe mayor’s office was pleased."


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (TEXT.replace("’", "'").encode("latin-1"), TEXT.replace("’", "'")),
        (TEXT.encode("utf-16"), TEXT),
        ("Жители Речного встретили новый мост.\n\nМэрия довольна работой.".encode("cp1251"), None),
    ],
)
def test_dumps_in_other_encodings_become_utf8(tmp_path: Path, encoded: bytes, expected: str | None) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(encoded)
    (record,) = read(path)
    assert record.kind == "dump"
    text = record.data.decode("utf-8")
    assert text == (expected or "Жители Речного встретили новый мост.\n\nМэрия довольна работой.")


# --- WARC -----------------------------------------------------------------------------------


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_yields_decoded_html_responses_only(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / "crawl.dat"
    write_warc(path, gzipped)
    items = read(path)
    assert errors(items) == []
    assert [(r.source, r.kind, r.url) for r in items] == [
        (f"{path}#0", "html", "https://quay.example/a"),
        (f"{path}#1", "html", "https://quay.example/b"),
        (f"{path}#2", "html", "https://quay.example/c"),
    ]
    assert items[0].data == PAGE % 1901
    assert items[2].data == PAGE % 1904
    assert items[0].fetched and items[0].fetched.startswith("20")
    assert items[0].meta == {"content_type": "text/html"}


@pytest.mark.parametrize("gzipped", [False, True])
def test_truncated_warc_yields_records_so_far_then_one_error(tmp_path: Path, gzipped: bool) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzipped)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) * 3 // 5])  # inside the second article record
    items = read(cut)
    assert [r.url for r in records(items)] == ["https://quay.example/a"]
    assert len(errors(items)) == 1
    source, reason = errors(items)[0]
    assert source == str(cut) and reason.startswith("truncated WARC after 1 records")
    assert isinstance(items[-1], InputError)


# --- feeds ----------------------------------------------------------------------------------


def test_feed_items_with_inline_content_become_fields_records() -> None:
    items = read(FIXTURES / "feed.rss")
    assert [(r.source, r.url) for r in items] == [
        (f"{FIXTURES / 'feed.rss'}#0", "https://www.valleygazette.example/news/bridge-reopens"),
        (f"{FIXTURES / 'feed.rss'}#1", "https://www.valleygazette.example/news/choir-prize"),
    ]
    first = items[0]
    assert first.kind == "fields" and b"<script" not in first.data
    assert first.meta["outlet"] == "Valley Gazette"
    assert first.meta["tags"] == ["Transport", "Roads"]
    assert first.meta["description"] == "The mill road bridge is open again."
    assert "modified" not in first.meta
    assert "description" not in items[1].meta  # its summary is the content itself


def test_feed_without_inline_content_is_one_error() -> None:
    path = FIXTURES / "teasers.xml"
    assert only_error(path) == "none of the feed's 2 items has inline content"


def test_feed_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE")
    feed = tmp_path / "evil.xml"
    feed.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY ext SYSTEM "http://127.0.0.1:9/x.dtd">]>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T &xxe;</title>
<item><title>Item &xxe;</title><link>https://evil.example/1</link>
<content:encoded>&lt;p&gt;Body text here &amp;amp; more.&lt;/p&gt;&amp;xxe;&xxe;&ext;</content:encoded>
</item></channel></rss>"""
    )
    (item,) = read(feed)
    assert isinstance(item, RawRecord) and b"Body text here" in item.data
    assert "TOPSECRETVALUE" not in repr(item)


def test_feed_entity_expansion_bomb_is_harmless(tmp_path: Path) -> None:
    lol = ['<!ENTITY a0 "lollollollollollollollollollol">']
    lol += [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    feed = tmp_path / "lol.xml"
    feed.write_text(
        f"<?xml version='1.0'?><!DOCTYPE rss [{''.join(lol)}]><rss version='2.0'><channel><title>x</title>"
        "<item><title>&a9;</title><description>&a9;</description></item></channel></rss>"
    )
    items = read(feed)
    assert len(repr(items)) < 100_000  # the entities were not expanded (a billion "lol"s otherwise)


# --- tables ---------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_errors_and_the_rest_is_read() -> None:
    path = FIXTURES / "rows.jsonl"
    items = read(path)
    assert [r.source for r in items] == [f"{path}#{n}" for n in range(4)]
    assert [type(r).__name__ for r in items] == ["RawRecord", "InputError", "InputError", "RawRecord"]
    assert items[1].reason.startswith("invalid JSON: Unterminated string")
    assert items[2].reason.startswith("no text in any text column")
    first, last = items[0], items[3]
    assert first.url == "https://www.northpost.example/a/1"
    assert first.meta == {
        "title": "Tram line extension approved",
        "published": "2022-05-03T14:00:00+02:00",
        "outlet": "North Post",
        "authors": "By Mira Olsen and Jakob Lind",
        "tags": "transport, city council",
    }
    assert (
        first.data.decode()
        == "The city council approved the tram extension on Tuesday.\n\nConstruction is due to begin next spring."
    )
    assert last.url == "https://northpost.example/a/4" and last.meta["language"] == "en"


def test_csv_with_quoted_newlines() -> None:
    path = FIXTURES / "rows.csv"
    items = read(path)
    assert [r.source for r in items] == [f"{path}#{n}" for n in range(3)]
    night, empty, quotes = items
    assert night.data.decode() == (
        "The night market returns to the old square this Friday.\r\n\r\n"
        "Organisers say there will be sixty stalls, ten more than last year."
    )
    assert night.meta == {
        "title": "Night market returns, with more stalls",
        "published": "2022-06-01",
        "authors": "Omar Haddad, Ines Roy",
        "section": "Local",
    }
    assert isinstance(empty, InputError)
    assert quotes.data == b'She said "yes" twice.' and quotes.meta["title"] == 'Quote "marks" survive'


def test_too_many_rows_stop_with_one_error(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(f'{{"text": "Row number {n}."}}\n' for n in range(5)))
    items = read(path, limits=Limits(max_records=3))
    assert len(records(items)) == 3
    assert errors(items) == [(str(path), "more than 3 rows; the rest skipped")]


def test_json_document_with_an_array_of_articles(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(
        '{"articles": [\n {"title": "Ferry resumes", "text": "The ferry sailed again."},\n 7\n]}', encoding="utf-8"
    )
    items = read(path)
    assert [type(r).__name__ for r in items] == ["RawRecord", "InputError"]
    assert items[0].source == f"{path}#0" and items[0].meta == {"title": "Ferry resumes"}
    assert items[1].source == f"{path}#1"


def test_json_document_without_articles_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{\n "theme": "dark",\n "size": 3\n}', encoding="utf-8")
    assert only_error(path).startswith("JSON document holds no articles")
