"""Which files a list of command-line paths stands for, and whether each may be opened.

Order is deterministic: the paths in the order given; inside a folder, entries sorted
by name and sub-folders recursed where they sort. Sources are reported as the user
spelled them (``data/`` + ``a/b.txt`` -> ``data/a/b.txt``), never as resolved paths.

Inside folders, hidden entries (``.git``, ``.DS_Store``) and files with an obvious
non-input extension (images, office documents, archives, media, fonts, code, Markdown
notes) are
skipped silently: a folder of saved pages usually holds them next to the pages.
A file named explicitly is always read, so a stray ``.png`` on the command line is
reported as a binary file instead of being ignored. Symlinks inside a folder are
followed only when they point inside that folder (reported otherwise), and each real
folder is visited once (no symlink loops). Only regular files are opened: FIFOs,
devices and sockets are refused without opening them (a FIFO would block).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.limits import Limits, limit_text, megabytes

# fmt: off
SKIPPED_EXTENSIONS = frozenset({
    # images and media
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".avif",
    ".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".webm", ".avi", ".mov", ".mkv", ".flac",
    # documents, archives other than gzip, binaries
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".epub",
    ".zip", ".tar", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar",
    ".exe", ".dll", ".so", ".dylib", ".o", ".a", ".class", ".jar", ".whl", ".pyc",
    ".sqlite", ".sqlite3", ".db", ".parquet",
    # page assets saved next to pages
    ".css", ".js", ".map", ".woff", ".woff2", ".ttf", ".otf", ".eot",
    # a collection's own notes (README.md, LICENSE.rst)
    ".md", ".rst",
})
# fmt: on


@dataclass(frozen=True)
class InputFile:
    """One file to read: where it is and how to name it in records and error messages."""

    path: Path
    source: str
    explicit: bool


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[InputFile | InputError]:
    """The files the given paths stand for, folders recursed; a missing path is an error."""
    if isinstance(paths, str | os.PathLike):  # one path, not an iterable of its characters
        paths = [paths]
    for given in paths:
        source = os.fspath(given)
        path = Path(source)
        if path.is_dir():
            yield from _walk_folder(path, source)
        elif path.exists() or path.is_symlink():
            yield InputFile(path, source, explicit=True)
        else:
            yield InputError(source, "no such file or directory")


def count_inputs(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many items ``iter_input_files`` yields (files and path errors): a progress-bar total."""
    return sum(1 for _ in iter_input_files(paths))


def _walk_folder(root: Path, root_source: str) -> Iterator[InputFile | InputError]:
    """Depth-first, name-sorted walk with an explicit stack (deep trees cannot overflow it)."""
    real_root = root.resolve()
    visited = {real_root}
    stack = [iter(_sorted_entries(root, root_source))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if isinstance(entry, InputError):
            yield entry
            continue
        path, source = entry
        if path.is_symlink() and not path.resolve().is_relative_to(real_root):
            yield InputError(source, "symlink points outside the folder; not followed")
        elif path.is_dir():
            real = path.resolve()
            if real not in visited:
                visited.add(real)
                stack.append(iter(_sorted_entries(path, source)))
        elif path.suffix.lower() not in SKIPPED_EXTENSIONS:
            yield InputFile(path, source, explicit=False)


def _sorted_entries(folder: Path, folder_source: str) -> list[tuple[Path, str] | InputError]:
    try:
        names = sorted(name for name in os.listdir(folder) if not name.startswith("."))
    except OSError as exc:
        return [InputError(folder_source, f"cannot list folder ({exc.strerror or exc})")]
    return [(folder / name, os.path.join(folder_source, name)) for name in names]


def check_input_file(item: InputFile, limits: Limits) -> None:
    """Refuse what must not be opened or read, using ``stat`` only (no read of the content)."""
    try:
        info = item.path.stat()
    except FileNotFoundError:
        raise InputError(item.source, "no such file (broken symlink?)") from None
    except OSError as exc:
        raise InputError(item.source, f"cannot read file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(item.source, f"not a regular file ({_file_type(info.st_mode)})")
    if info.st_size > limits.max_file_bytes:
        raise InputError(
            item.source,
            f"file too large ({megabytes(info.st_size)} > {limit_text(limits.max_file_bytes)} limit)",
        )
    if info.st_size == 0:
        raise InputError(item.source, "empty file")


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return name
    return "special file"
