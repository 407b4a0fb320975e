"""Inline lists in the common phrasings of official texts, on examples written for these tests."""

from __future__ import annotations

import pytest

from aligner import parse_plan
from aligner.inline import clause_lists, find_lists, lead_count
from aligner.model import Kind


def _items(sentence: str) -> list[list[str]]:
    return [[sentence[i.start : i.end] + i.head for i in found.items] for found in find_lists(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("会议明确全力实施绿色工厂创建行动、智慧园区建设行动和产业链协同行动，推动转型",
         ["绿色工厂创建行动", "智慧园区建设行动", "产业链协同行动"]),
        ("全市将实施城市供水保障提升、老旧管网改造和排水防涝能力建设等三大工程。",
         ["城市供水保障提升工程", "老旧管网改造工程", "排水防涝能力建设工程"]),
        ("今年重点抓好耕地保护建设、种业振兴推进和农田水利提升三项工作。",
         ["耕地保护建设", "种业振兴推进", "农田水利提升"]),
        ("意见包括健全科技成果转化机制、完善人才评价体系、优化创新平台布局。",
         ["健全科技成果转化机制", "完善人才评价体系", "优化创新平台布局"]),
        ("通知要求，加快建设区域物流枢纽、支持冷链设施布局、推进仓储和配送一体化，力争见效",
         ["加快建设区域物流枢纽", "支持冷链设施布局", "推进仓储和配送一体化"]),
        # An item may start with 各 when it names what is done, not who does it.
        ("重点实施水资源节约行动、各流域协同治理行动和河湖生态修复行动",
         ["水资源节约行动", "各流域协同治理行动", "河湖生态修复行动"]),
    ],
)
def test_a_list_in_each_phrasing_gives_its_items(sentence: str, expected: list[str]) -> None:
    assert _items(sentence) == [expected]


def test_a_stated_count_decides_where_the_last_item_splits() -> None:
    # Five parts by 、 and a count of six: the last part is two items joined by 和.
    sentence = "实施河道整治、湖泊保护、湿地修复、水源涵养、岸线管控和水质监测等六大行动"
    assert _items(sentence) == [["河道整治行动", "湖泊保护行动", "湿地修复行动", "水源涵养行动", "岸线管控行动", "水质监测行动"]]
    (found,) = find_lists(sentence)
    assert found.declared == 6 and not found.count_mismatch


def test_a_count_that_does_not_match_is_reported() -> None:
    (found,) = find_lists("提出数字车间改造、绿色工厂创建、智能工厂培育等八大行动")
    assert found.declared == 8 and found.count_mismatch


@pytest.mark.parametrize(
    "sentence",
    [
        "全省东部、中部、西部地区协同发展",  # regions, no listing verb
        "由省发展改革委、省财政厅、省交通运输厅按职责分工负责",  # departments
        "执行国家能耗、排放、技术标准",  # qualifiers of one noun
        "要坚持以人为本、遵循规律、分类施策、集约高效的工作原则",  # qualifiers ending 的 + noun
        "方案提出，到2030年，全省工业、农业、交通等领域投资明显增长",  # the verb does not lead the list
        "推进城乡融合发展、区域协调发展，提升治理水平",  # action verb, no count, no shared head
        "提出4项重大行动、19项重点任务及有关政策措施",  # counts, not items
        "要求各地区、各有关部门、各级政府抓紧落实",  # who acts, not what is done
    ],
)
def test_ordinary_sentences_with_commas_are_not_split(sentence: str) -> None:
    assert find_lists(sentence) == []


def test_lead_count_before_a_numbered_run() -> None:
    assert lead_count("在就业方面，方案明确了四项重点：") == 4
    assert lead_count("方案从三个方面强化保障：") == 3
    assert lead_count("方案提出，到2030年：") is None


