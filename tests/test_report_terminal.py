"""Terminal report: content and order, 80 columns, plain when piped, NO_COLOR respected."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from report_fixtures import alignment, block_targets, empty_alignment, use_fake_targets
from rich.cells import cell_len
from rich.console import Console

from aligner.report.terminal import render_terminal

ANSI = re.compile(r"\x1b\[")


def render(explain: bool = False, script: str = "original", al=None, width: int = 80) -> str:  # type: ignore[no-untyped-def]
    buffer = StringIO()
    console = Console(file=buffer, width=width, color_system=None)
    render_terminal(al or alignment(), console, explain=explain, script=script)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _targets(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_targets(monkeypatch)


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("width", [80, 60])
def test_fits_width_without_ansi(explain: bool, width: int) -> None:
    out = render(explain=explain, width=width)
    assert not ANSI.search(out)
    too_long = [line for line in out.splitlines() if cell_len(line) > width]
    assert too_long == []


def test_summary_and_sections_in_order() -> None:
    out = render()
    order = [
        "Warnings",
        "declared 4 tasks under action 2, found 3",
        "青海",
        "4/6 covered, 1 partial, 1 gap (75.0%)",
        "1/2 covered",
        "2 (line 20) 实施新一轮农业转移人口市民化行动",
        "3 (line 40) 实施潜力地区城镇化水平提升行动",
        "National policy measures",
        "Gaps",
        "Provincial additions",
        "Quantitative targets",
    ]
    positions = [out.index(s) for s in order]
    assert positions == sorted(positions)


def test_tasks_show_status_counterpart_score_relation() -> None:
    out = render(width=100)
    # clauses named by the plans' own numbering (the fixture's 2 / 2. / 1.) and line, not made-up ids
    assert "✔ │ 22.1. (line 24) 进一步深化户籍制度改革" in out
    assert "11. (line 6) 深化戶籍制度改革 · 0.93 same" in out
    assert "◐" in out and "✘" in out
    assert "— no counterpart" in out
    gaps = out[out.index("Gaps") : out.index("Provincial additions")]
    assert "32.2. (line 44)" in gaps and "33.1. (line 51)" in gaps and "22.1." not in gaps
    additions = out[out.index("Provincial additions") : out.index("Quantitative targets")]
    assert "2 (line 20) 实施潜力地区城镇化水平提升行动" in additions
    assert "+ 23. (line 23) 发展高原特色 生态旅游" in additions  # newline in the title folded to a space
    assert "省文化和旅游厅" in additions


def test_document_text_is_not_rich_markup() -> None:
    out = render(width=100)  # wide enough that the title does not fold inside the markup
    assert "[/] [bold]x" in out  # would raise MarkupError or vanish if parsed as markup
    assert "<script>alert(1)</script>" in out


def test_explain_adds_evidence() -> None:
    assert "shared terms" not in render(explain=False)
    out = render(explain=True)
    assert "shared terms: 户籍制度、改革" in out
    assert "best sentence pair (0.91)" in out
    assert "thesaurus: 高原特色→特色" in out


def test_targets_side_by_side() -> None:
    out = render()
    row = next(line for line in out.splitlines() if "常住人口城镇化率" in line)
    assert "接近70% (2029)" in row and "65% (2029)" in row


def test_targets_section_skipped_without_module(monkeypatch: pytest.MonkeyPatch) -> None:
    block_targets(monkeypatch)
    out = render()
    assert "Quantitative targets" not in out
    assert "Provincial additions" in out


def test_traditional_script() -> None:
    out = render(script="traditional")
    assert "進一步深化戶籍制度改革" in out


def test_empty_alignment_renders() -> None:
    out = render(al=empty_alignment())
    assert "0/6 covered, 0 partial, 6 gap" in out
    assert "Warnings" not in out


def test_no_color_env_drops_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    buffer = StringIO()
    render_terminal(alignment(), Console(file=buffer, width=80, force_terminal=True), explain=False, script="original")
    params = re.findall(r"\x1b\[([0-9;]*)m", buffer.getvalue())
    codes = {int(p) for group in params for p in group.split(";") if p}
    colour_codes = {c for c in codes if 30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 107}
    assert colour_codes == set()


def test_colour_when_forced_to_a_terminal() -> None:
    buffer = StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system="standard")
    render_terminal(alignment(), console, explain=False, script="original")
    assert "\x1b[32m" in buffer.getvalue() or "\x1b[1;32m" in buffer.getvalue()


def test_deterministic() -> None:
    assert render(explain=True) == render(explain=True)


def test_a_long_chinese_warning_starts_beside_its_bullet_and_hangs_under_it() -> None:
    from dataclasses import replace

    from aligner.model import Notice

    long = Notice("truncated", "the text seems incomplete", 34, "文本似乎不完整：在第34行句子中断（「…字经济、绿色经济、银发经」），"
                  "且以「发展目标」开篇，却没有结尾部分（组织实施、保障措施、附则），缺失部分会显示为缺口。")
    from aligner.report.registry import RenderOptions
    from aligner.report.terminal import render_report
    from aligner.report.view import build_view

    view = build_view(replace(alignment(), notices=[long]), explain=False, script="simplified", lang="zh")
    out = render_report(view, RenderOptions(width=80, color=False))
    lines = [line.strip("│ ") for line in out.splitlines()[1:4]]
    assert lines[0].startswith("• 文本似乎不完整：在第34行") and not lines[0].endswith("•")
    assert out.splitlines()[2].startswith("│   ")  # the continuation hangs under the text, not the bullet
