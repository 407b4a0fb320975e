"""Regular expressions compiled on first use.

Compiling is most of what importing the aligner cost (a class with a CJK range such as
`[\u3400-\u9fff]` takes 1-3 ms: `re` fills a 64 K table in Python), and a plain run of one plan
pair uses only about half of the module-level patterns: those for regulations' articles, inline
lists, analysts' decisions and report formats it does not write wait until something needs them,
and those for reading and parsing are not needed when both plans come from the cache.

    _NOTE = lazy(r"(通过|公布|施行)$")   # then used exactly like re.compile(...): _NOTE.search(text)
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast


class _LazyPattern:
    """Stands in for a compiled pattern; the first attribute asked for compiles it, and every
    attribute read is then kept on the instance, so a later `.search` is a plain lookup."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self.__dict__["_source"] = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy/pickle probes: not a pattern's business
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            pattern, flags = self.__dict__["_source"]
            compiled = re.compile(pattern, flags)
            self.__dict__["_compiled"] = compiled
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        pattern, flags = self.__dict__["_source"]
        return f"lazy({pattern!r}, {flags})"


def lazy(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done when the pattern is first used (not usable where the `re`
    functions want a Pattern object, e.g. `re.sub(p, ...)`: call its methods)."""
    return cast("re.Pattern[AnyStr]", _LazyPattern(pattern, flags))
