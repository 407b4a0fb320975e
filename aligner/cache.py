"""The user cache: where start-up work that only depends on unchanged inputs is kept between runs.

Two things live there: the dictionary index of `tokens.py`, and the national plan prepared for
matching (read, parsed, tokenized), which every run against the same national plan would
otherwise redo (~0.09 s of a 0.35 s run). A cached national plan is used only when the plan's
bytes, the thesaurus, the aligner's own code and data, and the Python version are all the same
as when it was written; anything unexpected means "no cache", never an error or a stale answer.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

_NATIONAL_PREFIX = "national-"
_NATIONAL_KEPT = 8  # a few national plans in use at once; older ones are pruned


def cache_dir() -> Path | None:
    """$ALIGNER_CACHE_DIR, else $XDG_CACHE_HOME/aligner, else ~/.cache/aligner; None when switched
    off (ALIGNER_CACHE_DIR set empty)."""
    override = os.environ.get("ALIGNER_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "aligner"
    return Path.home() / ".cache" / "aligner"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the aligner's code and data files: a changed parser or thesaurus invalidates."""
    digest = hashlib.sha256(sys.version.encode())
    package = resources.files("aligner")
    for folder in (package, package.joinpath("data")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".txt")):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()


def national_key(document: bytes, *parts: str) -> str:
    digest = hashlib.sha256(document)
    for part in (code_fingerprint(), *parts):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


def load(key: str) -> Any | None:
    """The object cached under key, or None (missing, unreadable, or from another version)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{_NATIONAL_PREFIX}{key}.pickle", "rb") as handle:
            stored_key, value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a damaged cache file is a cache miss
        return None
    return value if stored_key == key else None


def store(key: str, value: Any) -> None:
    """Keep value under key; silently does nothing where the cache cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".national-", suffix=".tmp", delete=False) as handle:
            pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / f"{_NATIONAL_PREFIX}{key}.pickle")
        _prune(folder)
    except Exception:  # noqa: BLE001 - caching is an optimisation only
        try:
            os.unlink(handle.name)  # type: ignore[possibly-undefined]
        except Exception:  # noqa: BLE001
            pass


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob(f"{_NATIONAL_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[_NATIONAL_KEPT:]:
        stale.unlink(missing_ok=True)
