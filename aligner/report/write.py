"""Writing reports to disk: atomically, and under names that document titles cannot subvert.

A report that is half-written when the disk fills or the user hits Ctrl-C is worse than
none (it looks complete), so every write goes to a temp file that replaces the target
only once it is fully on disk. File names come from plan titles and province names,
which are untrusted, so they are cleaned before they touch a path.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

_RESERVED = set('<>:"/\\|?*')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_CHARS = 80
_MAX_BYTES = 240  # 80 CJK characters; leaves room for an extension within the usual 255-byte limit
_EXTENSIONS = {
    "md": "md",
    "markdown": "md",
    "csv": "csv",
    "xlsx": "xlsx",
    "html": "html",
    "txt": "txt",
    "terminal": "txt",
    "text": "txt",
    "json": "json",
    "docx": "docx",
    "review": "review.xlsx",
    "review.xlsx": "review.xlsx",
    "review-csv": "review.csv",
    "review.csv": "review.csv",
}
_NEW_FILE_MODE = 0o644  # tempfile creates 0600; a report is meant to be shared


def write_atomic(path: Path, data: str | bytes | Iterable[str], encoding: str = "utf-8") -> None:
    """Write data to path so readers see the old file or the complete new one, never a torn one.

    Creates the parent folder if missing; str is encoded with `encoding` (pass
    "utf-8-sig" for CSV meant for Excel); an iterable of str is written piece by piece, so a
    large document need not be in memory. On any failure the temp file is removed and an
    existing target is left untouched.
    """
    import tempfile  # only when a file is written: a report to standard output does not need it (start-up)

    path = Path(path)
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    chunks = _encoded(data, encoding)
    mode = _mode_for(path)
    # Closed by the `with tmp:` below; kept outside it so the except clause can remove the file.
    tmp = tempfile.NamedTemporaryFile(delete=False, dir=parent, prefix=".aligner-", suffix=".tmp")  # noqa: SIM115
    try:
        with tmp:
            for chunk in chunks:
                tmp.write(chunk)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp.name, mode)
        os.replace(tmp.name, path)
    except BaseException:  # also Ctrl-C: never leave the temp file behind
        with contextlib.suppress(OSError):
            os.unlink(tmp.name)
        raise
    _fsync_dir(parent)


def _encoded(data: str | bytes | Iterable[str], encoding: str) -> Iterator[bytes]:
    if isinstance(data, str):
        yield data.encode(encoding)
    elif isinstance(data, (bytes, bytearray, memoryview)):
        yield bytes(data)
    else:
        first = True
        for piece in data:
            # the BOM of utf-8-sig belongs at the start of the file only
            yield piece.encode(encoding if first else encoding.replace("-sig", ""))
            first = False


def _mode_for(path: Path) -> int:
    """Keep an existing report's permissions; new reports get rw-r--r--."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return _NEW_FILE_MODE


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the OS allows it (POSIX); best effort elsewhere."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def safe_filename(name: str, fallback: str) -> str:
    """A file name (no folder part) derived from untrusted text such as a plan title.

    Drops control and invisible format characters (bidi overrides can disguise an
    extension), turns path separators and `<>:"/\\|?*` into `_`, removes `..` runs and
    leading dots (no hidden files, no parent references), trims to 80 characters and
    240 UTF-8 bytes, and avoids Windows device names. Falls back to `fallback` (cleaned
    the same way, then to "report") when nothing usable is left.
    """
    return _clean(name) or _clean(fallback) or "report"


def _clean(name: str) -> str:
    kept = []
    for ch in name:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        kept.append("_" if ch in _RESERVED else ch)
    text = "".join(kept)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"_{2,}", "_", text)
    text = text.strip(" ._")
    text = text[:_MAX_CHARS]
    while len(text.encode("utf-8")) > _MAX_BYTES:
        text = text[:-1]
    text = text.rstrip(" ._")  # Windows drops trailing dots and spaces
    if text.split(".")[0].upper() in _WINDOWS_DEVICES:
        text = "_" + text
    return text


def default_report_path(folder: Path, province_name: str, fmt: str) -> Path:
    """`folder/<province>.<ext>`, e.g. reports/青海.md; never resolves outside `folder`.

    Raises ValueError for an unknown format or a path that would escape the folder
    (e.g. through a symlink already sitting in it). A real check, not `assert`,
    because asserts vanish under `python -O`.
    """
    ext = _EXTENSIONS.get(fmt.lower())
    if ext is None:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(sorted(_EXTENSIONS))}")
    folder = Path(folder)
    path = folder / f"{safe_filename(province_name, 'report')}.{ext}"
    base = folder.resolve()
    if not path.resolve().is_relative_to(base) or path.resolve() == base:
        raise ValueError(f"report path {path} would be outside {folder}")
    return path
