"""Links across levels and news phrasings, on constructed texts of a plan unlike the example one
(a water-saving plan whose tasks sit under 行动): a listed action links to the national action, a
sentence of clauses after a listing verb gives items."""

from __future__ import annotations

import pytest

from aligner import Kind, align, parse_plan
from aligner.model import Relation
from aligner.params import MatchParams

NATIONAL = """国务院关于印发《节水型社会建设行动方案》的通知
一、总体要求
坚持节水优先、空间均衡、系统治理。
二、实施农业节水增效行动
（一）推进灌区节水改造。加快大中型灌区续建配套和现代化改造，推广喷灌、微灌、滴灌。
（二）发展旱作节水农业。推广保墒蓄水、覆盖保墒等旱作农业技术。
三、实施工业节水减排行动
（三）推动高耗水行业节水改造。对火电、钢铁、纺织、造纸等行业实施节水技术改造。
（四）推进园区循环用水。推动工业园区废水集中处理和循环利用。
四、实施城镇节水降损行动
（五）加快供水管网漏损治理。开展老旧供水管网更新改造，降低公共供水管网漏损率。
（六）推广生活节水器具。在公共机构和居民家庭推广节水器具。
五、强化政策保障
（七）加大财政投入。中央预算内投资对节水项目给予支持。
（八）创新融资方式。运用政策性开发性金融工具，引导社会资本参与节水项目。
"""

NEWS = """某省印发节水型社会建设实施方案
近日，某省人民政府印发《某省节水型社会建设实施方案》。
《方案》提出，实施农业节水增效、工业节水减排、城镇节水降损等三大行动。
在农业节水方面，一是推进灌区续建配套和现代化改造；二是推广旱作农业技术。
在城镇节水方面，《方案》提出加快老旧供水管网更新改造。
《方案》还明确，加大省级财政投入，用好政策性开发性金融工具，完善节水价格机制。
"""


@pytest.fixture(scope="module")
def news():
    return align(NATIONAL, NEWS).alignments[0]


def test_clauses_after_a_listing_verb_are_items(news) -> None:
    titles = [c.title for c in news.province.of_kind(Kind.TASK)]
    assert {"加大省级财政投入", "用好政策性开发性金融工具", "完善节水价格机制"} <= set(titles)


def test_a_topic_paragraph_with_one_clause_gives_that_item(news) -> None:
    titles = [c.title for c in news.province.of_kind(Kind.TASK)]
    assert "加快老旧供水管网更新改造" in titles


def test_an_ordinary_sentence_after_a_listing_verb_is_no_list() -> None:
    from aligner.inline import clause_lists

    assert clause_lists("《方案》提出，到2025年，全省用水总量控制在200亿立方米以内。") == []
    assert clause_lists("会议要求，各地要高度重视，认真抓好落实。") == []
    # 要求 as a noun inside a sentence: what follows is no list.
    assert clause_lists("要完善推进机制，按照市县抓落实的总体要求，加强多部门协同，统筹推进任务落实。") == []


def test_a_listed_action_links_to_the_national_action_not_to_a_task(news) -> None:
    national = news.national.by_id()
    listed = [c for c in news.province.of_kind(Kind.TASK) if c.title.endswith("行动")]
    assert len(listed) == 3
    for clause in listed:
        targets = [national[link.national] for link in news.links if link.province == clause.id]
        assert len(targets) == 1 and targets[0].kind is Kind.ACTION, (clause.title, [t.title for t in targets])
        assert clause.title.removesuffix("行动") in targets[0].title


def test_the_listed_clauses_link_to_the_measures_they_restate(news) -> None:
    national, province = news.national.by_id(), news.province.by_id()
    linked = {(province[l.province].title, national[l.national].title) for l in news.links}
    assert ("加大省级财政投入", "加大财政投入") in linked
    assert ("用好政策性开发性金融工具", "创新融资方式") in linked


def test_parse_plan_sees_the_same_items() -> None:
    plan = parse_plan(NEWS)
    assert sum(c.title.endswith("行动") for c in plan.of_kind(Kind.TASK)) == 3


