"""The user cache: where start-up work that only depends on unchanged inputs is kept between runs.

Three things live there: the dictionary index of `tokens.py`; the national plan prepared for
matching (read, parsed, tokenized), which every run against the same national plan would
otherwise redo; and the last few provincial plans of single runs, read and parsed (a user
re-running one pair after changing an option). Compiled regular-expression programs are not kept:
they are code for `re`'s engine, and nothing the engine runs comes from a user-writable place.
A cached plan is used only when the document's
bytes and path, the aligner's own code and data, the Python and OpenCC versions (and for the
national plan the thesaurus, jieba's version and dictionary) are all the same as when it was written.

Nothing read from the cache can execute code: files hold JSON and bytes only (no pickle), each is
checked against a digest, and before anything is read the folder must be a real directory (not a
symlink) owned by the current user and writable by nobody else, and each file a regular file owned
by us. Files are opened relative to the checked folder's descriptor, so the folder cannot be
swapped between the check and the read. Anything unexpected is a cache miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from aligner import __version__

_log = logging.getLogger(__name__)

_NATIONAL_PREFIX = "national-"
_JSON_SUFFIX = ".json"
# How many of each kind are kept; older ones are pruned. A few national plans are in use at once;
# provincial plans are kept for single runs only (a batch would churn through thousands).
_KEPT = {"national": 8, "province": 16}
_NATIONAL_MAX_BYTES = 64 << 20  # far above any real plan: a bigger file is not ours
_LEGACY_SUFFIX = ".pickle"  # written by earlier versions; never read, removed when we write
_MAGIC = b"aligner-cache\n"


def cache_dir() -> Path | None:
    """$ALIGNER_CACHE_DIR, else $XDG_CACHE_HOME/aligner, else ~/.cache/aligner; None when switched
    off (ALIGNER_CACHE_DIR set empty) or when the home folder does not exist (it is not created)."""
    override = os.environ.get("ALIGNER_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "aligner"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return None
    if not home.is_absolute() or not home.is_dir():
        return None
    return home / ".cache" / "aligner"


# ---------------------------------------------------------------------------------------------
# A checked folder and the files in it.

_SUPPORTED = (
    hasattr(os, "geteuid")
    and hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and os.open in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
)


def _private(st: os.stat_result) -> bool:
    """Owned by the current user and writable by nobody else."""
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _make_folders(folder: Path) -> None:
    """Create the folder and whichever of its parents are missing, each 0700."""
    missing: list[Path] = []
    at = folder
    while not os.path.lexists(at):
        missing.append(at)
        if at.parent == at:
            break
        at = at.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass


@contextmanager
def opened_folder(folder: Path, create: bool = False) -> Iterator[int | None]:
    """A descriptor of `folder` once it passed the checks (None if it did not, or does not exist)."""
    fd = None
    try:
        if not _SUPPORTED:
            raise OSError("no safe cache on this platform")
        if create:
            _make_folders(folder)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        st = os.fstat(fd)
        if not stat.S_ISDIR(st.st_mode) or not _private(st):
            raise OSError(f"cache folder {folder} is not private to this user")
    except (OSError, ValueError) as error:
        _log.debug("no cache (%s)", error)
        if fd is not None:
            os.close(fd)
        fd = None
    try:
        yield fd
    finally:
        if fd is not None:
            os.close(fd)


def _open_regular(folder_fd: int, name: str) -> int:
    """A read-only descriptor of a regular file of ours in the folder; OSError otherwise."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)  # NONBLOCK: a FIFO must not hang
    fd = os.open(name, flags, dir_fd=folder_fd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _private(st):
            raise OSError(f"cache file {name} is not a private regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_file(path: Path) -> BinaryIO | None:
    """A checked cache file opened for reading (binary), or None."""
    with opened_folder(path.parent) as folder:
        if folder is None:
            return None
        try:
            return os.fdopen(_open_regular(folder, path.name), "rb")
        except OSError:
            return None


def read_file(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of a checked cache file no bigger than max_bytes, or None."""
    handle = open_file(path)
    if handle is None:
        return None
    with handle:
        try:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                return None
            return handle.read(max_bytes + 1)
        except OSError:
            return None


def write_file(path: Path, produce: Callable[[], Iterable[bytes]]) -> None:
    """Write the chunks `produce()` returns to `path` atomically (a private temporary file, renamed).

    The temporary file is created before `produce` is called, so an unusable cache fails before
    slow work is done. Raises OSError when the cache cannot be written."""
    with opened_folder(path.parent, create=True) as folder:
        if folder is None:
            raise OSError(f"cache folder {path.parent} cannot be used")
        tmp = f".{path.name}.{os.urandom(6).hex()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(tmp, flags, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in produce():
                    handle.write(chunk)
            os.replace(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=folder)
            except OSError:
                pass
            raise


def remove(path: Path) -> None:
    """Delete a cache file (the entry, never what a symlink points to); quiet when impossible."""
    with opened_folder(path.parent) as folder:
        if folder is not None:
            try:
                os.unlink(path.name, dir_fd=folder)
            except OSError:
                pass


def prune(folder_path: Path, matches: Callable[[str], bool], kept: int, keep: str = "") -> None:
    """Remove all but the newest `kept` files whose names match (never `keep`)."""
    with opened_folder(folder_path) as folder:
        if folder is None:
            return
        try:
            found = []
            for name in os.listdir(folder):
                if matches(name) and name != keep:
                    st = os.stat(name, dir_fd=folder, follow_symlinks=False)
                    found.append((st.st_mtime_ns, name))
        except OSError:
            return
        for _, name in sorted(found, reverse=True)[max(kept - bool(keep), 0) :]:
            try:
                os.unlink(name, dir_fd=folder)
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# Keys.


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the aligner's version, code and data files and of the Python version: a changed
    parser or thesaurus invalidates."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    root = Path(__file__).parent
    if root.joinpath("data").is_dir():  # installed as files: os.scandir, a third of the time of resources
        for folder in (root, root / "data"):
            with os.scandir(folder) as found:
                entries = sorted((e for e in found if e.is_file() and e.name.endswith(_FINGERPRINTED)), key=lambda e: e.name)
            for entry in entries:
                digest.update(entry.name.encode())
                with open(entry.path, "rb") as handle:
                    digest.update(handle.read())
        return digest.hexdigest()
    from importlib import resources  # in a zip: the same digest, through importlib

    package = resources.files("aligner")
    for place in (package, package.joinpath("data")):
        for item in sorted(place.iterdir(), key=lambda e: e.name):
            if item.is_file() and item.name.endswith(_FINGERPRINTED):
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    return digest.hexdigest()


_FINGERPRINTED = (".py", ".txt", ".toml")


def opencc_version() -> str:
    """OpenCC converts traditional script before matching: another version may convert otherwise."""
    try:
        import opencc
    except ImportError:
        return "opencc missing"
    return f"opencc {getattr(opencc, '__version__', 'unknown')}"


def national_key(document: bytes, *parts: str) -> str:
    """The key of a prepared national plan: its bytes, `parts` (path, thesaurus, dictionary) and
    everything else the preparation depends on."""
    digest = hashlib.sha256(document)
    for part in (code_fingerprint(), opencc_version(), *parts):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


# ---------------------------------------------------------------------------------------------
# A cached plan (national or provincial): a JSON document with a schema version, its key and a digest of its body.


def _entry_path(folder: Path, key: str, kind: str = "national") -> Path:
    return folder / f"{kind}-{key}{_JSON_SUFFIX}"


def _of_kind(kind: str) -> Callable[[str], bool]:
    return lambda name: name.startswith(f"{kind}-") and name.endswith(_JSON_SUFFIX)


def _is_legacy(name: str) -> bool:
    return name.startswith(_NATIONAL_PREFIX) and name.endswith(_LEGACY_SUFFIX)


def load(key: str, schema: int, kind: str = "national") -> object | None:
    """The JSON value stored under key with this schema version, or None (missing, unreadable,
    damaged, from another version, or not in a private folder). `kind`: "national" or "province"."""
    folder = cache_dir()
    if folder is None or kind not in _KEPT:
        return None
    data = read_file(_entry_path(folder, key, kind), _NATIONAL_MAX_BYTES)
    if data is None:
        return None
    try:
        return _unwrap(data, key, schema)
    except Exception as error:  # noqa: BLE001 - whatever is in the file, it is only a miss
        _log.debug("cached %s entry not used (%s: %s)", kind, type(error).__name__, error)
        return None


def _unwrap(data: bytes, key: str, schema: int) -> object | None:
    if not data.startswith(_MAGIC):
        return None
    head_end = data.index(b"\n", len(_MAGIC))
    head = json.loads(data[len(_MAGIC) : head_end])
    body = data[head_end + 1 :]
    if not isinstance(head, dict) or head.get("schema") != schema or head.get("key") != key:
        return None
    if head.get("sha256") != hashlib.sha256(body).hexdigest():
        return None
    return json.loads(body.decode("utf-8"))  # a str parses twice as fast as bytes (no surrogatepass)


def store(key: str, schema: int, value: object, kind: str = "national") -> None:
    """Keep a JSON-able value under key; silently does nothing where the cache cannot be written.
    Only the newest few of each `kind` are kept."""
    folder = cache_dir()
    if folder is None or kind not in _KEPT:
        return
    try:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = json.dumps({"schema": schema, "key": key, "sha256": hashlib.sha256(body).hexdigest()}).encode()
        write_file(_entry_path(folder, key, kind), lambda: (_MAGIC, head, b"\n", body))
        prune(folder, _of_kind(kind), _KEPT[kind])
        prune(folder, _is_legacy, 0)
    except Exception as error:  # noqa: BLE001 - caching is an optimisation only
        _log.debug("%s entry not cached (%s: %s)", kind, type(error).__name__, error)