NEWS = """某省出台方案推进水利建设
　　本报讯 日前，省政府印发《某省水利建设三年实施方案》，明确全力实施河湖治理行动、供水保障行动和灌区改造行动，夯实发展基础。
　　在河湖治理方面，我省将实施河道整治、湖泊保护和湿地修复等三大工程。
　　在供水保障方面，《方案》明确了三项重点：一是推进水源工程建设，新建一批中型水库；二是完善城乡供水管网，提高农村自来水普及率；三是加强水质监测。
　　《方案》从两个方面强化政策保障：一是加大财政投入，统筹专项资金；二是创新投融资机制。
　　省水利厅负责人表示，下一步将加强统筹调度，抓好任务落实。
"""


def test_a_news_report_lists_its_tasks_inline() -> None:
    plan = parse_plan(NEWS)
    titles = {c.title: c for c in plan.clauses}
    for title in ("河湖治理行动", "供水保障行动", "灌区改造行动", "河道整治工程", "湖泊保护工程", "湿地修复工程",
                  "推进水源工程建设", "完善城乡供水管网", "加强水质监测", "加大财政投入", "创新投融资机制"):
        assert titles[title].kind is Kind.TASK, title
    # 在A方面 over a list is the group of its items; the closing quote lists nothing.
    assert titles["河湖治理"].kind is Kind.ACTION
    by_id = {c.id: c for c in plan.clauses}
    assert [by_id[cid].title for cid in titles["河湖治理"].children] == ["河道整治工程", "湖泊保护工程", "湿地修复工程"]
    assert not any("统筹调度" in c.title for c in plan.clauses)
    assert not plan.warnings


def test_a_news_run_whose_count_is_wrong_is_warned() -> None:
    text = NEWS.replace("从两个方面", "从三个方面")
    assert any("declares 3 items, 2 were found" in w for w in parse_plan(text).warnings)


PLAN_OF_ACTIONS = """某省碳减排实施方案
一、总体要求
坚持系统推进。
二、重点任务
（一）能源结构优化行动。推动煤炭清洁利用，扩大新能源装机。
（二）工业节能降碳行动。推进重点行业节能改造。
（三）交通绿色转型行动。推广新能源车辆。
三、保障措施
（一）加强组织领导。建立工作机制。
"""


def test_actions_without_a_deeper_level_are_the_plans_tasks() -> None:
    plan = parse_plan(PLAN_OF_ACTIONS)
    kinds = {c.title: c.kind for c in plan.clauses}
    assert kinds["能源结构优化行动"] is Kind.TASK
    assert kinds["工业节能降碳行动"] is Kind.TASK
    assert kinds["交通绿色转型行动"] is Kind.TASK


def test_actions_over_numbered_tasks_stay_actions() -> None:
    text = PLAN_OF_ACTIONS.replace("（一）能源结构优化行动。推动煤炭清洁利用，扩大新能源装机。",
                                   "（一）能源结构优化行动\n1.推动煤炭清洁利用。\n2.扩大新能源装机。")
    plan = parse_plan(text)
    action = next(c for c in plan.clauses if c.title == "能源结构优化行动")
    assert action.kind is Kind.ACTION and len(action.children) == 2


PREVIEWED = """某省碳减排实施方案
一、重点任务
重点实施能源结构优化行动、工业节能降碳行动、交通绿色转型行动等“三大行动”。
（一）能源结构优化行动
1.推动煤炭清洁利用。
2.扩大新能源装机。
（二）工业节能降碳行动
3.推进重点行业节能改造。
（三）交通绿色转型行动
4.推广新能源车辆。
"""


def test_a_lead_list_previewing_the_numbered_parts_adds_no_tasks() -> None:
    plan = parse_plan(PREVIEWED)
    tasks = [c.title for c in plan.clauses if c.kind is Kind.TASK]
    assert tasks == ["推动煤炭清洁利用", "扩大新能源装机", "推进重点行业节能改造", "推广新能源车辆"]


