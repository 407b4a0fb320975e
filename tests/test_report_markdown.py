"""Markdown report: tables parse back with a constant column count and hostile text is inert."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import alignment, block_targets, empty_alignment, split_row, tables, use_fake_targets

from aligner.report.markdown import md_escape, render_markdown


@pytest.fixture(autouse=True)
def _targets(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_targets(monkeypatch)


@pytest.mark.parametrize("explain", [False, True])
def test_every_row_has_header_column_count(explain: bool) -> None:
    found = tables(render_markdown(alignment(), explain=explain, script="original"))
    assert len(found) == 4  # two actions, measures, targets
    for table in found:
        width = len(table[0])
        assert all(len(row) == width for row in table), table
        assert all(set(c) <= set("-: ") for c in table[1])


def test_coverage_table_content() -> None:
    found = tables(render_markdown(alignment(), explain=False, script="original"))
    header, _, *rows = found[0]
    assert header == ["#", "national task", "status", "provincial counterpart(s)", "score", "relation"]
    # clauses named by the documents' own numbering and line, not by made-up ids
    assert rows[0] == ["22.1. (line 24)", "进一步深化户籍制度改革", "✔ covered", "11. (line 6) 深化戶籍制度改革", "0.93",
                       "same"]
    assert rows[2][2] == "◐ partial"
    second = found[1][2:]
    assert second[1][0] == "32.2. (line 44)" and second[1][2:] == ["✘ gap", "—", "—", "—"]
    # two counterparts: one row each, best first, the national cells left blank on the second
    assert second[2][0] == "32.3. (line 45)" and second[2][3:5] == [
        "22. (line 22) &lt;script&gt;alert(1)&lt;/script&gt; 强化人才支撑 a\\|b", "0.78"]
    assert second[3][:3] == ["", "", ""] and second[3][3:5] == ["21. (line 21) @x 培育高原特色产业集群", "0.41"]


def test_hostile_text_is_escaped() -> None:
    out = render_markdown(alignment(), explain=True, script="original")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "a\\|b" in out and "a|b" not in out
    assert "\\`code\\`" in out
    assert "\\[/\\] \\[bold\\]x" in out
    assert "发展高原特色 生态旅游" in out and "<br>" not in out  # newline inside a title: no HTML in markdown


def test_sections_in_order_with_warnings_first() -> None:
    out = render_markdown(alignment(), explain=False, script="original")
    order = [
        "> **Warnings**",
        "- **National tasks:** 4/6 covered, 1 partial, 1 gap (75.0%)",
        "- **National measures:** 1/2 covered",
        "- **Provincial additions:** 1",
        "### 2 (line 20) 实施新一轮农业转移人口市民化行动",
        "### 3 (line 40) 实施潜力地区城镇化水平提升行动",
        "## National policy measures",
        "## Gaps",
        "## Provincial additions",
        "## Quantitative targets",
    ]
    positions = [out.index(s) for s in order]
    assert positions == sorted(positions)
    gaps = out[out.index("## Gaps") : out.index("## Provincial additions")]
    assert "- ✘ 32.2. (line 44) 促进产业园区提级扩能" in gaps and "- ✘ 33.1. (line 51)" in gaps
    additions = out[out.index("## Provincial additions") : out.index("## Quantitative targets")]
    assert "### 2 (line 20) 实施潜力地区城镇化水平提升行动" in additions and "- 23. (line 23) " in additions


def test_targets_table_and_its_absence(monkeypatch: pytest.MonkeyPatch) -> None:
    found = tables(render_markdown(alignment(), explain=False, script="original"))
    assert found[-1][0] == ["indicator", "national", "青海"]
    assert ["常住人口城镇化率", "接近70% (2029)", "65% (2029)"] in found[-1]
    block_targets(monkeypatch)
    assert "Quantitative targets" not in render_markdown(alignment(), explain=False, script="original")


def test_explain_adds_evidence_column() -> None:
    found = tables(render_markdown(alignment(), explain=True, script="simplified"))
    assert found[0][0][-1] == "evidence"
    assert "shared terms: 户籍制度、改革" in found[0][2][-1]


def test_empty_alignment_and_determinism() -> None:
    out = render_markdown(empty_alignment(), explain=False, script="traditional")
    assert "0/6 covered, 0 partial, 6 gap" in out
    assert "## Provincial additions\n\nNone." in out
    assert render_markdown(alignment(), True, "original") == render_markdown(alignment(), True, "original")


@pytest.mark.parametrize("heading", ["# 标题", "#x"])
def test_leading_hash_escaped(heading: str) -> None:
    assert md_escape(heading).startswith("\\#")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_md_escape_never_breaks_a_row(text: str) -> None:
    cells = split_row(f"| {md_escape(text)} | x |")
    assert len(cells) == 2 and cells[1] == "x"
    escaped = md_escape(text)
    assert len(escaped.splitlines()) <= 1
    assert "<" not in escaped  # no <br> either: markdown readers print HTML as is
