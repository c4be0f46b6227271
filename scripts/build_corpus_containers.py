"""Build corpus/warc/crawl.warc.gz from the pages kept under scripts/warc-src/.

The WARC is a derived file: the source pages and the record list (manifest.json,
in record order) are what is edited; this script turns them into a gzipped WARC.
Dates and record ids are fixed and warcio's per-record gzip members carry mtime 0,
so rebuilding gives a byte-identical file.

Usage: python scripts/build_corpus_containers.py [--check]
  --check  rebuild in memory and exit 1 if the committed WARC differs.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import uuid
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SOURCE_DIR = Path(__file__).resolve().parent / "warc-src"
TARGET = CORPUS / "warc" / "crawl.warc.gz"
RECORD_NAMESPACE = uuid.UUID("6f1c2d0e-5b7a-4c1e-9d43-2a1b7e0c9f10")
REASONS = {200: "OK", 404: "Not Found"}
USER_AGENT = "newsprism-sample-crawler/1.0 (+https://newsprism.example/bot)"


def record_id(kind: str, url: str) -> str:
    """A stable WARC-Record-ID, so rebuilding does not change the file."""
    return f"<urn:uuid:{uuid.uuid5(RECORD_NAMESPACE, kind + ' ' + url)}>"


def http_date(warc_date: str) -> str:
    return format_datetime(datetime.fromisoformat(warc_date.replace("Z", "+00:00")), usegmt=True)


def warcinfo_record(writer: WARCWriter, entry: dict) -> object:
    fields = "".join(f"{key}: {value}\r\n" for key, value in entry["fields"].items()).encode("utf-8")
    headers = {
        "WARC-Date": entry["date"],
        "WARC-Record-ID": record_id("warcinfo", TARGET.name),
        "WARC-Filename": TARGET.name,
    }
    return writer.create_warc_record(
        "",
        "warcinfo",
        payload=io.BytesIO(fields),
        length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict=headers,
    )


def request_record(writer: WARCWriter, entry: dict) -> object:
    parts = urlsplit(entry["url"])
    http_headers = StatusAndHeaders(
        f"GET {parts.path or '/'} HTTP/1.1",
        [
            ("Host", parts.netloc),
            ("User-Agent", USER_AGENT),
            ("Accept", "text/html,application/xhtml+xml"),
            ("Accept-Language", "en"),
        ],
        is_http_request=True,
    )
    headers = {
        "WARC-Date": entry["date"],
        "WARC-Record-ID": record_id("request", entry["url"]),
        "WARC-Concurrent-To": record_id("response", entry["url"]),
    }
    return writer.create_warc_record(
        entry["url"], "request", payload=io.BytesIO(b""), length=0, http_headers=http_headers, warc_headers_dict=headers
    )


def response_record(writer: WARCWriter, entry: dict) -> object:
    body = (SOURCE_DIR / entry["file"]).read_bytes()
    status = entry["status"]
    http_headers = StatusAndHeaders(
        f"{status} {REASONS[status]}",
        [
            ("Content-Type", entry["content_type"]),
            ("Content-Length", str(len(body))),
            ("Date", http_date(entry["date"])),
            ("Server", "nginx"),
            ("Cache-Control", "max-age=300"),
        ],
        protocol="HTTP/1.1",
    )
    headers = {"WARC-Date": entry["date"], "WARC-Record-ID": record_id("response", entry["url"])}
    return writer.create_warc_record(
        entry["url"],
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict=headers,
    )


BUILDERS = {"warcinfo": warcinfo_record, "request": request_record, "response": response_record}


def build() -> bytes:
    """All records of manifest.json, in its order, as one gzipped WARC."""
    manifest = json.loads((SOURCE_DIR / "manifest.json").read_text(encoding="utf-8"))
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for entry in manifest:
        writer.write_record(BUILDERS[entry["type"]](writer, entry))
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args()
    data = build()
    if args.check:
        same = TARGET.exists() and TARGET.read_bytes() == data
        print("up to date" if same else f"{TARGET} differs from a fresh build", file=sys.stderr)
        return 0 if same else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} ({len(data)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
