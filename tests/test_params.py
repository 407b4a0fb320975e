"""MatchParams: the defaults are the calibrated matcher, and every field is the caller's to change."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from aligner import match
from aligner.match import align, prepare_national
from aligner.model import Kind, Relation
from aligner.normalise import normalise
from aligner.params import MatchParams, Thresholds
from aligner.parse import parse
from aligner.pipeline import load_plan
from aligner.thesaurus import builtin_thesaurus

ROOT = Path(__file__).resolve().parent.parent

# The example pair (national × Qinghai) as the calibrated matcher answers it (search-mode words, link 0.44):
# (provincial task, national task, score, relation).
EXAMPLE_LINKS = [
    ("4.1.1", "3.2.4", 0.51, "partial"), ("4.2.1", "2.2.1", 1.0, "same"), ("4.2.2", "2.2.2", 1.0, "same"),
    ("4.2.3", "2.2.3", 1.0, "same"), ("4.2.4", "2.2.4", 1.0, "same"), ("4.2.5", "2.2.5", 1.0, "same"),
    ("4.2.6", "2.2.6", 1.0, "same"), ("4.2.7", "2.3.1", 1.0, "adapted"), ("4.2.8", "2.3.2", 1.0, "adapted"),
    ("4.3.1", "3.2.1", 1.0, "adapted"), ("4.3.2", "3.2.4", 0.8556, "adapted"), ("4.3.3", "3.2.2", 1.0, "same"),
    ("4.3.5", "3.2.3", 1.0, "same"), ("4.3.6", "3.3.2", 1.0, "same"),
    ("4.3.7", "3.3.3", 0.6238, "adapted"), ("4.3.8", "3.3.1", 1.0, "same"), ("4.4.2", "4.2.1", 0.6616, "adapted"),
    ("4.4.3", "4.2.2", 0.9255, "adapted"), ("4.4.4", "4.2.4", 0.8495, "adapted"), ("4.4.5", "4.2.3", 1.0, "same"),
    ("4.4.6", "4.3.1", 0.5697, "adapted"), ("4.5.1", "5.2.1", 1.0, "same"), ("4.5.2", "5.2.2", 1.0, "adapted"),
    ("4.5.3", "5.2.3", 1.0, "same"), ("4.5.4", "5.2.4", 1.0, "same"), ("4.5.6", "5.2.5", 0.5839, "adapted"),
    ("4.5.7", "5.2.5", 0.4722, "partial"),
]
EXAMPLE_ADDITIONS = ["4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.3.4", "4.4.1", "4.5.5", "4.6.1", "4.6.2", "4.6.3", "4.6.4", "4.6.5"]


@pytest.fixture(scope="module")
def plans():
    return load_plan(ROOT / "plans" / "national.txt"), load_plan(ROOT / "plans" / "qinghai.txt")


def _rows(alignment):
    """The task and measure links (action ↔ action links are checked on their own)."""
    kinds = {c.id: c.kind for c in alignment.province.clauses}
    return [(l.province, l.national, l.score, l.relation.value) for l in alignment.links if kinds[l.province] is not Kind.ACTION]


def test_defaults_reproduce_the_calibrated_answer_on_the_example_pair(plans) -> None:
    alignment = align(*plans, builtin_thesaurus(), MatchParams())
    assert _rows(alignment) == EXAMPLE_LINKS
    assert alignment.additions == EXAMPLE_ADDITIONS
    kinds = {c.id: c.kind for c in alignment.province.clauses}
    action_links = [(l.province, l.national) for l in alignment.links if kinds[l.province] is Kind.ACTION]
    assert len(action_links) == len({p for p, _ in action_links}) >= 4  # each aligned action once
    status = {c.national: c.status.value for c in alignment.coverage}
    assert status["3.3.3"] == "covered" and status["5.3.1"] == "gap"
    assert sum(s == "covered" for s in status.values()) == 25
    best = next(l for l in alignment.links if (l.province, l.national) == ("4.4.3", "4.2.2"))
    assert best.evidence.shared_terms and best.evidence.sentence_score > 0


def test_the_defaults_are_the_documented_values() -> None:
    params = MatchParams()
    assert (params.same, params.adapted, params.link, params.second) == (0.90, 0.55, 0.44, 0.06)
    assert (params.action_lift, params.action_damp, params.action_match) == (0.20, 0.20, 0.40)
    assert (params.body_discount, params.agreement_bonus, params.named_floor) == (0.85, 0.25, 0.6)
    assert (params.evidence_national_sentences, params.evidence_province_sentences, params.evidence_terms) == (60, 40, 6)
    # The floor below which nothing can change a result: a link after the action lift.
    assert params.pair_floor() == pytest.approx(0.44 / 1.2)
    assert params.part_floor() == 0.55


def test_thresholds_is_the_same_class_for_the_cli() -> None:
    # The CLI reads class defaults for its options and builds Thresholds(link=…, adapted=…).
    assert match.Thresholds is Thresholds is MatchParams
    assert (Thresholds.link, Thresholds.adapted) == (0.44, 0.55)
    assert Thresholds(link=0.3, adapted=0.6) == MatchParams(link=0.3, adapted=0.6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        MatchParams().link = 0.1  # type: ignore[misc]


@pytest.mark.parametrize(
    "change",
    [
        {"body_discount": 0.5},
        {"agreement_bonus": 0.0},
        {"spread_without_body": 0.2, "spread_with_body": 0.2},
        {"action_name_weight": 1.0, "action_share_weight": 0.0},
        {"title_ratio_power": 1},
        {"rare_word_power": 1},
        {"idf_smoothing": 2.0},
        {"action_lift": 0.0},
        {"action_damp": 0.0},
        {"action_match": 0.9},
        {"same": 0.5},
    ],
)
def test_each_weight_is_used(plans, change) -> None:
    default = align(*plans, builtin_thesaurus(), MatchParams())
    changed = align(*plans, builtin_thesaurus(), MatchParams(**change))
    assert _rows(changed) != _rows(default)


def test_evidence_limits_are_used(plans) -> None:
    default = align(*plans, builtin_thesaurus(), MatchParams())
    terse = align(*plans, builtin_thesaurus(), MatchParams(evidence_terms=1, excerpt_width=10))
    assert _rows(terse) == _rows(default)  # evidence only, never the links
    assert max(len(l.evidence.shared_terms) for l in default.links) > 1
    assert all(len(l.evidence.shared_terms) <= 1 for l in terse.links)
    assert all(len(l.evidence.province_sentence) <= 12 for l in terse.links)


def test_reused_national_units_are_prepared_again_for_other_preparation_parameters(plans) -> None:
    national, province = plans
    thesaurus = builtin_thesaurus()
    cached = prepare_national(national, thesaurus)  # what the cache holds: default preparation
    params = MatchParams(min_phrase_chars=12, evidence_national_sentences=1)
    reused = align(national, province, thesaurus, params, cached)
    fresh = align(national, province, thesaurus, params)
    assert _rows(reused) == _rows(fresh)
    assert [l.evidence for l in reused.links] == [l.evidence for l in fresh.links]


def test_merged_title_part_length_is_used(plans) -> None:
    national = plans[0]
    province = parse(normalise("p.txt", "某省实施方案\n一、实施新一轮农业转移人口市民化行动\n"
                                        "（一）健全住房和社会保障体系。将农业转移人口纳入住房保障，完善社保关系转移接续。\n"))

    def linked(params: MatchParams) -> set[str]:
        return {l.national for l in align(national, province, builtin_thesaurus(), params).links}

    both = linked(MatchParams())
    assert {"2.2.5", "2.2.6"} <= both  # 住房保障体系 by the whole title, 社会保障体系 by its part
    # Parts too short to look up, and no body phrase read (its 完善社保关系转移接续 also names 2.2.6).
    assert linked(MatchParams(min_part_chars=20, body_phrase=1.01)) == both - {"2.2.6"}
    assert linked(MatchParams(min_part_chars=20)) == both  # the body phrase alone finds it


def test_link_threshold_decides_what_is_linked(plans) -> None:
    strict = align(*plans, builtin_thesaurus(), MatchParams(link=0.8, adapted=0.8))
    # Below the threshold only the links whose evidence says why: the one task a bodiless title
    # resembles (MatchParams.lone_title, a fraction of link: here 0.58).
    below = [l for l in strict.links if l.score < 0.8]
    assert all(any("the only national task" in n for n in l.evidence.notes) and l.score >= 0.58 for l in below)
    assert strict.links and all(l.relation is not Relation.PARTIAL for l in strict.links if l not in below)
    assert len(strict.additions) > len(EXAMPLE_ADDITIONS)
