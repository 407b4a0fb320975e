"""The honest-warning checks: each code fires on the input it is for and stays quiet otherwise.

Small plans are written here the way Chinese plans and regulations are written (总体要求 …
组织实施, 第X条 … 本条例自…起施行, 根据《…》) and go through the real normaliser and parser. The
real documents in ../shared are checked as national → province pairs with the codes expected of
each (skipped when ../shared is absent); the swapped case uses the plans in the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from aligner.checks import (
    ARGUMENTS_SWAPPED,
    DECLARED_COUNT_MISMATCH,
    GARBLED_TEXT,
    LOST_LINE_BREAKS,
    NOT_AN_IMPLEMENTATION,
    PARTIAL_LISTING,
    TRUNCATED,
    Notice,
    check_pair,
    check_plan,
    unreliable_coverage,
)
from aligner.match import Thresholds
from aligner.model import Alignment, CleanText, Coverage, Evidence, Kind, Link, Plan, Relation, Status
from aligner.normalise import normalise
from aligner.parse import parse
from aligner.pipeline import align_plans
from aligner.read import read_document
from aligner.thesaurus import builtin_thesaurus

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def plan_of(text: str, name: str = "doc.txt") -> tuple[Plan, CleanText]:
    clean = normalise(name, text)
    return parse(clean), clean


def codes(notices: list[Notice]) -> list[str]:
    return [n.code for n in notices]


NATIONAL = """深入推进城乡水利建设行动计划
一、总体要求
坚持以人为本，统筹发展和安全，全面提升水利保障能力。
二、实施农村供水保障行动
（一）推进农村供水规模化建设。以县域为单元，推进城乡供水一体化，建设规模化供水工程，提升农村自来水普及率。
（二）加强水源地保护。划定农村饮用水水源保护区，开展水源地环境整治，保障饮水安全。
三、实施城市防洪排涝能力提升行动
（一）完善城市防洪工程体系。加快堤防达标建设，整治病险水库，提高城市防洪标准。
（二）推进城市排水防涝设施建设。改造易涝积水点，建设雨水调蓄设施，完善城市排水管网。
四、组织实施
各地区要结合实际制定实施方案，抓好任务落实。
"""

PROVINCE_BODY = """一、总体要求
坚持以人为本，全面提升全省水利保障能力。
二、实施农村供水保障行动
（一）推进农村供水规模化建设。以县为单元推进城乡供水一体化，新建一批规模化供水工程，农村自来水普及率达到90%。
（二）加强水源地保护。完成农村饮用水水源保护区划定，开展水源地环境整治。
三、实施城市防洪排涝能力提升行动
（一）完善城市防洪工程体系。推进堤防达标建设，完成病险水库除险加固。
（二）推进城市排水防涝设施建设。全面改造易涝积水点，建设雨水调蓄设施。
四、组织实施
各市县要细化任务清单，确保各项任务落地见效。
"""

PROVINCE = "甲省深入推进城乡水利建设行动计划实施方案\n" + PROVINCE_BODY

MEETING_REPORT = """新闻办召开发布会介绍文化旅游工作情况
会议指出，一是推动文化旅游融合发展，打造一批精品旅游线路。二是加强非物质文化遗产保护传承，办好传统节庆活动。三是提升博物馆公共服务水平，推进智慧博物馆建设。四是发展夜间经济，丰富假日消费供给。
"""


@cache
def thesaurus():
    return builtin_thesaurus()


def align_texts(national: str, province: str) -> tuple[Plan, Plan, Alignment, CleanText, CleanText]:
    n_plan, n_clean = plan_of(national, "national.txt")
    p_plan, p_clean = plan_of(province, "province.txt")
    return n_plan, p_plan, align_plans(n_plan, p_plan, thesaurus(), Thresholds()), n_clean, p_clean


# --- Notice and unreliable_coverage ----------------------------------------------------------------


def test_notice_serialises_code_message_and_line() -> None:
    notice = Notice(TRUNCATED, "The text seems cut off.", 12)
    assert notice.to_json() == {"code": "truncated", "message": "The text seems cut off.", "line": 12}


def test_coverage_is_unreliable_only_under_truncation_or_not_an_implementation() -> None:
    assert unreliable_coverage([Notice(TRUNCATED, "m")])
    assert unreliable_coverage([Notice(DECLARED_COUNT_MISMATCH, "m"), Notice(NOT_AN_IMPLEMENTATION, "m")])
    assert not unreliable_coverage([Notice(DECLARED_COUNT_MISMATCH, "m"), Notice(GARBLED_TEXT, "m")])
    assert not unreliable_coverage([Notice(ARGUMENTS_SWAPPED, "m")])
    assert not unreliable_coverage([])


# --- truncated ---------------------------------------------------------------------------------


def test_a_complete_plan_gets_no_warning() -> None:
    plan, clean = plan_of(PROVINCE)
    assert check_plan(plan, clean) == []
    assert check_plan(plan) == []


def test_a_plan_cut_inside_a_sentence_is_truncated_at_its_last_line() -> None:
    cut = PROVINCE.replace("建设雨水调蓄设施。\n四、组织实施\n各市县要细化任务清单，确保各项任务落地见效。\n", "建设雨水调蓄设施，完善")
    plan, clean = plan_of(cut)
    for notices in (check_plan(plan, clean), check_plan(plan)):
        assert codes(notices) == [TRUNCATED]
        assert "mid-sentence" in notices[0].message
        assert notices[0].line == clean.lines[-1].number
    assert "调蓄设施,完善" in check_plan(plan, clean)[0].message  # as normalised (full-width folded)


def test_a_bracket_left_open_at_the_end_is_truncated_when_the_text_is_given() -> None:
    # The parser lifts （责任单位：… out of the clause text, so only the lines still show the cut.
    text = PROVINCE_BODY.split("四、组织实施")[0] + "（三）开展水毁工程修复。及时修复水毁工程。（责任单位：省水利厅"
    text = text.replace("（三）", "四、开展水毁工程修复行动\n（一）")
    plan, clean = plan_of(text)
    notices = check_plan(plan, clean)
    assert codes(notices) == [TRUNCATED]
    assert "(责任单位:省水利厅" in notices[0].message


def test_a_long_tail_without_any_punctuation_is_truncated_a_short_footer_is_not() -> None:
    long_tail = PROVINCE + "各市县要结合本地实际情况统筹推进城乡供水一体化和防洪排涝设施建设工作并加强"
    plan, clean = plan_of(long_tail)
    assert codes(check_plan(plan, clean)) == [TRUNCATED]
    for footer in ("打印本页 关闭窗口", "附件：重点任务分工表", "甲省人民政府办公厅 2024年12月1日", "网站地图 | 联系我们 | 使用帮助"):
        plan, clean = plan_of(PROVINCE + footer + "\n")
        assert check_plan(plan, clean) == [], footer
        assert check_plan(plan) == [], footer


def test_a_plan_that_opens_like_a_plan_but_has_no_closing_part_is_truncated() -> None:
    text = PROVINCE.split("三、实施城市防洪排涝")[0]  # ends with a full stop, just too early
    plan, clean = plan_of(text)
    for notices in (check_plan(plan, clean), check_plan(plan)):
        assert codes(notices) == [TRUNCATED]
        assert "no closing part" in notices[0].message
        assert "二、实施农村供水保障行动" in notices[0].message


def test_a_news_summary_listing_fewer_tasks_than_it_declares_is_not_called_truncated() -> None:
    text = ("某市印发空气质量持续改善行动方案 七个方面21项重点任务\n"
            "在交通结构调整方面，《方案》部署了两项举措：一是推动大宗货物公转铁；二是加快公共领域车辆电动化。\n"
            "在面源污染防治方面，《方案》要求重点抓好工地扬尘管控、道路扬尘治理、秸秆焚烧防控等工作。\n")
    plan, clean = plan_of(text)
    notices = check_plan(plan, clean)
    assert codes(notices) == [PARTIAL_LISTING, DECLARED_COUNT_MISMATCH]
    assert unreliable_coverage(notices)  # its gaps may be tasks it does not list, not tasks the plan lacks
    assert "21" in notices[0].message and "摘要" in (notices[0].message_zh or "")


def test_closing_parts_are_recognised_in_their_usual_wordings() -> None:
    for closing in ("五、保障措施", "五、加强组织领导", "五、强化组织保障", "五、抓好贯彻落实", "五、强化要素保障", "五、强化督导考核"):
        text = PROVINCE.split("四、组织实施")[0] + closing + "\n各地要加强统筹协调。\n"
        plan, clean = plan_of(text)
        assert TRUNCATED not in codes(check_plan(plan, clean)), closing


def test_a_closing_part_with_numbered_items_is_still_a_closing_part() -> None:
    # The parser calls such a top-level part an action; its name still says what it is.
    closing = "四、切实加强组织实施\n（一）加强组织领导。统筹推进。\n（二）强化监测评估。定期评估。\n"
    plan, clean = plan_of(PROVINCE.split("四、组织实施")[0] + closing)
    assert check_plan(plan, clean) == []


def test_an_action_named_after_a_safeguard_is_not_a_closing_part() -> None:
    text = PROVINCE.split("四、组织实施")[0] + "四、实施水利安全保障行动\n（一）加强水利工程安全监测。完善监测体系。\n"
    plan, clean = plan_of(text)
    assert codes(check_plan(plan, clean)) == [TRUNCATED]


def test_parts_without_an_opening_part_are_not_judged_by_structure() -> None:
    # A news report quoting tasks (一是…二是…) has no 总体要求 … 组织实施 to be measured against.
    plan, clean = plan_of(MEETING_REPORT)
    assert check_plan(plan, clean) == []
    assert check_plan(plan) == []


REGULATION = """# 甲省水资源管理条例
第一章 总则
第一条 为了加强水资源管理，根据《中华人民共和国水法》，结合本省实际，制定本条例。
第二条 本省行政区域内水资源的开发、利用、节约和保护，适用本条例。
第二章 水资源规划
第三条 县级以上人民政府应当组织编制水资源规划，报上一级人民政府备案。
第四条 水资源规划应当与国土空间规划相衔接。
第三章 附则
第五条 本条例自2025年1月1日起施行。
"""


def test_a_complete_regulation_gets_no_warning() -> None:
    plan, clean = plan_of(REGULATION)
    assert check_plan(plan, clean) == []
    assert check_plan(plan) == []


def test_a_regulation_cut_before_its_last_chapter_is_truncated() -> None:
    plan, clean = plan_of(REGULATION.split("第三章")[0])
    notices = check_plan(plan, clean)
    assert codes(notices) == [TRUNCATED]
    assert "总则" in notices[0].message


def test_a_regulation_whose_last_article_states_entry_into_force_is_complete_without_a_附则() -> None:
    plan, clean = plan_of(REGULATION.replace("第三章 附则\n", ""))
    assert check_plan(plan, clean) == []


# --- declared-count-mismatch -----------------------------------------------------------------------


def test_declared_task_count_that_disagrees_is_reported_and_one_that_agrees_is_not() -> None:
    agreeing = PROVINCE.replace("坚持以人为本，", "共有4项重点任务。坚持以人为本，")
    plan, clean = plan_of(agreeing)
    assert plan.declared == {"tasks": 4}
    assert check_plan(plan, clean) == []
    plan, clean = plan_of(agreeing.replace("共有4项", "共有6项"))
    notices = check_plan(plan, clean)
    assert codes(notices) == [DECLARED_COUNT_MISMATCH]
    assert "declares 6 key tasks but 4 were found" in notices[0].message


def test_fewer_actions_than_declared_and_no_closing_part_is_also_truncated() -> None:
    text = "共有3大行动。\n" + PROVINCE_BODY.split("三、实施城市防洪排涝")[0].replace("一、总体要求\n", "一、坚持系统观念\n")
    plan, clean = plan_of(text)
    assert plan.declared.get("actions") == 3
    notices = check_plan(plan, clean)
    assert codes(notices) == [TRUNCATED, DECLARED_COUNT_MISMATCH]
    assert "declares 3 actions" in notices[0].message


# --- garbled-text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param(lambda t: t.encode("utf-8").decode("gbk", "replace"), id="utf-8 read as gbk"),
        pytest.param(lambda t: t.encode("utf-8").decode("cp1252", "replace"), id="utf-8 read as cp1252"),
        pytest.param(lambda t: t.encode("gbk").decode("utf-8", "replace"), id="gbk read as utf-8"),
    ],
)
def test_a_wholly_garbled_plan_is_refused_as_garbled_not_as_not_a_plan(wrong) -> None:
    # Garbled through and through, a plan keeps no clause; the refusal must name the encoding.
    from aligner.errors import InputError
    from aligner.model import SourceText
    from aligner.pipeline import plan_of_source

    text = read_document(REPO / "tests/fixtures/provinces/sichuan.txt").text
    with pytest.raises(InputError, match=r"garbled .*wrong encoding"):
        plan_of_source(SourceText("sichuan.txt", wrong(text), "utf-8"))
    with pytest.raises(InputError, match="is it a plan"):  # a readable text without tasks: the old message
        plan_of_source(SourceText("note.txt", "这是一段普通的说明文字，没有任何任务条目。\n", "utf-8"))


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param(lambda t: t.encode("utf-8").decode("gbk", "replace"), id="utf-8 read as gbk"),
        pytest.param(lambda t: t.encode("utf-8").decode("latin-1"), id="utf-8 read as latin-1"),
        pytest.param(lambda t: t.encode("gbk").decode("utf-8", "replace"), id="gbk read as utf-8"),
    ],
)
def test_text_read_in_the_wrong_encoding_is_garbled(wrong) -> None:
    # Garbling hides the numbering too, so the whole text is judged, not only the clauses found.
    plan, clean = plan_of(wrong(PROVINCE))
    notices = check_plan(plan, clean)
    assert GARBLED_TEXT in codes(notices)
    assert "not ordinary Chinese text" in next(n for n in notices if n.code == GARBLED_TEXT).message
    # A longer plan keeps some clauses through the garbling: they alone show it.
    fixture = read_document(REPO / "tests/fixtures/provinces/henan.txt").text
    plan, clean = plan_of(wrong(fixture))
    if plan.clauses:
        assert GARBLED_TEXT in codes(check_plan(plan))
    else:  # the normaliser recognised the mojibake signature and cut every line: nothing left to align
        assert clean.notes and all("mojibake" in note for note in clean.notes)


def test_rare_place_names_do_not_make_a_plan_garbled() -> None:
    plan, clean = plan_of(PROVINCE.replace("全省", "泸州、鄱阳、邕江、滇池、黔南"))
    assert check_plan(plan, clean) == []


def test_many_lines_cut_as_mojibake_make_a_plan_garbled_one_line_does_not() -> None:
    bad = "?。ㄒ唬嵤┬乱惠嗈┌┐"
    lines = PROVINCE.splitlines()
    one = "\n".join([*lines[:3], bad, *lines[3:]]) + "\n"
    plan, clean = plan_of(one)
    assert GARBLED_TEXT not in codes(check_plan(plan, clean))
    many = "\n".join(line + "\n" + bad for line in lines) + "\n"
    plan, clean = plan_of(many)
    notices = check_plan(plan, clean)
    assert GARBLED_TEXT in codes(notices)
    assert "lines had to be cut as mojibake" in next(n for n in notices if n.code == GARBLED_TEXT).message


# --- not-an-implementation and arguments-swapped on constructed pairs ----------------------------


def test_an_implementation_plan_gets_no_pair_warning() -> None:
    n_plan, p_plan, alignment, n_clean, p_clean = align_texts(NATIONAL, PROVINCE)
    assert check_pair(n_plan, p_plan, alignment, n_clean, p_clean) == []
    assert check_pair(n_plan, p_plan, alignment) == []


def test_an_unrelated_report_is_not_an_implementation() -> None:
    n_plan, p_plan, alignment, n_clean, p_clean = align_texts(NATIONAL, MEETING_REPORT)
    for notices in (check_pair(n_plan, p_plan, alignment, n_clean, p_clean), check_pair(n_plan, p_plan, alignment)):
        assert codes(notices) == [NOT_AN_IMPLEMENTATION]
        assert "0 of 4 national tasks" in notices[0].message
        assert "neither names the national document" in notices[0].message


def test_swapped_arguments_are_caught_by_title_and_the_right_order_is_not() -> None:
    p_plan, n_plan, alignment, p_clean, n_clean = align_texts(PROVINCE, NATIONAL)
    notices = check_pair(p_plan, n_plan, alignment, p_clean, n_clean)
    assert codes(notices) == [ARGUMENTS_SWAPPED]
    assert "甲省深入推进城乡水利建设行动计划实施方案" in notices[0].message
    n_plan, p_plan, alignment, n_clean, p_clean = align_texts(NATIONAL, PROVINCE)
    assert ARGUMENTS_SWAPPED not in codes(check_pair(n_plan, p_plan, alignment, n_clean, p_clean))


def test_swapped_arguments_are_caught_by_a_citation() -> None:
    national_law = "# 中华人民共和国水法\n" + REGULATION.split("\n", 1)[1].replace("根据《中华人民共和国水法》，结合本省实际，", "")
    first, first_clean = plan_of(REGULATION, "province.txt")
    second, second_clean = plan_of(national_law, "national.txt")
    alignment = align_plans(first, second, thesaurus(), Thresholds())
    notices = check_pair(first, second, alignment, first_clean, second_clean)
    assert ARGUMENTS_SWAPPED in codes(notices)
    assert "根据《中华人民共和国水法》" in next(n for n in notices if n.code == ARGUMENTS_SWAPPED).message


def test_documents_that_name_each_other_are_not_called_swapped() -> None:
    national = NATIONAL.replace("各地区要结合实际制定实施方案", "各地区要参照《甲省深入推进城乡水利建设行动计划实施方案》制定实施方案")
    p_plan, n_plan, alignment, p_clean, n_clean = align_texts(PROVINCE, national)
    assert ARGUMENTS_SWAPPED not in codes(check_pair(p_plan, n_plan, alignment, p_clean, n_clean))


# --- not-an-implementation: how the signals combine (hand-built alignments) ------------------------


def linked(national: Plan, province: Plan, national_linked: int, province_linked: int) -> Alignment:
    """An alignment where the first n national units and the first m provincial tasks are linked."""
    n_units = national.of_kind(Kind.TASK, Kind.MEASURE)
    p_units = province.of_kind(Kind.TASK, Kind.MEASURE)
    evidence = Evidence((), "", "", 0.0)
    links = [
        Link(p.id, n_units[i % len(n_units)].id, 0.6, Relation.ADAPTED, evidence)
        for i, p in enumerate(p_units[:province_linked])
    ]
    coverage = [
        Coverage(n.id, Status.COVERED if i < national_linked else Status.GAP, 0.6 if i < national_linked else 0.0, ())
        for i, n in enumerate(n_units)
    ]
    return Alignment(national, province, links, coverage, [p.id for p in p_units[province_linked:]])


TEN_TASKS = "一、总体要求\n推动发展。\n二、重点任务\n" + "".join(
    f"（{n}）开展第{n}类水利工作。推进相关建设。\n" for n in "一二三四五六七八九十"
) + "三、组织实施\n抓好落实。\n"


def test_weak_linkage_passes_when_the_document_cites_the_national_document_number() -> None:
    national, n_clean = plan_of("深入推进城乡水利建设行动计划\n国发〔2030〕9号\n" + TEN_TASKS, "national.txt")
    cites = "为贯彻落实国务院有关部署（国发〔2030〕9号），制定本方案。\n" + TEN_TASKS
    province, p_clean = plan_of(cites, "province.txt")
    alignment = linked(national, province, 1, 2)  # 10 % and 20 %: weak
    assert check_pair(national, province, alignment, n_clean, p_clean) == []
    bare, bare_clean = plan_of(TEN_TASKS, "province.txt")
    notices = check_pair(national, bare, linked(national, bare, 1, 2), n_clean, bare_clean)
    assert codes(notices) == [NOT_AN_IMPLEMENTATION]


def test_naming_the_national_document_does_not_excuse_a_text_that_takes_up_nothing() -> None:
    national, n_clean = plan_of("深入推进城乡水利建设行动计划\n" + TEN_TASKS, "national.txt")
    province, p_clean = plan_of("学习《深入推进城乡水利建设行动计划》的体会\n" + TEN_TASKS, "province.txt")
    notices = check_pair(national, province, linked(national, province, 0, 0), n_clean, p_clean)
    assert codes(notices) == [NOT_AN_IMPLEMENTATION]
    assert "although it quotes" in notices[0].message


def test_an_implementation_title_relaxes_the_weak_linkage_thresholds_without_naming() -> None:
    national, n_clean = plan_of("深入推进城乡水利建设行动计划\n" + TEN_TASKS, "national.txt")
    titled, t_clean = plan_of("甲省水网建设实施方案\n" + TEN_TASKS, "province.txt")
    untitled, u_clean = plan_of(TEN_TASKS, "province.txt")
    assert len(national.of_kind(Kind.TASK, Kind.MEASURE)) == 10
    # 1 of 10 national units and 2 of 10 provincial tasks: weak, but not under half the thresholds.
    assert check_pair(national, titled, linked(national, titled, 1, 2), n_clean, t_clean) == []
    untitled_notices = check_pair(national, untitled, linked(national, untitled, 1, 2), n_clean, u_clean)
    assert codes(untitled_notices) == [NOT_AN_IMPLEMENTATION]
    assert "titled as an implementation plan" in untitled_notices[0].message


# --- the real documents ----------------------------------------------------------------------------


@cache
def load(path: str) -> tuple[Plan, CleanText]:
    clean = normalise(path, read_document(path).text)
    return parse(clean), clean


@cache
def pair_notices(national: str, province: str) -> tuple[list[str], list[str]]:
    """Codes with the texts given, and codes from the parsed plans alone."""
    (n_plan, n_clean), (p_plan, p_clean) = load(national), load(province)
    alignment = align_plans(n_plan, p_plan, thesaurus(), Thresholds())
    with_text = check_plan(p_plan, p_clean) + check_pair(n_plan, p_plan, alignment, n_clean, p_clean)
    plans_only = check_plan(p_plan) + check_pair(n_plan, p_plan, alignment)
    return codes(with_text), codes(plans_only)


def test_the_plans_in_the_repository_in_the_right_order_get_no_warning() -> None:
    assert pair_notices(str(REPO / "plans/national.txt"), str(REPO / "plans/qinghai.txt")) == ([], [])


def test_the_plans_in_the_repository_swapped_are_called_swapped() -> None:
    assert pair_notices(str(REPO / "plans/qinghai.txt"), str(REPO / "plans/national.txt")) == (
        [ARGUMENTS_SWAPPED],
        [ARGUMENTS_SWAPPED],
    )


@pytest.mark.parametrize("province", sorted(p.name for p in (REPO / "tests/fixtures/provinces").glob("*.txt")))
def test_constructed_provinces_get_no_warning(province: str) -> None:
    national = str(REPO / "plans/national.txt")
    assert pair_notices(national, str(REPO / "tests/fixtures/provinces" / province)) == ([], [])


@pytest.mark.parametrize("province", sorted(p.name for p in (REPO / "tests/fixtures/partial").glob("*.txt")))
def test_partial_plans_in_the_repository_are_truncated(province: str) -> None:
    national = str(REPO / "plans/national.txt")
    with_text, plans_only = pair_notices(national, str(REPO / "tests/fixtures/partial" / province))
    assert with_text == [TRUNCATED]
    assert plans_only == [TRUNCATED]


_NAT = "plans/national.txt"
_YS = "corpus/yingshang_national.txt"
_JN = "corpus/jienengfa_national.txt"
REAL_PAIRS = [
    # (national, province, codes with the texts, codes from the plans alone); plans/ is in the
    # repository (plans/examples/ holds copies of three seed documents), other paths are in ../shared
    (_NAT, "plans/examples/ndrc_meeting_2021.txt", [NOT_AN_IMPLEMENTATION], [NOT_AN_IMPLEMENTATION]),
    # News reports of the national plan itself name it and restate its tasks: nothing fires.
    (_NAT, "plans/examples/national_news_xinhua.txt", [], []),
    (_NAT, "plans/examples/national_news_digest.txt", [], []),
    (_NAT, "provinces_partial/gansu.txt", [TRUNCATED], [TRUNCATED]),
    (_NAT, "provinces_partial/hebei.txt", [TRUNCATED], [TRUNCATED]),
    (_NAT, "provinces_partial/hunan.txt", [TRUNCATED], [TRUNCATED]),
    *[(_YS, f"corpus/yingshang_{p}.txt", [], []) for p in ("beijing", "chongqing", "guangdong", "henan", "shandong")],
    (_YS, "corpus/yingshang_shanghai.txt", [], []),
    (_JN, "corpus/jienengfa_beijing.txt", [], []),
    (_JN, "corpus/jienengfa_zhejiang.txt", [], []),
    (_YS, "plans/qinghai.txt", [NOT_AN_IMPLEMENTATION], [NOT_AN_IMPLEMENTATION]),
    (_NAT, "corpus/yingshang_shandong.txt", [NOT_AN_IMPLEMENTATION], [NOT_AN_IMPLEMENTATION]),
    # The parser reads regulations' titles, so swapped regulations are caught from the plans alone too.
    ("corpus/yingshang_shandong.txt", _YS, [ARGUMENTS_SWAPPED], [ARGUMENTS_SWAPPED]),
    ("corpus/jienengfa_beijing.txt", _JN, [ARGUMENTS_SWAPPED], [ARGUMENTS_SWAPPED]),
]


def _real(path: str) -> str:
    return str(REPO / path) if path.startswith("plans/") else str(SHARED / path)


@pytest.mark.parametrize(("national", "province", "with_text", "plans_only"), REAL_PAIRS, ids=lambda x: str(x))
def test_real_documents(national: str, province: str, with_text: list[str], plans_only: list[str]) -> None:
    for path in (national, province):
        if not Path(_real(path)).exists():
            pytest.skip(f"{path} not available (../shared is development material)")
    assert pair_notices(_real(national), _real(province)) == (with_text, plans_only)


@pytest.mark.parametrize("national", ["corpus/tanfeng-yijian_national.txt", _YS, _JN])
def test_real_national_documents_raise_nothing_on_their_own(national: str) -> None:
    if not Path(_real(national)).exists():
        pytest.skip(f"{national} not available (../shared is development material)")
    plan, clean = load(_real(national))
    assert check_plan(plan, clean) == []
    assert check_plan(plan) == []


def test_real_truncated_plans_say_where_they_stop() -> None:
    path = SHARED / "provinces_partial" / "hebei.txt"
    if not path.exists():
        pytest.skip("../shared/provinces_partial not available")
    plan, clean = load(str(path))
    notice = check_plan(plan, clean)[0]
    assert notice.code == TRUNCATED
    assert notice.line == clean.lines[-1].number
    assert "招生力度,稳" in notice.message


# --- lost-line-breaks ----------------------------------------------------------------------------


def test_a_copy_that_lost_its_paragraph_breaks_says_so_and_its_coverage_is_unreliable() -> None:
    # The same plan pasted as one block: its parts run together in one line, the tree cannot be read.
    lines = PROVINCE_BODY.strip().splitlines()
    flat = "甲省深入推进城乡水利建设行动计划实施方案\n" + "".join(lines) * 2
    plan, clean = plan_of(flat)
    notices = check_plan(plan, clean)
    assert LOST_LINE_BREAKS in codes(notices) and unreliable_coverage(notices)
    (lost,) = [n for n in notices if n.code == LOST_LINE_BREAKS]
    assert lost.line == 2 and "连在一行" in lost.message_zh
    # As written, with its paragraph breaks: no such warning.
    assert LOST_LINE_BREAKS not in codes(check_plan(*plan_of(PROVINCE)))


def test_numbered_items_run_on_in_a_line_the_parser_reads_are_no_lost_breaks() -> None:
    # A city plan's condensed line (1)…。(2)…。(3)… is read item by item: nothing was lost.
    items = "".join(f"（{n}）推进第{n}项供水工程建设，完善配套管网，提升农村自来水普及率和供水保障水平，确保群众饮水安全。" * 1
                    for n in "一二三四五六")
    text = "甲省农村供水保障实施方案\n一、重点任务\n" + items * 2
    plan, clean = plan_of(text)
    assert len(clean.lines[-1].simplified) >= 400
    assert LOST_LINE_BREAKS not in codes(check_plan(plan, clean))


def test_a_one_block_copy_with_no_task_left_is_refused_with_that_reason() -> None:
    from aligner import InputError, parse_plan

    filler = "全省水利事业发展取得明显成效，城乡供水保障水平稳步提高，防洪排涝体系逐步完善，水生态环境持续改善，为经济社会发展提供了有力支撑。"
    text = ("甲省水利建设实施方案\n各市人民政府，省政府各部门：现将本方案印发给你们，请认真贯彻执行。"
            + "".join(f"{n}、{head}{filler * 2}" for n, head in zip("一二三", ("总体要求", "主要目标", "工作原则"))))
    with pytest.raises(InputError, match=r"paragraph breaks appear lost \(3 numbered parts run together in line 2\)"):
        parse_plan(text)
