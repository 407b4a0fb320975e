"""Compiled regular-expression programs kept in the user cache, so a run does not compile again.

`re` compiles a pattern in Python (parse, optimise, emit a list of integers: the program) and hands
the program to the C engine (`_sre.compile`). The Python half is what costs: a class with a CJK
range such as `[\u4e00-\u9fff]` takes 1-3 ms, because `re` marks every code point of the range in
a 64 K table. The program of a given pattern is always the same for one interpreter, so it is kept
(as JSON: integers, group names) under a key naming the interpreter and its `re` version, and
given to the C engine directly the next time. The engine checks every program it is given
(`_sre` validates the code and raises on anything malformed), and the entry is only a miss then.

Used by `aligner.lazy_re.lazy` for str patterns; anything unexpected (another Python
implementation, a changed internal API) falls back to `re.compile`.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import importlib
import re
import sys
from typing import Any

_SCHEMA = 1
_MAX_ENTRIES = 1024  # far above the aligner's ~250 patterns: old versions' patterns age out
_MAX_CODE = 20_000  # integers in one program; a bigger one (a huge user thesaurus) is not kept
_store: dict[str, list[Any]] | None = None  # key → [flags, code, groups, groupindex, indexgroup]
_added: dict[str, list[Any]] = {}


@functools.cache
def _internals() -> tuple[Any, Any, Any, int] | None:
    """`_sre`, `re._compiler`, `re._parser` and re's MAGIC (CPython 3.11+), or None elsewhere."""
    if sys.implementation.name != "cpython":
        return None
    try:
        modules = [importlib.import_module(name) for name in ("_sre", "re._compiler", "re._parser", "re._constants")]
        return modules[0], modules[1], modules[2], int(modules[3].MAGIC)
    except (ImportError, AttributeError, TypeError, ValueError):
        return None


def _interpreter_key() -> str | None:
    """The cache key of this interpreter's programs, or None where programs cannot be reused."""
    internals = _internals()
    if internals is None:
        return None
    return hashlib.sha256(f"{sys.version}\0{internals[3]}\0{_SCHEMA}".encode()).hexdigest()[:32]


def _load() -> dict[str, list[Any]]:
    global _store
    if _store is None:
        _store = {}
        key = _interpreter_key()
        if key is not None:
            from aligner import cache

            value = cache.load(key, _SCHEMA, kind="regex")
            if isinstance(value, dict):
                _store = value
    return _store


def _entry_key(pattern: str, flags: int) -> str:
    return f"{flags}\0{pattern}"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the stored program when there is one."""
    flags = int(flags)  # re.U and friends: stored as plain numbers
    internals = _internals()
    if internals is None:
        return re.compile(pattern, flags)
    sre, compiler, parser, _ = internals
    key = _entry_key(pattern, flags)
    stored = _load().get(key)
    if stored is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = stored
            return sre.compile(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))
        except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss, never an error
            pass
    try:
        parsed = parser.parse(pattern, flags)
        code = compiler._code(parsed, flags)
        names: dict[str, int] = dict(parsed.state.groupdict)
        by_index: list[str | None] = [None] * parsed.state.groups
        for name, index in names.items():
            by_index[index] = name
        entry = [flags | parsed.state.flags, list(code), parsed.state.groups - 1, names, by_index]
        compiled = sre.compile(pattern, entry[0], code, entry[2], names, tuple(by_index))
    except Exception:  # noqa: BLE001 - re's internals changed: plain compile (errors are re's own)
        return re.compile(pattern, flags)
    if len(code) <= _MAX_CODE and len(pattern) <= _MAX_CODE and _storable(pattern):
        if not _added:
            atexit.register(_save)
        _added[key] = entry
    return compiled


def _storable(pattern: str) -> bool:
    """The store is UTF-8 JSON: a pattern holding a lone surrogate (`[\\ud800-\\udfff]`) is compiled each run."""
    try:
        pattern.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _save() -> None:
    """Add this process's new programs to the stored ones (the newest kept); quiet on failure."""
    key = _interpreter_key()
    if key is None or not _added:
        return
    from aligner import cache

    merged = {k: v for k, v in _load().items() if k not in _added}
    merged.update(_added)
    if len(merged) > _MAX_ENTRIES:
        merged = dict(list(merged.items())[-_MAX_ENTRIES:])
    cache.store(key, _SCHEMA, merged, kind="regex")
    _added.clear()
