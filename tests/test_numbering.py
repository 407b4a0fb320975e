"""The numbering grammar (aligner.numbering): every style reads back the numbers it writes, and
the normaliser and the parser agree on which lines start a clause."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner import numbering
from aligner.model import Line
from aligner.normalise import normalise, starts_paragraph
from aligner.parse import _pieces, parse

_NUMBERED = [s for s in numbering.STYLES if s.numerals]
_MAX = {"cn": 9999, "arabic": 999, "circled": len(numbering.CIRCLED)}
# Heading words (never a marker themselves) and the bits that make a line look almost numbered.
_WORDS = st.sampled_from(["推进", "重点任务", "加强", "保障措施", "2024年", "一体化", "的", "是", "、", "。", "，"])


@st.composite
def _marker(draw: st.DrawFn) -> tuple[numbering.Style, int, str]:
    style = draw(st.sampled_from(_NUMBERED))
    n = draw(st.integers(1, _MAX[style.numerals]))
    return style, n, numbering.render(style, n)


@given(st.integers(1, 99_999_999))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert numbering.cn_to_int(numbering.int_to_cn(n)) == n


@pytest.mark.parametrize(("n", "written"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (103, "一百零三"),
                                            (1001, "一千零一"), (12000, "一万二千"), (10010, "一万零一十")])
def test_chinese_numerals_as_plans_write_them(n: int, written: str) -> None:
    assert numbering.int_to_cn(n) == written


@given(_marker(), st.lists(_WORDS, max_size=4).map(lambda t: "推进" + "".join(t)))
def test_every_style_round_trips(marker: tuple[numbering.Style, int, str], heading: str) -> None:
    style, n, written = marker
    found = numbering.match_marker(written + heading)
    assert found is not None
    assert (found[0].name, numbering.value_of(found[1])) == (style.name, n)
    assert numbering.label_style(written.strip()) == style.name


def test_bullets_read_no_number() -> None:
    for bullet in "-*•·●▪■◆":
        found = numbering.match_marker(f"{bullet} 推进甲")
        assert found is not None and found[0].name == "bullet" and numbering.value_of(found[1]) is None


@pytest.mark.parametrize("line", ["第一部分 总体要求", "● 推进甲", "▪ 推进甲", "■ 推进甲", "◆ 推进甲", "第二编 总则"])
def test_markers_the_normaliser_used_to_miss_start_a_clause(line: str) -> None:
    assert starts_paragraph(Line(1, line, line))


@given(st.one_of(_marker().map(lambda m: m[2]), st.just("")), st.lists(_WORDS, max_size=5).map("".join))
def test_normaliser_and_parser_agree_on_clause_starts(marker: str, rest: str) -> None:
    line = (marker + rest).strip()
    if not line or line.startswith("——"):
        return
    # The parser's view: the first piece it cuts from the line carries a numbering style.
    parser_says = _pieces((Line(1, line, line),))[0].style is not None
    assert starts_paragraph(Line(1, line, line)) == parser_says


def _wrapped(marker_line: str) -> str:
    """A hard-wrapped text (ten lines of one width, none ending a sentence) whose last line is marker_line."""
    return "\n".join(["一、重点任务", *["这是一段按固定宽度硬换行的文本内容用于测试换行"] * 9, marker_line])


@given(_marker())
def test_a_wrapped_text_never_swallows_a_numbered_line(marker: tuple[numbering.Style, int, str]) -> None:
    _, _, written = marker
    clean = normalise("x.txt", _wrapped(written + "推进甲项工作"))
    assert clean.lines[-1].simplified == written + "推进甲项工作"  # the filler lines joined, this one not
    numbered = [c for c in parse(clean).clauses if c.number == written.strip()]
    assert numbered and numbered[-1].title == "推进甲项工作"  # (一、 also numbers the first line)
