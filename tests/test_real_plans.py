"""The parser on the real documents in the repository: the structure a reader sees in each.

These are the documents the tool exists for; the expected titles and counts were read off the
texts by hand. A change in the mechanism that breaks any of them shows up here first.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from aligner.model import Clause, Kind, Plan
from aligner.normalise import normalise
from aligner.parse import parse

ROOT = Path(__file__).parent.parent


@cache
def load(relative: str) -> Plan:
    path = ROOT / relative
    return parse(normalise(str(path), path.read_text(encoding="utf-8")))


def of_kind(plan: Plan, kind: Kind) -> list[Clause]:
    return plan.of_kind(kind)


def titles(plan: Plan, kind: Kind) -> list[str]:
    return [c.title for c in plan.of_kind(kind)]


def children(plan: Plan, clause: Clause, kind: Kind) -> list[Clause]:
    index = plan.by_id()
    return [index[cid] for cid in clause.children if index[cid].kind is kind]


def tasks_of(plan: Plan, action: Clause) -> list[Clause]:
    return [t for t in plan.of_kind(Kind.TASK) if plan.action_of(t) is action]


def cut_off(plan: Plan) -> bool:
    """aligner.checks reports a text cut short (the parser itself only builds the tree)."""
    from aligner.checks import TRUNCATED, check_plan

    return any(n.code == TRUNCATED for n in check_plan(plan, plan.clean))


_CLEAN_TITLE = re.compile(r"^[^\s(（)）。,，;；:：!！?？、]")


def assert_clean(title: str) -> None:
    """A title as a reader would quote it: no marker, no units, no sentence end, no debris."""
    assert _CLEAN_TITLE.match(title), title
    assert not re.search(r"[。;；:：]$|^\d|责任单位|\(|\)", title), title


# --- national plan ---------------------------------------------------------------------------------

NATIONAL = "plans/national.txt"

NATIONAL_ACTIONS = [
    "实施新一轮农业转移人口市民化行动",
    "实施潜力地区城镇化水平提升行动",
    "实施现代化都市圈培育行动",
    "实施城市更新和安全韧性提升行动",
]

NATIONAL_TASKS = [
    "进一步深化户籍制度改革",
    "健全常住地提供基本公共服务制度",
    "促进农业转移人口在城镇稳定就业",
    "保障随迁子女在流入地受教育权利",
    "完善农业转移人口多元化住房保障体系",
    "扩大农业转移人口社会保障覆盖面",
    "培育特色优势产业集群",
    "促进产业园区提级扩能",
    "强化产业发展人才支撑",
    "增强城镇综合承载能力",
    "提升城际通勤效率",
    "强化产业分工协作",
    "加快市场一体化建设",
    "推进公共服务共建共享",
    "推进城镇老旧小区改造",
    "加快推进保障性住房建设、“平急两用”公共基础设施建设、城中村改造",
    "加强城市洪涝治理",
    "实施城市生命线安全工程",
    "推进绿色智慧城市建设",
]

NATIONAL_MEASURES = [
    "完善农业转移人口市民化激励政策",
    "健全进城落户农民农村权益维护政策",
    "健全产业跨区域新布局激励机制",
    "强化土地节约集约利用",
    "加强资金多元投入保障",
]


def test_national_actions() -> None:
    plan = load(NATIONAL)
    actions = of_kind(plan, Kind.ACTION)
    assert [(a.id, a.number, a.title) for a in actions] == [
        (str(i), f"{n}、", t) for i, n, t in zip(range(2, 6), "二三四五", NATIONAL_ACTIONS)
    ]


def test_national_tasks() -> None:
    plan = load(NATIONAL)
    assert titles(plan, Kind.TASK) == NATIONAL_TASKS
    per_action = [len(tasks_of(plan, a)) for a in of_kind(plan, Kind.ACTION)]
    assert per_action == [6, 4, 4, 5]
    for task in of_kind(plan, Kind.TASK):
        assert plan.by_id()[task.parent].title == "重点任务"  # type: ignore[index]
        assert_clean(task.title)


def test_national_tasks_keep_the_authors_script() -> None:
    plan = load(NATIONAL)
    first = of_kind(plan, Kind.TASK)[0]
    assert first.original_title == "進一步深化戶籍制度改革"
    assert first.text.startswith("放开放宽除个别超大城市外的落户限制")


def test_national_measures_numbered_and_paragraphs() -> None:
    plan = load(NATIONAL)
    measures = of_kind(plan, Kind.MEASURE)
    numbered = [m for m in measures if m.number]
    paragraphs = [m for m in measures if not m.number]
    assert [m.title for m in numbered] == NATIONAL_MEASURES
    assert len(paragraphs) == 2
    assert paragraphs[0].title.startswith("发挥国家发展规划的统领作用")
    assert paragraphs[1].title.startswith("深化城市建设、运营、治理体制改革")
    for measure in measures:
        assert plan.by_id()[measure.parent].title == "政策措施"  # type: ignore[index]
    actions = of_kind(plan, Kind.ACTION)
    assert [len([m for m in measures if plan.action_of(m) is a]) for a in actions] == [2, 3, 1, 1]


def test_national_organisation_items() -> None:
    plan = load(NATIONAL)
    organisation = next(c for c in plan.clauses if c.title == "组织实施")
    assert (organisation.id, organisation.kind) == ("6", Kind.OTHER)
    items = [plan.by_id()[cid] for cid in organisation.children]
    assert [(c.title, c.kind) for c in items] == [
        ("坚持加强党的全面领导", Kind.OTHER),
        ("完善实施推进机制", Kind.OTHER),
        ("加强监测评估", Kind.OTHER),
    ]


def test_national_news_and_notice_make_no_clause() -> None:
    plan = load(NATIONAL)
    assert min(c.line for c in plan.clauses) == 14
    assert plan.title == "深入实施以人为本的新型城镇化战略五年行动计划"


def test_national_comment_box_is_not_plan_text() -> None:
    plan = load(NATIONAL)
    for clause in plan.clauses:
        assert "评论" not in clause.title + clause.text
        assert "注册" not in clause.title + clause.text


def test_national_ids_are_unique_paths() -> None:
    plan = load(NATIONAL)
    ids = [c.id for c in plan.clauses]
    assert len(ids) == len(set(ids))
    for clause in plan.clauses:
        if clause.parent:
            assert clause.id.startswith(clause.parent + ".")


# --- Qinghai ---------------------------------------------------------------------------------------

QINGHAI = "plans/qinghai.txt"


def test_qinghai_title_and_name() -> None:
    plan = load(QINGHAI)
    assert plan.title == "青海省深入实施以人为本的新型城镇化战略五年行动计划的实施方案"
    assert plan.name == "青海"


def test_qinghai_actions_and_tasks() -> None:
    plan = load(QINGHAI)
    actions = of_kind(plan, Kind.ACTION)
    assert titles(plan, Kind.ACTION) == [
        "城镇化发展空间优化提升行动",
        "新一轮农业转移人口市民化行动",
        "县域城镇化水平提升行动",
        "都市圈一体化发展提速行动",
        "城市更新和安全韧性提升行动",
        "以城带乡促进融合发展行动",
    ]
    assert [len(children(plan, a, Kind.TASK)) for a in actions] == [5, 8, 8, 6, 7, 5]
    assert len(of_kind(plan, Kind.TASK)) == 39
    for task in of_kind(plan, Kind.TASK):
        assert_clean(task.title.replace("“", "").replace("”", ""))


def test_qinghai_declared_counts_match() -> None:
    plan = load(QINGHAI)
    assert plan.declared == {"actions": 6, "tasks": 39}
    assert not [w for w in plan.warnings if "declares" in w]


def test_qinghai_quoted_task_keeps_both_quotes() -> None:
    plan = load(QINGHAI)
    assert "统筹推进“三大工程”" in titles(plan, Kind.TASK)


def test_qinghai_mojibake_is_reported() -> None:
    assert any("mojibake" in w for w in load(QINGHAI).warnings)


# --- Xinhua news report of the national plan -------------------------------------------------------

XINHUA = "plans/examples/national_news_xinhua.txt"


def test_xinhua_summary() -> None:
    plan = load(XINHUA)
    assert titles(plan, Kind.ACTION) == NATIONAL_ACTIONS
    assert len(of_kind(plan, Kind.TASK)) == 19
    assert titles(plan, Kind.TASK)[:14] == NATIONAL_TASKS[:14]
    assert titles(plan, Kind.MEASURE) == NATIONAL_MEASURES
    assert plan.declared == {"actions": 4, "tasks": 19}
    assert not [w for w in plan.warnings if "declares" in w]
    assert [len(children(plan, a, Kind.TASK)) for a in of_kind(plan, Kind.ACTION)] == [6, 4, 4, 5]


# --- partial provincial copies ---------------------------------------------------------------------


def test_gansu_partial() -> None:
    plan = load("tests/fixtures/partial/gansu.txt")
    assert plan.name == "甘肃"
    assert plan.title == "深入实施以人为本的新型城镇化战略五年行动计划方案"
    tasks = of_kind(plan, Kind.TASK)
    assert [t.title for t in tasks] == ["深化户籍制度改革", "强化农业转移人口就业服务"]
    assert tasks[0].units == ["省公安厅", "各市州政府", "兰州新区管委会"]
    assert "责任单位" not in tasks[0].text
    assert plan.action_of(tasks[0]).title == "实施新一轮农业转移人口市民化行动"  # type: ignore[union-attr]
    assert cut_off(plan)
    for task in tasks:
        assert_clean(task.title)


def test_gansu_web_page_furniture_makes_no_clause() -> None:
    plan = load("tests/fixtures/partial/gansu.txt")
    assert min(c.line for c in plan.clauses) == 30  # 一、发展目标


def test_hebei_partial() -> None:
    plan = load("tests/fixtures/partial/hebei.txt")
    assert plan.name == "河北"
    action = next(c for c in plan.clauses if c.kind is Kind.ACTION)
    assert action.title == "实施新一轮农业转移人口市民化行动"
    assert [t.title for t in children(plan, action, Kind.TASK)] == [
        "深化户籍制度改革",
        "健全常住地提供基本公共服务机制",
        "推进农业转移人口在城镇稳定就业",
    ]
    assert titles(plan, Kind.TASK) == [t.title for t in children(plan, action, Kind.TASK)]
    assert cut_off(plan)


def test_hunan_partial() -> None:
    plan = load("tests/fixtures/partial/hunan.txt")
    assert plan.name == "湖南"
    assert plan.title == "湖南省深入推进以人为本的新型城镇化战略五年行动计划实施方案"
    tasks = of_kind(plan, Kind.TASK)
    assert [t.title for t in tasks] == ["健全常住地提供基本公共服务制度"]
    assert tasks[0].units == ["省公安厅"]
    assert tasks[0].original_title == "健全常住地提供基本公共服務制度"
    assert cut_off(plan)
    # The garbled （一） heading is reported once; the header line quoting it is not.
    assert [w for w in plan.warnings if "mojibake" in w] == ["line 17: garbled text (mojibake) skipped"]


@pytest.mark.parametrize(
    "relative",
    [
        NATIONAL,
        QINGHAI,
        XINHUA,
        "plans/examples/national_news_digest.txt",
        "plans/examples/ndrc_meeting_2021.txt",
        "tests/fixtures/partial/gansu.txt",
        "tests/fixtures/partial/hebei.txt",
        "tests/fixtures/partial/hunan.txt",
    ],
)
def test_titles_are_on_their_source_lines(relative: str) -> None:
    path = ROOT / relative
    clean = normalise(str(path), path.read_text(encoding="utf-8"))
    lines = {line.number: re.sub(r"\s", "", line.simplified) for line in clean.lines}
    plan = parse(clean)
    assert plan.clauses
    for clause in plan.clauses:
        assert re.sub(r"\s", "", clause.title) in lines[clause.line], clause
