"""The matcher on small constructed plans: each behaviour the README promises, in isolation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from aligner.match import align
from aligner.model import Kind, Relation, Status
from aligner.normalise import normalise
from aligner.params import MatchParams
from aligner.parse import parse
from aligner.thesaurus import builtin_thesaurus, parse_thesaurus

ROOT = Path(__file__).resolve().parent.parent
# The real national plan: IDF weights are only meaningful over a realistic number of clauses.
NATIONAL_TEXT = (ROOT / "plans" / "national.txt").read_text(encoding="utf-8")


def _plan(text: str, name: str):
    return parse(normalise(name, text))


def _province(tasks: str):
    return _plan("某省实施方案\n一、实施新一轮农业转移人口市民化行动\n" + tasks, "province.txt")


def _links(alignment):
    national = alignment.national.by_id()
    province = alignment.province.by_id()
    return {(province[l.province].title, national[l.national].title): l for l in alignment.links}


def test_near_verbatim_title_is_same_and_covers() -> None:
    alignment = align(_plan(NATIONAL_TEXT, "national.txt"), _province("（一）进一步深化户籍制度改革。放宽落户条件。\n"))
    link = _links(alignment)["进一步深化户籍制度改革", "进一步深化户籍制度改革"]
    assert link.relation is Relation.SAME and link.score > 0.9
    assert "户籍" in "".join(link.evidence.shared_terms)
    status = {c.national: c.status for c in alignment.coverage}
    assert status["2.2.1"] is Status.COVERED
    assert status["5.2.3"] is Status.GAP


def test_thesaurus_rewrite_and_umbrella_name() -> None:
    province = _province("（一）扩大农牧业转移人口社会保障覆盖面。\n（二）统筹推进“三大工程”。\n")
    links = _links(align(_plan(NATIONAL_TEXT, "national.txt"), province))
    assert ("扩大农牧业转移人口社会保障覆盖面", "扩大农业转移人口社会保障覆盖面") in links
    umbrella = links["统筹推进“三大工程”", "加快推进保障性住房建设、“平急两用”公共基础设施建设、城中村改造"]
    assert any("三大工程" in note for note in umbrella.evidence.notes)


def test_a_task_merging_two_national_tasks_links_both() -> None:
    province = _province("（一）健全住房和社会保障体系。将农业转移人口纳入住房保障，完善社保关系转移接续。\n")
    linked = {national for _, national in _links(align(_plan(NATIONAL_TEXT, "national.txt"), province))}
    assert linked >= {"完善农业转移人口多元化住房保障体系", "扩大农业转移人口社会保障覆盖面"}


def test_a_task_with_nothing_national_is_an_addition() -> None:
    province = _province("（一）进一步深化户籍制度改革。\n（二）加强民族团结进步创建。推进各民族交往交流交融。\n")
    alignment = align(_plan(NATIONAL_TEXT, "national.txt"), province)
    titles = {alignment.province.by_id()[a].title for a in alignment.additions}
    assert titles == {"加强民族团结进步创建"}


def _task_links(alignment):
    kinds = {c.id: c.kind for c in alignment.province.clauses}
    return [l for l in alignment.links if kinds[l.province] is not Kind.ACTION]


def test_user_thesaurus_changes_the_answer() -> None:
    province = _province("（一）治理城市内水。完善雨洪设施。\n")
    national = _plan(NATIONAL_TEXT, "national.txt")
    plain = align(national, province, parse_thesaurus("", "empty"))
    assert not _task_links(plain)  # the action it sits in is still the national action's counterpart
    extended = builtin_thesaurus().merged(parse_thesaurus("城市内水 => 城市洪涝治理", "mine.txt"))
    assert ("治理城市内水", "加强城市洪涝治理") in _links(align(national, province, extended))


def test_thresholds_are_the_users_to_set() -> None:
    province = _province("（一）治理城市洪涝。\n")
    national = _plan(NATIONAL_TEXT, "national.txt")
    assert align(national, province).links
    assert not align(national, province, params=MatchParams(link=0.99, adapted=0.99)).links


def test_measures_are_matched_and_covered_separately() -> None:
    province = _province("（一）完善农业转移人口市民化奖励政策。\n")
    alignment = align(_plan(NATIONAL_TEXT, "national.txt"), province)
    kinds = {alignment.national.by_id()[c.national].kind for c in alignment.coverage if c.status is not Status.GAP}
    assert kinds == {Kind.MEASURE}


def test_an_action_is_recognised_by_where_its_tasks_land_not_only_by_its_name() -> None:
    """A terse action name (实施市民化行动) must not cut its tasks off from the national action."""
    province = _plan(
        "某省实施方案\n一、实施市民化行动\n（一）健全住房和社会保障体系。将农业转移人口纳入住房保障，完善社保关系转移接续。\n",
        "province.txt",
    )
    linked = {national for _, national in _links(align(_plan(NATIONAL_TEXT, "national.txt"), province))}
    assert linked >= {"完善农业转移人口多元化住房保障体系", "扩大农业转移人口社会保障覆盖面"}


def test_a_body_phrase_restating_another_national_task_gives_a_partial_link() -> None:
    # The title names one national task; one phrase of the body restates a second one in its words.
    province = _province("（一）强化户籍制度改革。放开放宽落户限制，推行以经常居住地登记户口制度，加大公办学校学位供给力度。\n")
    links = _links(align(_plan(NATIONAL_TEXT, "national.txt"), province))
    body_link = links["强化户籍制度改革", "保障随迁子女在流入地受教育权利"]
    assert body_link.relation is Relation.PARTIAL
    assert any("加大公办学校学位供给力度" in note for note in body_link.evidence.notes)
    assert links["强化户籍制度改革", "进一步深化户籍制度改革"].relation is not Relation.PARTIAL


def test_a_body_phrase_that_names_nothing_on_its_own_adds_no_link() -> None:
    # Generic phrases (加强组织协调, 形成工作合力) restate no one national task.
    province = _province("（一）进一步深化户籍制度改革。加强组织协调，形成工作合力，确保取得实效。\n")
    links = _links(align(_plan(NATIONAL_TEXT, "national.txt"), province))
    assert {national for title, national in links if title == "进一步深化户籍制度改革"} == {"进一步深化户籍制度改革"}


def test_a_title_that_links_nowhere_links_through_a_body_phrase_that_restates_a_national_task() -> None:
    # Henan's 培育洛阳、南阳副中心城市 names places only; one phrase of its body (提升产业和人口承载能力)
    # restates 增强城镇综合承载能力 on its own (the fixture's gold links the two).
    from aligner.pipeline import load_plan

    national = load_plan(str(ROOT / "plans" / "national.txt"))
    province = load_plan(str(ROOT / "tests" / "fixtures" / "provinces" / "henan.txt"))
    links = _links(align(national, province))
    link = links["培育洛阳、南阳副中心城市", "增强城镇综合承载能力"]
    assert link.relation is Relation.PARTIAL and any("提升产业和人口承载能力" in n for n in link.evidence.notes)
    strict = _links(align(national, province, builtin_thesaurus(), MatchParams(body_phrase_alone=1.01)))
    assert not any(title == "培育洛阳、南阳副中心城市" for title, _ in strict)


def test_a_title_with_no_candidate_at_all_still_links_through_its_body() -> None:
    # 迭代深化“千万工程” shares no word with any national clause, so the candidate search offers its title
    # nothing; the body's phrase restating part of 增强城镇综合承载能力 must still be read (it was skipped
    # when a task had no title candidate, and only the exhaustive search found it).
    text = "（一）迭代深化“千万工程”。推动城镇基础设施和公共服务向乡村延伸覆盖，缩小差距。\n"
    province = _plan("某省实施方案\n一、实施潜力地区城镇化水平提升行动\n" + text, "province.txt")
    national = _plan(NATIONAL_TEXT, "national.txt")
    bounded = align(national, province)
    assert [(l.national, l.relation) for l in bounded.links] == [
        (l.national, l.relation) for l in align(national, province, params=MatchParams(exhaustive=True)).links
    ]
    (link,) = [l for l in bounded.links if l.province == "1.1"]  # the other: the action's own link
    assert link.national == "3.2.4" and link.relation is Relation.PARTIAL
    assert any("推动城镇基础设施和公共服务向乡村延伸覆盖" in note for note in link.evidence.notes)


def test_a_bodiless_item_that_singles_out_one_national_task_links_to_it_as_partial() -> None:
    # A listed item with no body (news: 重点抓好A、B等工作) below the link threshold: linked, as partial
    # and with its own score, only when one national task stands out from every other.
    national = _plan(NATIONAL_TEXT, "national.txt")
    province = _province("（一）新市民服务。\n（二）数字乡村。\n（三）古镇保护。\n")
    # 新市民服务 scores 0.55 (lifted), its runner-up 0.24: linked below this link threshold by ratio 2
    lowered = MatchParams(link=0.6, adapted=0.7, lone_title_ratio=2.0)
    default = align(national, province, params=lowered)
    links = {l.province: l for l in default.links}
    lone = links.get("1.1")
    assert lone is not None and lone.national == "2.3.1" and lone.relation is Relation.PARTIAL
    assert lowered.lone_title * lowered.link <= lone.score < lowered.link
    assert any("the only national task" in note for note in lone.evidence.notes)
    # 数字乡村 resembles two tasks alike; 古镇保护 (0.40, runner-up 0.11) shares only 保护 with one task's body, not its title
    assert {"1.2", "1.3"} <= set(default.additions)
    strict = align(national, province, params=replace(lowered, lone_title_ratio=10.0))
    assert "1.1" in strict.additions