def test_a_lead_list_of_other_things_still_gives_items() -> None:
    text = PREVIEWED.replace("能源结构优化行动、工业节能降碳行动、交通绿色转型行动等“三大行动”",
                             "碳排放监测工程、绿色金融工程、低碳人才工程等“三大工程”")
    titles = {c.title: c.kind for c in parse_plan(text).clauses}
    assert titles.get("碳排放监测工程") is Kind.TASK and titles.get("低碳人才工程") is Kind.TASK


def test_a_connective_before_the_subject_still_opens_a_clause_list() -> None:
    found = clause_lists("此外，《方案》提出加强碳排放统计核算，强化领导干部培训，严格监督考核。")
    text = "此外，《方案》提出加强碳排放统计核算，强化领导干部培训，严格监督考核。"
    assert [text[i.start:i.end] for f in found for i in f.items] == ["加强碳排放统计核算", "强化领导干部培训", "严格监督考核"]
    # Without the listing verb right after the subject, the sentence lists nothing.
    assert not clause_lists("此外，各地要结合实际加强碳排放统计核算，强化领导干部培训，严格监督考核。")


def test_aspects_named_with_their_count_are_items() -> None:
    text = "《实施方案》从坚持党的领导、压实各级责任、加强监测评估等三个方面提出保障措施。"
    found = find_lists(text)
    assert [[text[i.start:i.end] for i in f.items] for f in found] == [["坚持党的领导", "压实各级责任", "加强监测评估"]]
    assert found[0].declared == 3
    assert not find_lists("从产业、人口两个方面看")  # single words are no items


def test_semicolon_segments_after_a_listing_verb_are_items_with_bodies() -> None:
    text = ("在政策支持上，《实施方案》明确，健全产业转移利益共享机制，推广飞地经济模式；"
            "提高土地节约集约利用水平，推行标准地出让；加大财政金融支持力度，省级统筹资金。")
    items = [text[i.start:i.end] for f in clause_lists(text) for i in f.items]
    assert items == ["健全产业转移利益共享机制", "提高土地节约集约利用水平", "加大财政金融支持力度"]
    # Segments that are not policy-verb phrases are no list.
    assert not clause_lists("《方案》明确，全省常住人口城镇化率达到64%；户籍人口城镇化率达到50%。")


INTERPRETATION = """一图读懂｜权威解读《某省新型城镇化实施方案》
一、《实施方案》的出台背景是什么？
2024年7月，国务院印发《深入实施以人为本的新型城镇化战略五年行动计划》，部署实施四项重大行动。
二、《实施方案》部署了哪些重点任务？
（一）关于农业转移人口市民化行动

《实施方案》提出2项举措：一是深化户籍制度改革，推行以经常居住地登记户口制度；二是保障随迁子女就学，扩大公办学位供给。
（二）关于城市更新行动

《实施方案》提出，一是推进老旧小区改造，完善配套设施；二是加强城市洪涝治理，建设排水防涝工程。
三、如何保障《实施方案》落地见效？
《实施方案》从坚持党的领导、压实各级责任、加强监测评估等三个方面提出保障措施。
四、《实施方案》有哪些特点？
一是坚持问题导向。二是突出因地制宜。
"""


def test_an_interpretations_questions_name_its_parts() -> None:
    plan = parse_plan(INTERPRETATION)
    kinds = {c.title: c.kind for c in plan.clauses}
    assert kinds["《实施方案》的出台背景是什么"] is Kind.OTHER
    assert kinds["关于农业转移人口市民化行动"] is Kind.ACTION
    assert kinds["深化户籍制度改革"] is Kind.TASK and kinds["加强城市洪涝治理"] is Kind.TASK
    assert kinds["坚持党的领导"] is Kind.MEASURE and kinds["加强监测评估"] is Kind.MEASURE
    # The commentary (有哪些特点) holds no tasks, and the quoted national count is not this plan's.
    assert not any(c.kind is Kind.TASK and "问题导向" in c.title for c in plan.clauses)
    assert "actions" not in plan.declared
    assert not plan.warnings


