"""Edges of the inline-list, question-heading and count rules, each found by review: the input, and
what a reader of the document would say it holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner import align, inline, parse_plan
from aligner.errors import InputError
from aligner.headings import question_part
from aligner.model import Kind
from aligner.normalise import normalise

NATIONAL = (Path(__file__).resolve().parent.parent / "plans" / "national.txt").read_text(encoding="utf-8")
HEAD = "我省印发碳达峰实施方案\n"


def _items(find, text: str) -> list[list[str]]:
    return [[text[i.start:i.end] for i in found.items] for found in find(text)]


def test_a_semicolon_closing_the_sentence_leaves_no_empty_item() -> None:
    text = "《方案》明确，加大财政支持，设立专项资金；强化金融支持，创新绿色信贷产品；"
    assert _items(inline.clause_lists, text) == [["加大财政支持", "强化金融支持"]]


def test_segment_lists_and_comma_lists_of_other_sentences_are_both_found() -> None:
    text = "《方案》要求，推进产业转型升级，加快发展新能源，完善市场机制。同时，方案明确，加大财政支持力度；强化金融支持力度。"
    assert _items(inline.clause_lists, text) == [["推进产业转型升级", "加快发展新能源", "完善市场机制"],
                                                 ["加大财政支持力度", "强化金融支持力度"]]


def test_segment_items_keep_their_bodies() -> None:
    plan = parse_plan(HEAD + "《方案》明确，加大财政支持，设立专项资金；强化金融支持，创新绿色信贷产品。\n记者了解到，反响良好。\n")
    bodies = {c.title: c.text for c in plan.clauses if c.kind is Kind.TASK}
    assert bodies == {"加大财政支持": "设立专项资金", "强化金融支持": "创新绿色信贷产品"}


def test_a_verb_after_a_comma_is_the_items_own() -> None:
    text = "会议要求，明确责任分工、强化督促检查、严格考核问责。"
    assert _items(inline.find_lists, text)[0][0] == "明确责任分工"


def test_cong_inside_a_word_opens_no_aspects() -> None:
    assert inline.find_lists("要加强统筹，从而推动产业转型升级、促进城乡融合发展两个方面取得突破。") == []


def test_aspects_joined_by_he_are_split_by_their_count() -> None:
    found = inline.find_lists("从加强组织领导、强化政策支持和加强宣传引导三个方面提出保障措施。")
    assert len(found[0].items) == 3 and not found[0].count_mismatch


def test_around_a_goal_is_a_purpose_not_a_topic() -> None:
    # 围绕实现碳达峰目标 says why, not what: no group is made, and one clause is no list.
    with pytest.raises(InputError):
        parse_plan(HEAD + "围绕实现碳达峰目标，《方案》提出，加快推进能源结构调整。\n记者了解到，反响良好。\n")


def test_a_question_on_a_field_is_left_to_the_structure() -> None:
    assert question_part("如何推进工业领域碳达峰") is None
    assert question_part("实施方案的出台背景是什么") == "context"
    assert question_part("部署了哪些重点任务") == "tasks"


def test_a_plan_numbered_by_yishi_lines_keeps_its_bodies() -> None:
    plan = parse_plan("XX市2024年城镇化工作要点\n一是深化户籍制度改革。\n全面放开落户限制，简化落户手续。\n"
                      "二是推进城镇老旧小区改造。\n加快改造老旧小区。\n")
    assert [c.text for c in plan.clauses] == ["全面放开落户限制,简化落户手续。", "加快改造老旧小区。"]


def test_the_plans_own_count_stays_after_a_mention_of_the_central_government() -> None:
    body = ("一、重点任务\n（一）推进能源结构调整\n加快发展新能源。\n（二）推进产业结构优化\n加快传统产业改造。\n"
            "（三）推进交通结构优化\n发展绿色交通。\n二、保障措施\n加强组织领导。\n")
    plan = parse_plan("XX省碳达峰实施方案\n为贯彻落实党中央、国务院决策部署，我省出台《XX省碳达峰实施方案》，部署三项重点任务。\n"
                      + body)
    assert plan.declared.get("tasks") == 3


def test_a_body_phrase_that_mentions_a_task_in_passing_links_nothing() -> None:
    province = ("XX省新型城镇化实施方案\n一、总体要求\n坚持以人为本。\n二、重点任务\n（一）加强城市洪涝治理\n"
                "完善城市排水防涝体系，与提升城际通勤效率统筹考虑，建设海绵城市。\n三、保障措施\n加强组织领导。\n")
    links = align(NATIONAL, province).alignments[0].links
    assert not any(link.national == "4.2.1" for link in links)  # 提升城际通勤效率


def test_a_double_spaced_text_layer_is_still_rejoined() -> None:
    lines = ["一、重点任务"] + ["推进城镇老旧小区改造，加快完善社区配套设施，提升居住品质和环境质",
                            "量，统筹推进城中村改造和保障性住房建设，有序推进城市更新行动实"] * 4 + ["施。"]
    assert len(normalise("x.txt", "\n\n".join(lines)).lines) == 2
