"""The heading vocabularies of Chinese plans (aligner/data/headings.toml), loaded once.

The data file says, list by list, which words name which part of a plan; this module only reads it
and answers "is this heading one of them". The parser decides what the part means for its clauses.
"""

from __future__ import annotations

import re
from functools import cache

from aligner.package_data import read_data

_LISTS = ("context", "safeguards", "carrying_out", "tasks", "measures", "direction")


_QUESTION_PARTS = ("measures", "tasks", "safeguards", "context")


@cache
def _toml() -> dict[str, list[str]]:
    import tomllib  # only parsing reads the vocabularies; a run from cached plans does not (start-up)

    return tomllib.loads(read_data("headings.toml"))


@cache
def _data() -> tuple[dict[str, frozenset[str]], re.Pattern[str]]:
    data = _toml()
    return {name: frozenset(data[name]) for name in _LISTS}, re.compile("|".join(data["action_title"]))


@cache
def _questions() -> tuple[re.Pattern[str], tuple[tuple[str, tuple[str, ...]], ...]]:
    data = _toml()
    parts = tuple((part, tuple(data[f"question_{part}"])) for part in _QUESTION_PARTS)
    return re.compile("|".join(data["question"])), parts


def names(part: str, heading: str) -> bool:
    """True when the heading (spaces and punctuation removed) is one of the words for `part`."""
    return heading in _data()[0][part]


def names_action(heading: str) -> bool:
    """True when the heading names an action (……行动, 实施……行动, 专项行动)."""
    return _data()[1].search(heading) is not None


def question_part(heading: str) -> str | None:
    """For a heading that asks about the plan (政策解读: 部署了哪些重点任务), the part its subject
    names: "measures", "tasks", "safeguards" or "context" (背景, 目标, 特点 …). None: not a question,
    or one whose subject names no part (如何推进工业领域碳达峰？: the structure decides)."""
    pattern, parts = _questions()
    if pattern.search(heading) is None:
        return None
    return next((part for part, words in parts if any(word in heading for word in words)), None)
