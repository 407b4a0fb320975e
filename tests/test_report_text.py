"""Shared report helpers: titles per script, counts, the coverage percentage, target pairing."""

from __future__ import annotations

import pytest
from report_fixtures import alignment, block_targets, empty_alignment, use_fake_targets

from aligner.model import Kind, Status
from aligner.report.text import (
    coverage_percent,
    display_title,
    group_by_action,
    percent_of,
    status_symbol,
    summary_counts,
    summary_line,
    target_pairs,
)


def test_display_title_scripts() -> None:
    al = alignment()
    clause = al.province.by_id()["1.1"]
    assert display_title(al.province, clause, "original") == "深化戶籍制度改革"
    assert display_title(al.province, clause, "simplified") == "深化户籍制度改革"
    assert display_title(al.province, clause, "traditional") == "深化戶籍制度改革"
    # no original title recorded → the simplified title stands in
    plain = al.province.by_id()["2.1"]
    assert display_title(al.province, plain, "original") == plain.title


def test_display_title_rejects_unknown_script() -> None:
    al = alignment()
    with pytest.raises(ValueError, match="script"):
        display_title(al.national, al.national.clauses[0], "pinyin")


def test_status_symbols_are_distinct() -> None:
    symbols = {status_symbol(s) for s in Status}
    assert symbols == {"✔", "◐", "✘"}


def test_summary_counts() -> None:
    counts = summary_counts(alignment())
    assert (counts.tasks, counts.covered, counts.partial, counts.gap) == (6, 4, 1, 1)
    assert (counts.measures, counts.measures_covered) == (2, 1)
    assert counts.additions == 1
    assert summary_line(counts) == "4/6 covered, 1 partial, 1 gap"


def test_coverage_percent_counts_partial_as_half_and_ignores_measures() -> None:
    assert coverage_percent(alignment()) == pytest.approx((4 + 0.5) / 6 * 100)
    assert coverage_percent(empty_alignment()) == 0.0
    assert percent_of([]) == 0.0
    assert percent_of([Status.PARTIAL, Status.PARTIAL]) == 50.0


def test_group_by_action_keeps_plan_order_and_puts_loose_last() -> None:
    al = alignment()
    ids = [c.id for c in al.national.of_kind(Kind.TASK)] + ["1"]
    groups = group_by_action(al.national, ids)
    assert [a.id if a else None for a, _ in groups] == ["2", "3", None]
    assert groups[0][1] == ["2.2.1", "2.2.2", "2.2.3"]
    assert groups[-1][1] == ["1"]


def test_target_pairs_absent_without_module(monkeypatch: pytest.MonkeyPatch) -> None:
    block_targets(monkeypatch)
    assert target_pairs(alignment()) is None


def test_target_pairs_uses_module(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_targets(monkeypatch)
    pairs = target_pairs(alignment())
    assert pairs is not None
    assert [(n.value if n else None, p.value if p else None) for n, p in pairs] == [
        ("接近70%", "65%"),
        ("明显提高", None),
        (None, "5万人"),
    ]


def test_real_pair_targets_when_present() -> None:
    """Once aligner/targets.py exists, its pairing must fit the shape the reports expect."""
    pytest.importorskip("aligner.targets")
    pairs = target_pairs(alignment())
    assert pairs is not None
    for national, province in pairs:
        assert national is not None or province is not None
        assert national is None or national in alignment().national.targets
        assert province is None or province in alignment().province.targets
