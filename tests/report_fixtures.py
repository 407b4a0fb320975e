"""Hand-built Alignments for the report tests: realistic Chinese plans plus hostile text.

Built by hand (not by running the pipeline) so the report tests do not depend on the
parser or matcher, and so every status, kind and nasty string is present on purpose.
"""

from __future__ import annotations

import sys
import types

import pytest

from aligner.model import (
    Alignment,
    Clause,
    Coverage,
    Evidence,
    Kind,
    Link,
    Plan,
    Relation,
    Status,
    Target,
)

EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_FORMULAS = ("=SUM(1)", "+1", "-1", "@x")


def _c(
    id: str,
    kind: Kind,
    title: str,
    parent: str | None,
    line: int,
    *,
    text: str = "",
    units: list[str] | None = None,
    original_title: str = "",
) -> Clause:
    number = id.rsplit(".", 1)[-1] + "." if "." in id else id
    return Clause(
        id=id,
        kind=kind,
        number=number,
        title=title,
        text=text or title + "。",
        parent=parent,
        line=line,
        units=units or [],
        original_title=original_title,
    )


def national_plan() -> Plan:
    """Two actions, six tasks, two measures, like 国发〔2024〕17号 in miniature."""
    clauses = [
        _c("1", Kind.OTHER, "总体要求", None, 10),
        _c("2", Kind.ACTION, "实施新一轮农业转移人口市民化行动", None, 20),
        _c("2.1", Kind.SECTION, "发展方向", "2", 21),
        _c("2.2", Kind.SECTION, "重点任务", "2", 23),
        _c(
            "2.2.1",
            Kind.TASK,
            "进一步深化户籍制度改革",
            "2.2",
            24,
            text="放开放宽除个别超大城市外的落户限制,推行以经常居住地登记户口制度。",
        ),
        _c("2.2.2", Kind.TASK, "健全常住地提供基本公共服务制度", "2.2", 25),
        _c("2.2.3", Kind.TASK, "促进农业转移人口在城镇稳定就业", "2.2", 26),
        _c("2.3", Kind.SECTION, "政策措施", "2", 30),
        _c("2.3.1", Kind.MEASURE, "完善农业转移人口市民化激励政策", "2.3", 31),
        _c("3", Kind.ACTION, "实施潜力地区城镇化水平提升行动", None, 40),
        _c("3.2", Kind.SECTION, "重点任务", "3", 42),
        _c("3.2.1", Kind.TASK, "培育特色优势产业集群", "3.2", 43),
        _c(
            "3.2.2",
            Kind.TASK,
            f"促进产业园区提级扩能 {EVIL_SCRIPT}",
            "3.2",
            44,
            text=f"推动同质低效产业园区整合升级。{EVIL_SCRIPT}\n第二行 a|b",
        ),
        _c("3.2.3", Kind.TASK, "强化产业发展人才支撑", "3.2", 45),
        _c("3.3", Kind.SECTION, "政策措施", "3", 50),
        _c("3.3.1", Kind.MEASURE, "强化土地节约集约利用", "3.3", 51),
    ]
    return Plan(
        path="plans/national.txt",
        title="深入实施以人为本的新型城镇化战略五年行动计划",
        name="national",
        clauses=clauses,
        targets=[
            Target("常住人口城镇化率", "接近70%", "2029", 18),
            Target("户籍人口城镇化率", "明显提高", "2029", 18),
        ],
    )


def province_plan() -> Plan:
    """青海's plan: the national tasks reworded, one hostile title each, and one addition."""
    clauses = [
        _c("1", Kind.ACTION, "实施新一轮农业转移人口市民化行动", None, 5, original_title="實施新一輪農業轉移人口市民化行動"),
        _c(
            "1.1",
            Kind.TASK,
            "深化户籍制度改革",
            "1",
            6,
            units=["省公安厅", "省发展改革委"],
            original_title="深化戶籍制度改革",
        ),
        _c("1.2", Kind.TASK, "=SUM(1) 健全常住地基本公共服务", "1", 7, units=["省发展改革委"]),
        _c("1.3", Kind.TASK, "+1 促进稳定就业 [/] [bold]x", "1", 8, units=["省人力资源社会保障厅"]),
        _c("1.4", Kind.MEASURE, "-1 落实市民化激励政策", "1", 9, units=["省财政厅"]),
        _c("2", Kind.ACTION, "实施潜力地区城镇化水平提升行动", None, 20),
        _c("2.1", Kind.TASK, "@x 培育高原特色产业集群", "2", 21, units=["省工业和信息化厅"]),
        _c(
            "2.2",
            Kind.TASK,
            f"{EVIL_SCRIPT} 强化人才支撑 a|b",
            "2",
            22,
            units=["省教育厅", "省人力资源社会保障厅"],
            text=f"加大职业院校建设力度。{EVIL_SCRIPT}",
        ),
        _c(
            "2.3",
            Kind.TASK,
            "发展高原特色\n生态旅游 `code` # 标题",
            "2",
            23,
            units=["省文化和旅游厅"],
        ),
        _c("3", Kind.OTHER, "组织实施", None, 40),
    ]
    return Plan(
        path="plans/qinghai<x>.txt",
        title="青海省深入实施以人为本的新型城镇化战略五年行动计划实施方案",
        name="青海",
        clauses=clauses,
        warnings=[
            "declared 4 tasks under action 2, found 3",
            f"line 77: could not parse {EVIL_SCRIPT}",
        ],
        declared={"tasks": 7},
        targets=[
            Target("常住人口城镇化率", "65%", "2029", 4),
            Target("新增城镇就业", "5万人", "2029", 4),
        ],
    )


