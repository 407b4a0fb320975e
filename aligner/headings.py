"""The heading vocabularies of Chinese plans (aligner/data/headings.toml), loaded once.

The data file says, list by list, which words name which part of a plan; this module only reads it
and answers "is this heading one of them". The parser decides what the part means for its clauses.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_LISTS = ("context", "safeguards", "carrying_out", "tasks", "measures", "direction")


@cache
def _data() -> tuple[dict[str, frozenset[str]], re.Pattern[str]]:
    import tomllib  # only parsing reads the vocabularies; a run from cached plans does not (start-up)

    data = tomllib.loads(resources.files("aligner").joinpath("data/headings.toml").read_text(encoding="utf-8"))
    return {name: frozenset(data[name]) for name in _LISTS}, re.compile("|".join(data["action_title"]))


def names(part: str, heading: str) -> bool:
    """True when the heading (spaces and punctuation removed) is one of the words for `part`."""
    return heading in _data()[0][part]


def names_action(heading: str) -> bool:
    """True when the heading names an action (……行动, 实施……行动, 专项行动)."""
    return _data()[1].search(heading) is not None
