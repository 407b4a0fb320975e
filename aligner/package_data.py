"""The package's own data files (aligner/data/), read as text.

Installed as files (the normal case, editable or not), they are read straight from disk: importing
importlib.resources pulls in zipfile, tempfile and random, about 10 ms of every run's start-up
(bench/README.md). Only a zipped install goes through importlib.resources.
"""

from __future__ import annotations

from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


def read_data(name: str) -> str:
    """The UTF-8 text of aligner/data/`name`."""
    path = _DATA / name
    if path.is_file():
        return path.read_text(encoding="utf-8")
    from importlib import resources  # a zipped install: no files on disk

    return resources.files("aligner").joinpath("data", name).read_text(encoding="utf-8")
