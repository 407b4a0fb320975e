"""Article documents (第X条): structure, heads, roles — on small regulation texts written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.articles import Role, role_of, split_head
from aligner.model import Kind
from aligner.normalise import normalise
from aligner.parse import parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

REGULATION = """# 某某省促进示例条例

2021年1月1日 某某省人民代表大会常务委员会第九次会议通过

<!-- INFO END -->

## 第一章　总　则

第一条 为了促进示例事业发展，规范示例活动，根据有关法律、行政法规，结合本省实际，制定本条例。

第二条 本省行政区域内的示例活动，适用本条例。

本条例所称示例，是指按照规定开展的演示活动。

## 第二章 管理

### 第一节 登记

第三条 县级以上人民政府应当建立示例登记制度，简化登记流程，推行全程网上办理。

有下列情形之一的，登记机关应当当场办结：

（一）材料齐全的；

（二）符合法定形式的。

### 第二节 监督

第四条 示例主管部门应当加强对示例活动的监督检查。

## 第三章 附则

第五条 本条例自2021年3月1日起施行。
"""


def _plan(text: str, path: str = "example.txt"):
    return parse(normalise(path, text))


def test_articles_are_the_clause_units_numbered_as_written() -> None:
    plan = _plan(REGULATION)
    articles = [c for c in plan.clauses if c.kind is Kind.TASK]
    assert [c.number for c in articles] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert plan.title == "某某省促进示例条例"
    # the adoption note and the markup are metadata: nothing of them in any clause
    assert not any("通过" in c.title + c.text or "INFO" in c.title + c.text for c in plan.clauses)


def test_sections_nest_by_rank_not_by_first_sight() -> None:
    plan = _plan(REGULATION)
    by_number = {c.number: c for c in plan.clauses}
    index = plan.by_id()
    assert by_number["第一节"].kind is Kind.SECTION
    assert index[by_number["第一节"].parent].number == "第二章"
    assert index[by_number["第四条"].parent].number == "第二节"
    assert by_number["第五条"].kind is Kind.TASK  # 附则 articles are articles too


def test_items_are_evidence_of_their_article_not_clauses() -> None:
    article = next(c for c in _plan(REGULATION).clauses if c.number == "第三条")
    assert not article.children
    assert len(article.passages) == 4
    assert article.passages[-1].startswith("(二)符合法定形式")


def test_missing_first_chapter_heading_keeps_the_first_articles() -> None:
    text = REGULATION.replace("## 第一章　总　则\n", "")
    numbers = [c.number for c in _plan(text).clauses if c.kind is Kind.TASK]
    assert numbers[:2] == ["第一条", "第二条"] and len(numbers) == 5


def test_head_is_a_short_opening_clause_and_nothing_is_lost() -> None:
    text = "县级以上人民政府应当建立示例登记制度，简化登记流程，推行全程网上办理，为市场主体提供便利，并定期向社会公布办理情况。"
    title, rest = split_head(text)
    assert title == "县级以上人民政府应当建立示例登记制度"
    assert title + "，" + rest == text
    short_subject = "为了促进发展，规范示例活动，根据有关法律，制定本条例。"
    assert split_head(short_subject)[0] == short_subject.rstrip("。")
    long_clause = "本条例所称示例活动包括演示、展示、说明、介绍、推广、宣传、培训、咨询、评估、认证、检测和其他类似的活动。"
    assert len(split_head(long_clause)[0]) <= 40


@pytest.mark.parametrize(
    ("passage", "role"),
    [
        ("为了促进示例事业发展，结合本省实际，制定本条例。", Role.PURPOSE),
        ("本省行政区域内的示例活动，适用本条例。", Role.SCOPE),
        ("本条例所称示例，是指按照规定开展的演示活动。", Role.DEFINITION),
        ("本条例自2021年3月1日起施行。", Role.EFFECTIVE),
        ("违反本条例规定，有关部门不履行职责的，由上级机关责令改正；情节严重的，依法给予处分。", Role.LIABILITY),
        ("县级以上人民政府应当建立示例登记制度。", Role.NONE),
    ],
)
def test_drafting_roles(passage: str, role: Role) -> None:
    assert role_of(passage) is role


@pytest.mark.parametrize(
    ("name", "articles", "title"),
    [
        ("yingshang_national.txt", 72, "优化营商环境条例"),
        ("yingshang_shandong.txt", 67, "山东省优化营商环境条例"),
        ("yingshang_henan.txt", 90, "河南省优化营商环境条例"),  # no 第一章 heading in this copy
        ("yingshang_beijing.txt", 83, "北京市优化营商环境条例"),  # full-width spaces in headings
        ("jienengfa_national.txt", 87, "中华人民共和国节约能源法"),
        ("jienengfa_zhejiang.txt", 53, "浙江省实施《中华人民共和国节约能源法》办法"),
    ],
)
def test_real_regulations_parse_article_by_article(name: str, articles: int, title: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip("../shared/corpus is not here")
    plan = parse(normalise(str(path), path.read_text(encoding="utf-8")))
    units = [c for c in plan.clauses if c.kind is Kind.TASK]
    assert len(units) == articles
    assert plan.title == title
    assert all(len(c.title) <= 40 for c in units)
    assert [c.number for c in units][:2] == ["第一条", "第二条"]


def test_opinion_items_run_on_across_parts() -> None:
    path = CORPUS / "tanfeng-yijian_national.txt"
    if not path.exists():
        pytest.skip("../shared/corpus is not here")
    plan = parse(normalise(str(path), path.read_text(encoding="utf-8")))
    numbers = [c.number for c in plan.clauses if c.number.startswith("(")]
    assert len(numbers) == 37 and numbers[-1] == "(三十七)"
    assert all(len(c.title) <= 40 for c in plan.clauses)
