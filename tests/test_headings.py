"""The heading vocabularies (aligner/data/headings.toml) and what the parser does with them."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from aligner import headings
from aligner.model import Kind
from aligner.normalise import normalise
from aligner.parse import is_organisation_heading, parse

_DATA = tomllib.loads(resources.files("aligner").joinpath("data/headings.toml").read_text(encoding="utf-8"))


def test_every_list_is_there_without_duplicates() -> None:
    for name in (*headings._LISTS, "action_title"):
        words = _DATA[name]
        assert words and len(words) == len(set(words)), name


def test_words_are_headings_as_compared() -> None:
    """Headings are compared with spaces and punctuation removed: an entry holding either never matches."""
    for name in headings._LISTS:
        for word in _DATA[name]:
            assert re.fullmatch(r"[\u4e00-\u9fff]{2,8}", word), (name, word)


@pytest.mark.parametrize(("part", "heading", "expected"), [
    ("tasks", "重点任务", True), ("tasks", "重点任务安排", False), ("safeguards", "保障措施", True),
    ("context", "指导思想", True), ("direction", "发展方向", True), ("measures", "重点任务", False),
])
def test_names(part: str, heading: str, expected: bool) -> None:
    assert headings.names(part, heading) is expected


@pytest.mark.parametrize(("heading", "expected"), [
    ("实施乡村振兴行动", True), ("绿色低碳专项行动", True), ("行动(2024-2027年)", True), ("推进行动计划编制", False),
])
def test_names_action(heading: str, expected: bool) -> None:
    assert headings.names_action(heading) is expected


def test_organisation_headings() -> None:
    assert is_organisation_heading("组织实施") and is_organisation_heading("保障措施：")
    assert not is_organisation_heading("重点任务")


def test_the_vocabularies_steer_the_tree() -> None:
    plan = parse(normalise("x.txt", "一、总体要求\n（一）指导思想\n二、重点任务\n（一）实施甲行动\n1.推进甲\n"
                                    "三、保障措施\n（一）强化资金保障\n（二）强化用地保障\n"))
    kinds = {c.title: c.kind for c in plan.clauses}
    assert kinds["总体要求"] is Kind.OTHER
    assert kinds["重点任务"] is Kind.SECTION
    assert kinds["实施甲行动"] is Kind.ACTION
    assert kinds["推进甲"] is Kind.TASK
    assert kinds["保障措施"] is Kind.SECTION
    assert kinds["强化资金保障"] is Kind.MEASURE