NEWS_RUN_ON_LINES = """某市印发空气质量持续改善行动方案
近日，市政府印发《某市空气质量持续改善行动方案》。
在交通结构调整方面，《方案》部署了两项举措：
一是推动大宗货物“公转铁”，工矿企业接入铁路专用线；
二是加快公共领域车辆电动化，新增公交车辆全部使用新能源。
在面源污染防治方面，《方案》要求重点抓好工地扬尘管控、道路扬尘治理、秸秆焚烧防控等工作。
"""


def test_a_news_run_written_one_item_per_line_stays_with_its_lead() -> None:
    plan = parse_plan(NEWS_RUN_ON_LINES)
    by_id = plan.by_id()
    groups = {c.title: [by_id[i].title for i in c.children] for c in plan.clauses if c.kind is Kind.ACTION}
    assert groups["交通结构调整"] == ["推动大宗货物“公转铁”", "加快公共领域车辆电动化"]
    # The next paragraph is a topic of its own, not the body of the last 二是 item.
    assert groups["面源污染防治"] == ["工地扬尘管控", "道路扬尘治理", "秸秆焚烧防控"]


def test_a_paragraph_opening_around_a_topic_groups_its_run() -> None:
    text = "围绕产业结构调整，《方案》明确了2项任务：一是严禁新增钢铁产能；二是推进涉气产业集群整治提升。"
    plan = parse_plan("某市方案\n" + text + "\n")
    by_id = plan.by_id()
    group = next(c for c in plan.clauses if c.kind is Kind.ACTION)
    assert group.title == "产业结构调整"
    assert [by_id[i].title for i in group.children] == ["严禁新增钢铁产能", "推进涉气产业集群整治提升"]


def test_a_segment_verb_may_follow_a_two_character_modifier() -> None:
    # 分类推进 / 全域建设: a modifier of manner or place before the verb; the listing verb opened the sentence.
    text = "《意见》还要求，分类推进老旧小区加装电梯，优先支持高层住宅；全域建设社区食堂，覆盖所有街道。"
    items = [text[i.start:i.end] for f in clause_lists(text) for i in f.items]
    assert items == ["分类推进老旧小区加装电梯", "全域建设社区食堂"]


def test_a_segment_opening_with_a_subject_is_no_item() -> None:
    # 区政府统筹: a subject three characters long is not a modifier; the sentence is no list of tasks.
    text = "《意见》还要求，区政府统筹老旧小区加装电梯，优先支持高层住宅；全域建设社区食堂，覆盖所有街道。"
    assert not clause_lists(text)


def test_common_plan_verbs_open_items() -> None:
    # 推广 / 制定 / 出台 open tasks in every plan: a clause list of them is a list.
    text = "此外，《方案》提出推广装配式建筑，制定社区服务标准，出台住房租赁扶持办法。"
    items = [text[i.start:i.end] for f in clause_lists(text) for i in f.items]
    assert items == ["推广装配式建筑", "制定社区服务标准", "出台住房租赁扶持办法"]


def test_a_clause_item_may_carry_its_own_list_of_objects() -> None:
    # 用好A、B和C is one verb phrase with three objects: longer than a 、-list item may be (40), it is
    # still one clause of the list; a clause longer than a sentence-sized phrase (50) is prose.
    text = "同时，《方案》要求深化城乡供水管理体制改革，用好地方政府专项债券、农村供水工程建设专项借款和基础设施领域不动产投资信托基金项目。"
    found = clause_lists(text)
    items = [text[i.start:i.end] for f in found for i in f.items]
    assert items == ["深化城乡供水管理体制改革", "用好地方政府专项债券、农村供水工程建设专项借款和基础设施领域不动产投资信托基金项目"]
    assert 40 < len(items[1]) <= 50
    prose = text.replace("信托基金项目", "信托基金项目以及各类社会资本投资基金和政策性开发性金融工具")
    assert not clause_lists(prose)