def test_a_task_in_an_aligned_action_leans_to_that_action() -> None:
    from dataclasses import replace

    from aligner.match import _adjust, _prepare
    from aligner.params import MatchParams
    from aligner.thesaurus import builtin_thesaurus

    plan, params = parse_plan(NEWS), MatchParams()
    unit = replace(_prepare(plan, plan.of_kind(Kind.TASK)[0], builtin_thesaurus(), params), action="P")
    inside, outside = replace(unit, action="N1"), replace(unit, action="N2")
    assert _adjust(0.5, unit, inside, {"P": ("N1",)}, params)[0] == 0.5 * (1 + params.action_lift)
    assert _adjust(0.5, unit, outside, {"P": ("N1",)}, params)[0] == 0.5 * (1 - params.action_elsewhere_damp)
    assert _adjust(0.5, unit, outside, {"P": ()}, params)[0] == 0.5 * (1 - params.action_damp)


MERGED_NATIONAL = """国家碳达峰行动方案
一、重点任务
（一）循环经济助力降碳行动
1.推进产业园区循环化发展。推动园区企业循环式生产。
2.健全资源循环利用体系。完善废旧物资回收网络。
（二）绿色低碳科技创新行动
1.完善创新体制机制。制定科技支撑碳达峰碳中和行动方案。
2.加快先进适用技术研发和推广应用。集中力量开展储能技术攻关。
（三）碳汇能力巩固提升行动
1.巩固生态系统固碳作用。严守生态保护红线。
2.提升生态系统碳汇能力。实施生态保护修复重大工程。
"""

MERGED_PROVINCE = """某省碳达峰实施方案
一、重点任务
（一）循环经济、科技创新和碳汇行动
1.健全资源循环利用体系。
2.巩固提升森林草原碳汇能力。
"""


def test_a_merged_action_name_maps_to_each_national_action_it_names() -> None:
    from aligner import align

    result = align(MERGED_NATIONAL, MERGED_PROVINCE)
    alignment = result.alignments[0]
    national = alignment.national.by_id()
    province = alignment.province.by_id()
    action_links = {national[l.national].title for l in alignment.links if province[l.province].title.endswith("碳汇行动")}
    assert action_links == {"循环经济助力降碳行动", "绿色低碳科技创新行动", "碳汇能力巩固提升行动"}
    # Each link a merged name gives (beyond the action its tasks align with) shows how alike the named
    # part and the action's name are (科技创新 is in 绿色低碳科技创新行动: 1.00), its score kept in the
    # partial band, never a constant.
    merged = {national[l.national].title: l for l in alignment.links if province[l.province].title.endswith("碳汇行动")}
    contained = merged["绿色低碳科技创新行动"]
    assert contained.relation is Relation.PARTIAL and contained.title_similarity == 1.0
    assert MatchParams().link <= contained.score < MatchParams().adapted
    sink = {national[l.national].title: l for l in alignment.links if province[l.province].title == "巩固提升森林草原碳汇能力"}
    assert "提升生态系统碳汇能力" in sink
    assert any("corresponding national action" in n for n in sink["提升生态系统碳汇能力"].evidence.notes)


def test_a_name_with_one_conjunction_is_not_a_merger() -> None:
    from aligner import parse_plan
    from aligner.match import _merged_action_names
    from aligner.model import Kind
    from aligner.params import MatchParams
    from aligner.thesaurus import Thesaurus

    actions = [(c, c.title) for c in parse_plan(MERGED_NATIONAL).clauses if c.kind is Kind.ACTION]
    assert _merged_action_names("推进产业和人口集聚行动", actions, Thesaurus(), MatchParams()) == ()


def test_action_names_meet_on_what_they_act_on() -> None:
    from aligner.inline import policy_object
    from aligner.match import _action_name_match
    from aligner.thesaurus import Thesaurus

    assert policy_object("交通结构调整") == policy_object("优化交通结构") == "交通结构"
    assert policy_object("强化面源污染治理") == "面源污染"
    assert policy_object("推进") == ""  # nothing left to name
    # The national name's first phrase is its name; what follows elaborates it.
    assert _action_name_match("交通结构调整", "交通结构调整", "优化交通结构，大力发展绿色运输体系",
                              "优化交通结构大力发展绿色运输体系", Thesaurus()) == 1.0
    assert _action_name_match("能源结构优化", "能源结构优化", "优化交通结构，大力发展绿色运输体系",
                              "优化交通结构大力发展绿色运输体系", Thesaurus()) < 0.8
