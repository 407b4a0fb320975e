"""Parsing on small constructed plans: one test per numbering style, nesting rule, kind and check.

Each plan is written inline so a failure shows the whole input. The expectations are the tree a
reader would draw: ids as number paths, kinds from headings and place, titles as written.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aligner.model import Kind, Plan
from aligner.normalise import normalise
from aligner.parse import cn_to_int, parse


def plan_of(text: str, path: str = "x.txt") -> Plan:
    return parse(normalise(path, text))


def tree(plan: Plan) -> list[tuple[str, str, str | None, str]]:
    """(id, kind, parent, title) rows: the whole tree in one comparable value."""
    return [(c.id, c.kind.value, c.parent, c.title) for c in plan.clauses]


def titles(plan: Plan, kind: Kind) -> list[str]:
    return [c.title for c in plan.of_kind(kind)]


def cut_off(plan: Plan) -> bool:
    """aligner.checks reports a text cut short (the parser itself only builds the tree)."""
    from aligner.checks import TRUNCATED, check_plan

    return any(n.code == TRUNCATED for n in check_plan(plan, plan.clean))


def count_warnings(plan: Plan) -> list[str]:
    from aligner.checks import check_plan

    return [n.message for n in check_plan(plan) if "declares" in n.message]


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零三", 103), ("7", 7), ("①", 1), ("⑳", 20)],
)
def test_cn_to_int(label: str, value: int) -> None:
    assert cn_to_int(label) == value


# --- numbering styles -----------------------------------------------------------------------------

# One task level under a 重点任务 / 行动 frame, written in each style the documents use.
_TASK_STYLES = {
    "1.": "1.做甲事。甲的内容。\n2.做乙事。乙的内容。",
    "1﹒": "1﹒做甲事。甲的内容。\n2﹒做乙事。乙的内容。",
    "1、": "1、做甲事。甲的内容。\n2、做乙事。乙的内容。",
    "1．": "1．做甲事。甲的内容。\n2．做乙事。乙的内容。",
    "（1）": "（1）做甲事。甲的内容。\n（2）做乙事。乙的内容。",
    "①": "①做甲事。甲的内容。\n②做乙事。乙的内容。",
    "①inline": "①做甲事。甲的内容。②做乙事。乙的内容。",
    "1)": "1)做甲事。甲的内容。\n2)做乙事。乙的内容。",
}


@pytest.mark.parametrize("style", sorted(_TASK_STYLES))
def test_task_numbering_styles(style: str) -> None:
    plan = plan_of(f"一、重点任务\n（一）实施甲行动\n{_TASK_STYLES[style]}")
    assert tree(plan) == [
        ("1", "section", None, "重点任务"),
        ("1.1", "action", "1", "实施甲行动"),
        ("1.1.1", "task", "1.1", "做甲事"),
        ("1.1.2", "task", "1.1", "做乙事"),
    ]


def test_cn_comma_and_cn_paren_levels() -> None:
    plan = plan_of("一、实施甲行动\n（一）推进甲。内容甲。\n（二）推进乙。内容乙。\n二、实施乙行动\n（一）推进丙。")
    assert tree(plan) == [
        ("1", "action", None, "实施甲行动"),
        ("1.1", "task", "1", "推进甲"),
        ("1.2", "task", "1", "推进乙"),
        ("2", "action", None, "实施乙行动"),
        ("2.1", "task", "2", "推进丙"),
    ]
    assert plan.by_id()["1.1"].text == "内容甲。"
    assert plan.by_id()["1.1"].number == "(一)"


def test_yi_shi_items_inline_after_colon() -> None:
    plan = plan_of("一、实施甲行动\n要做好三件事：一是推进改革，深化改革内容；二是扩大开放，开放内容；三是加强保障。")
    assert tree(plan) == [
        ("1", "action", None, "实施甲行动"),
        ("1.1", "task", "1", "推进改革"),
        ("1.2", "task", "1", "扩大开放"),
        ("1.3", "task", "1", "加强保障"),
    ]
    assert [c.number for c in plan.clauses[1:]] == ["一是", "二是", "三是"]
    assert plan.by_id()["1.1"].text == "深化改革内容;"


def test_markdown_bullets() -> None:
    plan = plan_of("一、重点任务\n- 做甲。甲的内容\n- 做乙。乙的内容")
    assert tree(plan) == [
        ("1", "section", None, "重点任务"),
        ("1.1", "task", "1", "做甲"),
        ("1.2", "task", "1", "做乙"),
    ]


def test_bullet_only_document_keeps_its_title() -> None:
    plan = plan_of("# 推进甲工作实施方案\n- 做甲。甲的内容\n- 做乙。乙的内容")
    assert plan.title == "推进甲工作实施方案"
    assert titles(plan, Kind.TASK) == ["做甲", "做乙"]


def test_chapters_over_cn_comma() -> None:
    plan = plan_of(
        "第一章 总体要求\n坚持稳中求进。\n第二章 重点任务\n一、实施甲行动\n（一）做甲。\n（二）做乙。\n"
        "第三章 保障措施\n一、加强领导。内容。"
    )
    assert tree(plan) == [
        ("1", "other", None, "总体要求"),
        ("2", "section", None, "重点任务"),
        ("2.1", "action", "2", "实施甲行动"),
        ("2.1.1", "task", "2.1", "做甲"),
        ("2.1.2", "task", "2.1", "做乙"),
        # A top-level 保障措施 with numbered items lists measures (资金、用地、组织领导 …), which are
        # matched against the national measures and 组织实施 items.
        ("3", "section", None, "保障措施"),
        ("3.1", "measure", "3", "加强领导"),
    ]


def test_numbering_runs_on_across_sections() -> None:
    plan = plan_of(
        "三、实施甲行动\n（六）做甲六。内容。\n（七）做甲七。内容。\n四、实施乙行动\n（八）做乙一。内容。\n（九）做乙二。"
    )
    assert tree(plan) == [
        ("3", "action", None, "实施甲行动"),
        ("3.6", "task", "3", "做甲六"),
        ("3.7", "task", "3", "做甲七"),
        ("4", "action", None, "实施乙行动"),
        ("4.8", "task", "4", "做乙一"),
        ("4.9", "task", "4", "做乙二"),
    ]


def test_several_numbered_items_on_one_line() -> None:
    plan = plan_of("（一）推进A。1.做甲。2.做乙。")
    assert [(c.id, c.parent, c.title) for c in plan.clauses] == [
        ("1", None, "推进A"),
        ("1.1", "1", "做甲"),
        ("1.2", "1", "做乙"),
    ]


@pytest.mark.parametrize(
    "sentence",
    ["按照1.5倍标准执行。", "做好工作。其中3.推进改革。", "做好工作。3.推进改革。", "开展二是否评估。"],
)
def test_lone_number_inside_a_sentence_is_not_a_clause(sentence: str) -> None:
    plan = plan_of(f"一、总体要求\n{sentence}")
    assert [c.id for c in plan.clauses] == ["1"]
    assert sentence.rstrip("。") in plan.clauses[0].text


def test_number_alone_on_its_line_takes_the_next_line_as_heading() -> None:
    """PDF copies break the number from its heading: （一） then 推进甲 on the next line."""
    plan = plan_of("一、\n总体要求\n坚持稳中求进，推动发展。\n二、\n实施甲行动\n（一）\n推进甲\n内容。\n（二）\n推进乙。内容。")
    assert tree(plan) == [
        ("1", "other", None, "总体要求"),
        ("2", "action", None, "实施甲行动"),
        ("2.1", "task", "2", "推进甲"),
        ("2.2", "task", "2", "推进乙"),
    ]
    assert plan.by_id()["1"].text == "坚持稳中求进,推动发展。"
    assert plan.by_id()["2.1"].text == "内容。"


# --- inline enumerations -------------------------------------------------------------------------


def test_enumeration_of_tasks() -> None:
    plan = plan_of("一、实施甲行动\n包括推进甲、推进乙、推进丙、推进丁、推进戊5项重点任务。")
    assert tree(plan) == [("1", "action", None, "实施甲行动")] + [
        (f"1.{i}", "task", "1", f"推进{x}") for i, x in enumerate("甲乙丙丁戊", start=1)
    ]
    assert [c.line for c in plan.clauses] == [1, 2, 2, 2, 2, 2]  # each item on the line it is written
    assert count_warnings(plan) == []


def test_enumeration_of_tasks_then_measures() -> None:
    plan = plan_of(
        "一是实施甲行动，提出推进甲、推进乙、推进丙、推进丁、推进戊、推进己6项任务，以及完善政策甲、健全政策乙。"
    )
    assert titles(plan, Kind.ACTION) == ["实施甲行动"]
    assert titles(plan, Kind.TASK) == ["推进甲", "推进乙", "推进丙", "推进丁", "推进戊", "推进己"]
    assert titles(plan, Kind.MEASURE) == ["完善政策甲", "健全政策乙"]
    assert {c.parent for c in plan.clauses[1:]} == {"1"}


def test_generic_policy_phrase_is_not_a_measure() -> None:
    plan = plan_of("一是实施甲行动，提出推进甲、推进乙、推进丙、推进丁4项任务和支持都市圈建设的政策措施。")
    assert titles(plan, Kind.TASK) == ["推进甲", "推进乙", "推进丙", "推进丁"]
    assert titles(plan, Kind.MEASURE) == []


def test_measures_listed_with_deng_after_yiji() -> None:
    plan = plan_of("一是实施甲行动，提出推进甲、推进乙2项任务，以及完善政策甲、健全政策乙、加强保障丙等政策措施。")
    assert titles(plan, Kind.TASK) == ["推进甲", "推进乙"]
    assert titles(plan, Kind.MEASURE) == ["完善政策甲", "健全政策乙", "加强保障丙"]


def test_quoted_item_keeps_its_quotes() -> None:
    plan = plan_of("一、实施甲行动\n包括推进甲、统筹推进“三大工程”、推进丙3项重点任务。")
    assert titles(plan, Kind.TASK) == ["推进甲", "统筹推进“三大工程”", "推进丙"]


def test_enumeration_count_mismatch_is_warned() -> None:
    plan = plan_of("一、实施甲行动\n包括推进甲、推进乙、推进丙4项重点任务。")
    assert len(titles(plan, Kind.TASK)) == 3
    assert any("declares 4 tasks, 3 were found" in w for w in plan.warnings)


# --- kinds ----------------------------------------------------------------------------------------

_FULL_PLAN = """推进甲工作五年行动计划
为推进甲工作，制定本行动计划。
一、总体要求
坚持稳中求进。
二、实施甲行动
（一）发展方向
方向文字。
（二）重点任务
1.做甲事。甲的内容。
2.做乙事。乙的内容。
（三）政策措施
1.完善政策。政策内容。
2.健全机制。机制内容。
三、实施乙行动
（一）重点任务
1.做丙事。丙的内容。
（二）政策措施
加大资金支持力度。资金内容。
完善用地政策。用地内容。
六、组织实施
（一）加强领导。领导内容。
（二）强化监测。监测内容。
"""


def test_kinds_from_headings_and_place() -> None:
    plan = plan_of(_FULL_PLAN)
    assert tree(plan) == [
        ("1", "other", None, "总体要求"),
        ("2", "action", None, "实施甲行动"),
        ("2.1", "section", "2", "发展方向"),
        ("2.2", "section", "2", "重点任务"),
        ("2.2.1", "task", "2.2", "做甲事"),
        ("2.2.2", "task", "2.2", "做乙事"),
        ("2.3", "section", "2", "政策措施"),
        ("2.3.1", "measure", "2.3", "完善政策"),
        ("2.3.2", "measure", "2.3", "健全机制"),
        ("3", "action", None, "实施乙行动"),
        ("3.1", "section", "3", "重点任务"),
        ("3.1.1", "task", "3.1", "做丙事"),
        ("3.2", "section", "3", "政策措施"),
        ("3.2.1", "measure", "3.2", "加大资金支持力度"),
        ("3.2.2", "measure", "3.2", "完善用地政策"),
        ("6", "other", None, "组织实施"),
        ("6.1", "other", "6", "加强领导"),
        ("6.2", "other", "6", "强化监测"),
    ]
    assert plan.by_id()["3.2.1"].number == ""  # an unnumbered paragraph
    assert plan.by_id()["3.2.1"].text == "资金内容。"
    assert plan.action_of(plan.by_id()["2.2.2"]).title == "实施甲行动"  # type: ignore[union-attr]


def test_top_level_key_tasks_with_action_groups() -> None:
    plan = plan_of(
        "一、总体要求\n内容。\n二、重点任务\n（一）实施甲行动\n1.做甲。\n2.做乙。\n（二）推进乙工作\n1.做丙。\n三、保障措施\n内容。"
    )
    assert tree(plan) == [
        ("1", "other", None, "总体要求"),
        ("2", "section", None, "重点任务"),
        ("2.1", "action", "2", "实施甲行动"),
        ("2.1.1", "task", "2.1", "做甲"),
        ("2.1.2", "task", "2.1", "做乙"),
        ("2.2", "action", "2", "推进乙工作"),  # a group of numbered tasks under 重点任务
        ("2.2.1", "task", "2.2", "做丙"),
        ("3", "other", None, "保障措施"),
    ]


# --- units, truncation, declared counts -----------------------------------------------------------


def test_responsible_units_are_listed_and_removed_from_text() -> None:
    plan = plan_of(
        "一、实施甲行动\n（一）深化户籍制度改革。推进落户。"
        "（责任单位：省公安厅，各市州政府、兰州新区管委会。以下任务均需各市州政府落实，不再列出）\n"
        "（二）强化就业服务。拓展岗位。"
    )
    task = plan.by_id()["1.1"]
    assert task.title == "深化户籍制度改革"
    assert task.units == ["省公安厅", "各市州政府", "兰州新区管委会"]
    assert task.text == "推进落户。"
    assert "责任单位" not in task.original_text
    assert plan.by_id()["1.2"].units == []


def test_units_bracket_with_a_sentence_end_does_not_cut_the_title() -> None:
    plan = plan_of("一、实施甲行动\n（一）（责任单位：省公安厅。以下不列）推进甲工作。内容。")
    task = plan.by_id()["1.1"]
    assert (task.title, task.units, task.text) == ("推进甲工作", ["省公安厅"], "内容。")


def test_truncated_text_parses_up_to_the_cut() -> None:
    plan = plan_of(
        "一、实施甲行动\n（一）深化户籍制度改革。推进落户。\n"
        "（二）强化就业服务。拓展数字经济、绿色经济、银发经济等领域就业岗位，推动就业提质扩容和岗位"
    )
    assert titles(plan, Kind.TASK) == ["深化户籍制度改革", "强化就业服务"]
    assert cut_off(plan)


def test_complete_text_has_no_cut_off_warning() -> None:
    assert not cut_off(plan_of(_FULL_PLAN))


def test_declared_counts_mismatch_is_warned() -> None:
    plan = plan_of(
        "甲省推进甲工作实施方案\n本方案包括“3大行动”，10项重点任务。\n"
        "一、实施甲行动\n（一）推进甲。\n（二）推进乙。\n二、实施乙行动\n（三）推进丙。"
    )
    assert plan.declared == {"actions": 3, "tasks": 10}
    warnings = count_warnings(plan)
    assert any("declares 3 actions but 2 were found" in w for w in warnings)
    assert any("declares 10 key tasks but 3 were found" in w for w in warnings)


def test_declared_counts_that_match_are_not_warned() -> None:
    plan = plan_of("本方案包括“2大行动”，3项重点任务。\n一、实施甲行动\n（一）推进甲。\n（二）推进乙。\n二、实施乙行动\n（三）推进丙。")
    assert plan.declared == {"actions": 2, "tasks": 3}
    assert count_warnings(plan) == []


# --- preamble, title, province --------------------------------------------------------------------

_NEWS_THEN_PLAN = (
    "新华社北京电 国务院印发行动计划，提出4项重大行动、19项重点任务。"
    "一是实施甲行动，提出推进甲、推进乙2项任务。二是实施乙行动。\n"
    "甘肃省人民政府关于印发推进乙工作方案的通知\n"
    "甘政发〔2024〕1号\n"
    "推进乙工作方案\n"
    "（一）推进甲。内容。\n"
    "（二）推进乙。内容。\n"
)


def test_news_before_the_title_makes_no_clause() -> None:
    plan = plan_of(_NEWS_THEN_PLAN)
    assert tree(plan) == [("1", "task", None, "推进甲"), ("2", "task", None, "推进乙")]
    assert plan.title == "推进乙工作方案"
    assert plan.declared == {}  # the news counts belong to the national plan, not this one
    assert count_warnings(plan) == []


def test_news_before_a_cn_comma_plan_makes_no_clause() -> None:
    plan = plan_of(
        "新华社电 行动计划提出4项重大行动、19项重点任务，包括推进甲、推进乙2项任务。\n"
        "推进丙工作实施方案\n一、总体要求\n内容。\n二、实施丙行动\n（一）推进丙。"
    )
    assert [c.line for c in plan.clauses] == [3, 5, 6]
    assert titles(plan, Kind.TASK) == ["推进丙"]


def test_title_and_province_from_the_title() -> None:
    plan = plan_of("青海省深入实施甲战略五年行动计划的实施方案\n一、总体要求\n内容。", "plans/qh.txt")
    assert plan.title == "青海省深入实施甲战略五年行动计划的实施方案"
    assert plan.name == "青海"


def test_province_from_issuer_lines() -> None:
    assert plan_of(_NEWS_THEN_PLAN, "plans/a.txt").name == "甘肃"


def test_name_falls_back_to_the_file_stem() -> None:
    plan = plan_of("一、总体要求\n内容。", "plans/some_plan.txt")
    assert (plan.title, plan.name) == ("", "some_plan")


def test_province_from_a_pinyin_file_name() -> None:
    assert plan_of("一、总体要求\n内容。", "fixtures/hebei.txt").name == "河北"
    assert plan_of("一、总体要求\n内容。", "fixtures/gansu_alt_v2.txt").name == "甘肃"
    assert plan_of("一、总体要求\n内容。", "fixtures/shenhebei.txt").name == "shenhebei"  # whole words only


def test_notice_line_is_not_the_title_but_names_it() -> None:
    plan = plan_of("湖南省人民政府关于印发《湖南省推进甲工作方案》的通知\n一、总体要求\n内容。")
    assert plan.title == "湖南省推进甲工作方案"
    assert plan.name == "湖南"


def test_clause_titles_appear_on_their_source_line() -> None:
    clean = normalise("x.txt", _FULL_PLAN)
    lines = {line.number: line.simplified for line in clean.lines}
    for clause in parse(clean).clauses:
        assert clause.title in lines[clause.line], clause


# --- properties -----------------------------------------------------------------------------------

_MARKERS = [
    "一、", "二、", "三、", "十、", "（一）", "（二）", "(三)", "1.", "2.", "3、", "1．", "1﹒", "（1）", "(2)",
    "①", "②", "一是", "二是", "三是", "第一章", "第二章", "- ", "1)", "第一条", "# ",
]  # fmt: skip
_WORDS = [
    "推进", "改革", "行动", "实施甲行动", "重点任务", "政策措施", "组织实施", "总体要求", "包括", "提出",
    "5项重点任务", "2项任务", "以及", "等政策措施", "（责任单位：省公安厅，各市政府。以下不列）", "（责任单位：",
    "省公安厅", "方案", "青海省", "国務院", "戶(hu)", "國(guó)", "5", "19", "“3大行动”", "方面", "等", "的",
]  # fmt: skip
_PUNCT = ["。", "，", "、", "：", "；", "（", "）", "“", "”", "\n", "\n", "\n", "?", " ", "《", "》"]
_PLANLIKE = st.lists(st.sampled_from(_MARKERS + _WORDS + _PUNCT), max_size=60).map("".join)
_UNITS = re.compile(r"\((?:责任单位|牵头单位|责任部门|牵头部门|责任主体)[:：][^()]*(?:\)|$)")


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def _check_invariants(text: str) -> None:
    """What holds for any input, however odd.

    Ids are unique and parents exist. Every title is written on the clause's own line (`Clause.line`
    is where the title is, also when the number stood alone on the line before): with whitespace
    removed it is a substring of that line's simplified text, except that responsible-unit brackets
    inside the heading are cut out of it. Precisely: the title is a substring of
    `_UNITS.sub("", line[i:])` for some start i (the heading is a stretch of the line, and units are
    removed from that stretch). Titles of unnumbered measure paragraphs and inline-list items obey
    the same rule.
    """
    clean = normalise("x.txt", text)
    plan = parse(clean)
    ids = [c.id for c in plan.clauses]
    assert len(ids) == len(set(ids)), ids
    known = set(ids)
    lines = {line.number: line.simplified for line in clean.lines}
    for clause in plan.clauses:
        assert clause.parent is None or clause.parent in known
        assert all(child in known for child in clause.children)
        title = _squeeze(clause.title)
        line = lines[clause.line]
        assert title in _squeeze(line) or any(
            title in _squeeze(_UNITS.sub("", line[start:])) for start in range(len(line))
        ), (clause, line)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_PLANLIKE, st.text(max_size=80)))
@example("一、\n（一）\n（一）")
@example("一、（责任单位：省公安厅，各市政府。以下不列）\n推进")
@example("（责任单位：1.一、）（责任单位：省公安厅，各市政府。以下不列）一、")
@example("一、重点任务\n①做甲。②做乙。")  # ① used to crash cn_to_int ("①".isdigit() is True)
@example(_FULL_PLAN)
@example(_NEWS_THEN_PLAN)
def test_parse_never_raises_and_keeps_invariants(text: str) -> None:
    _check_invariants(text)


# --- numbering of any size, bare markers ------------------------------------------------------------


@pytest.mark.parametrize(("label", "value"), [("一千零一", 1001), ("一千二百三十四", 1234), ("一万二千", 12000), ("1001", 1001)])
def test_cn_to_int_beyond_999(label: str, value: int) -> None:
    assert cn_to_int(label) == value


def _long_plan(marker: str) -> str:
    """A task list that runs past 1000 items, in one numbering style."""
    lines = ["一、重点任务"]
    for n in range(1, 1003):
        lines.append(f"{marker(n)}推进第{n}项工作。落实相关要求。")
    return "\n".join(lines)


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out


@pytest.mark.parametrize("marker", [lambda n: f"{n}.", lambda n: f"({_cn(n)})"], ids=["1001.", "(一千零一)"])
def test_task_numbers_past_999_are_tasks(marker) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(_long_plan(marker))
    tasks = plan.of_kind(Kind.TASK)
    assert len(tasks) == 1002
    by_title = {t.title: t for t in tasks}
    assert by_title["推进第1001项工作"].id == "1.1001"
    assert by_title["推进第1002项工作"].parent == "1"


def test_years_after_a_line_start_are_not_markers() -> None:
    plan = plan_of("一、重点任务\n(一)推进落户。\n2024、2025年连续两年完成任务。\n2030.12前全面完成。")
    assert titles(plan, Kind.TASK) == ["推进落户"]


def test_bare_markers_are_no_tasks() -> None:
    plan = plan_of("一、\n(一)\n1.\n2.\n(二)\n二、\n①\n")
    assert not plan.of_kind(Kind.TASK, Kind.MEASURE)


def test_a_bare_marker_over_worded_clauses_still_holds_them() -> None:
    plan = plan_of("一、\n(一)推进落户。放开限制。\n(二)完善服务。扩大覆盖。\n")
    assert titles(plan, Kind.TASK) == ["推进落户", "完善服务"]


def test_parts_beside_the_task_section_are_context_not_tasks() -> None:
    """An interpretation (解读) or plan that names its task part: its other top-level parts, under
    any heading, are context. No list of one document's headings decides it."""
    plan = plan_of(
        "一、起草过程\n一是广泛征求意见。二是反复修改完善。\n"
        "二、出台意义\n对全省工作具有重要意义。\n"
        "三、主要任务\n《方案》包括推进落户、完善服务、扩大保障3项重点任务。\n"
    )
    assert titles(plan, Kind.TASK) == ["推进落户", "完善服务", "扩大保障"]
    kinds = {c.title: c.kind for c in plan.clauses}
    assert kinds["起草过程"] is Kind.OTHER and kinds["出台意义"] is Kind.OTHER


def test_without_a_task_section_top_level_parts_are_still_tasks() -> None:
    plan = plan_of("一、推进落户\n放开限制。\n二、完善服务\n扩大覆盖。\n")
    assert titles(plan, Kind.TASK) == ["推进落户", "完善服务"]


def test_a_task_written_on_one_line_is_titled_by_its_first_clause() -> None:
    """Reprints and city plans run a whole task on one line; the title is what a reader would
    call it (the first clause), the rest is body evidence. Short two-part headings stay whole."""
    plan = plan_of(
        "一、重点任务\n"
        "1.严控煤炭消费，推动煤电机组节能降碳改造，到2025年煤炭消费比重下降到百分之五十以下。\n"
        "2.推进工业领域节能降碳：实施重点行业能效提升行动，淘汰落后产能。\n"
        "3.深化城市建设体制改革，加快转变城市发展方式。\n"
    )
    tasks = plan.of_kind(Kind.TASK)
    assert [t.title for t in tasks] == ["严控煤炭消费", "推进工业领域节能降碳", "深化城市建设体制改革,加快转变城市发展方式"]
    assert tasks[0].text.startswith("推动煤电机组节能降碳改造")