def _ev(terms: tuple[str, ...], prov: str, nat: str, score: float, *notes: str) -> Evidence:
    return Evidence(
        shared_terms=terms,
        province_sentence=prov,
        national_sentence=nat,
        sentence_score=score,
        notes=notes,
    )


def alignment() -> Alignment:
    """The main fixture: 4 covered, 1 partial, 1 gap; 1 of 2 measures covered; 1 addition."""
    links = [
        Link("1.1", "2.2.1", 0.93, Relation.SAME, _ev(("户籍制度", "改革"), "深化户籍制度改革", "进一步深化户籍制度改革", 0.91)),
        Link(
            "1.2",
            "2.2.2",
            0.81,
            Relation.ADAPTED,
            _ev(("常住地", "基本公共服务"), "=SUM(1) 健全常住地基本公共服务", "健全常住地提供基本公共服务制度", 0.77),
        ),
        Link(
            "1.3",
            "2.2.3",
            0.55,
            Relation.PARTIAL,
            _ev(("稳定就业",), "促进稳定就业", "促进农业转移人口在城镇稳定就业", 0.6, "same action"),
        ),
        Link("1.4", "2.3.1", 0.72, Relation.ADAPTED, _ev(("激励政策",), "落实市民化激励政策", "完善农业转移人口市民化激励政策", 0.7)),
        Link(
            "2.1",
            "3.2.1",
            0.84,
            Relation.ADAPTED,
            _ev(("特色", "产业集群"), "培育高原特色产业集群", "培育特色优势产业集群", 0.8, "thesaurus: 高原特色→特色"),
        ),
        Link(
            "2.2",
            "3.2.3",
            0.78,
            Relation.ADAPTED,
            _ev(("人才支撑",), f"{EVIL_SCRIPT} 强化人才支撑 a|b", "强化产业发展人才支撑", 0.74),
        ),
        Link("2.1", "3.2.3", 0.41, Relation.PARTIAL, _ev(("产业",), "培育高原特色产业集群", "强化产业发展人才支撑", 0.3)),
    ]
    coverage = [
        Coverage("2.2.1", Status.COVERED, 0.93, ("1.1",)),
        Coverage("2.2.2", Status.COVERED, 0.81, ("1.2",)),
        Coverage("2.2.3", Status.PARTIAL, 0.55, ("1.3",)),
        Coverage("2.3.1", Status.COVERED, 0.72, ("1.4",)),
        Coverage("3.2.1", Status.COVERED, 0.84, ("2.1",)),
        Coverage("3.2.2", Status.GAP, 0.0, ()),
        Coverage("3.2.3", Status.COVERED, 0.78, ("2.2", "2.1")),
        Coverage("3.3.1", Status.GAP, 0.0, ()),
    ]
    return Alignment(
        national=national_plan(),
        province=province_plan(),
        links=links,
        coverage=coverage,
        additions=["2.3"],
        warnings=["national task 3.2.2 has no provincial counterpart above threshold 0.35"],
    )


def expected_csv_rows(al: Alignment) -> int:
    """One row per coverage × counterpart, one for a coverage with none."""
    return sum(max(1, len(c.counterparts)) for c in al.coverage)


def empty_alignment() -> Alignment:
    """A province plan that the parser found nothing in: reports must still render."""
    national = national_plan()
    return Alignment(
        national=national,
        province=Plan(path="empty.txt", title="", name="", clauses=[]),
        links=[],
        coverage=[Coverage(c.id, Status.GAP, 0.0, ()) for c in national.of_kind(Kind.TASK, Kind.MEASURE)],
        additions=[],
    )


def fake_pair_targets(national: list[Target], province: list[Target]) -> list[tuple[Target | None, Target | None]]:
    """Stand-in for aligner.targets.pair_targets: pair by indicator name, unmatched last."""
    remaining = {t.indicator: t for t in province}
    pairs: list[tuple[Target | None, Target | None]] = [(t, remaining.pop(t.indicator, None)) for t in national]
    return pairs + [(None, t) for t in remaining.values()]


def use_fake_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `from aligner.targets import pair_targets` find the stand-in (whatever exists on disk)."""
    module = types.ModuleType("aligner.targets")
    module.pair_targets = fake_pair_targets  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "aligner.targets", module)


def block_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the lazy import fail, as when aligner/targets.py does not exist yet."""
    monkeypatch.setitem(sys.modules, "aligner.targets", None)


def split_row(line: str) -> list[str]:
    """Split a GFM table row on pipes that are not backslash-escaped (as GitHub does)."""
    cells, current, i = [], "", 0
    body = line.strip()
    assert body.startswith("|") and body.endswith("|"), line
    body = body[1:]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current += body[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += ch
        i += 1
    assert current.strip() == "", f"row does not end on a pipe: {line!r}"
    return cells


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table as a list of parsed rows (header, delimiter, body rows)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(split_row(line))
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found
