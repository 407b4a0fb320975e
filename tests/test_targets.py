"""extract_targets on real plan lines and constructed ones; pair_targets across plans."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from aligner.model import Target
from aligner.targets import extract_targets, pair_targets

ROOT = Path(__file__).resolve().parent.parent
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_T2S = opencc.OpenCC("t2s")


def _simplified_lines(relative: str) -> list[tuple[int, str]]:
    """What the normaliser would hand over: pinyin readings removed, simplified script."""
    text = (ROOT / relative).read_text(encoding="utf-8")
    return [(number, _T2S.convert(_PINYIN.sub("", line))) for number, line in enumerate(text.splitlines(), 1)]


def _one(text: str) -> Target:
    targets = extract_targets([(1, text)])
    assert len(targets) == 1, targets
    return targets[0]


def test_national_plan() -> None:
    assert extract_targets(_simplified_lines("plans/national.txt")) == [
        Target(indicator="常住人口城镇化率", value="接近70%", year="5年", line=20)
    ]


def test_qinghai_plan() -> None:
    assert extract_targets(_simplified_lines("plans/qinghai.txt")) == [
        Target(indicator="常住人口城镇化率", value="67%左右", year="2030", line=5)
    ]


@pytest.mark.parametrize(
    ("relative", "value"),
    [("tests/fixtures/partial/gansu.txt", "62%左右"), ("tests/fixtures/partial/hunan.txt", "66%左右")],
)
def test_partial_fixtures(relative: str, value: str) -> None:
    targets = extract_targets(_simplified_lines(relative))
    assert [(t.indicator, t.value, t.year) for t in targets] == [("常住人口城镇化率", value, "5年")]


def test_hebei_has_no_quantitative_target() -> None:
    assert extract_targets(_simplified_lines("tests/fixtures/partial/hebei.txt")) == []


def test_past_plan_year_from_range() -> None:
    targets = extract_targets(_simplified_lines("plans/examples/ndrc_meeting_2021.txt"))
    assert targets[0] == Target(indicator="常住人口城镇化率", value="60%左右", year="2020", line=2)


@pytest.mark.parametrize(
    ("text", "indicator", "value", "year"),
    [
        ("城镇化率提升至66%左右。", "城镇化率", "66%左右", ""),
        ("到2028年,新增城镇就业力争达到5000万人以上。", "新增城镇就业", "5000万人以上", "2028"),
        ("筹集保障性租赁住房提高到30万套。", "筹集保障性租赁住房", "30万套", ""),
        ("到2027年全市城市轨道交通运营里程超过300公里", "城市轨道交通运营里程", "超过300公里", "2027"),
        ("城市建成区平均路网密度提高到8公里/平方公里以上", "城市建成区平均路网密度", "8公里", ""),
        ("培育现代化都市圈达到10个左右", "培育现代化都市圈", "10个左右", ""),
        ("城镇调查失业率控制在5.5%以内", "城镇调查失业率", "5.5%以内", ""),
        ("全国户籍人口城镇化率稳步提高到50%", "户籍人口城镇化率", "50%", ""),
    ],
)
def test_constructed_targets(text: str, indicator: str, value: str, year: str) -> None:
    target = _one(text)
    assert (target.indicator, target.value, target.year) == (indicator, value, year)


def test_filler_kept_when_nothing_would_remain() -> None:
    assert _one("全省人口达到600万人").indicator == "全省人口"


def test_no_target_without_number_or_unit() -> None:
    assert extract_targets([(1, "城镇化质量达到新水平,到2030年基本实现。"), (2, "人口达到2030年水平")]) == []


def test_several_targets_in_one_line_and_dedupe() -> None:
    lines = [
        (3, "到2030年,常住人口城镇化率达到67%左右,户籍人口城镇化率提高到55%。"),
        (9, "常住人口城镇化率达到67%左右。"),
    ]
    assert [(t.indicator, t.value, t.year, t.line) for t in extract_targets(lines)] == [
        ("常住人口城镇化率", "67%左右", "2030", 3),
        ("户籍人口城镇化率", "55%", "2030", 3),
    ]


def test_year_is_nearest_in_same_sentence_only() -> None:
    lines = [(1, "到2025年完成试点。常住人口城镇化率达到65%。到2030年,公共服务覆盖率达到90%,2035年全面实现。")]
    targets = extract_targets(lines)
    assert [(t.indicator, t.year) for t in targets] == [("常住人口城镇化率", ""), ("公共服务覆盖率", "2030")]


def test_pairing() -> None:
    national = [
        Target("常住人口城镇化率", "接近70%", "5年", 20),
        Target("新增城镇就业", "5000万人以上", "", 30),
        Target("城市轨道交通运营里程", "超过300公里", "", 40),
    ]
    province = [
        Target("保障性租赁住房", "30万套", "2028", 4),
        Target("城镇化率", "67%左右", "2030", 5),
        Target("新增城镇就业人数", "50万人", "", 6),
    ]
    assert pair_targets(national, province) == [
        (national[0], province[1]),
        (national[1], province[2]),
        (national[2], None),
        (None, province[0]),
    ]


def test_pairing_prefers_the_best_match() -> None:
    national = [Target("城镇化率", "70%", "", 1), Target("户籍人口城镇化率", "50%", "", 2)]
    province = [Target("户籍人口城镇化率", "45%", "", 1), Target("常住人口城镇化率", "67%", "", 2)]
    pairs = pair_targets(national, province)
    assert pairs[1] == (national[1], province[0])
    assert pairs[0] == (national[0], province[1])


def test_pairing_empty() -> None:
    assert pair_targets([], []) == []
    only = Target("城镇化率", "67%", "", 1)
    assert pair_targets([], [only]) == [(None, only)]
    assert pair_targets([only], []) == [(only, None)]
