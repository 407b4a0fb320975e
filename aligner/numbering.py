"""The numbering grammar of Chinese plans and regulations, defined once.

Every marker a document numbers its parts with (第一编 第一章 第一部分 第一节 第一条 一、 （一） 一是
（1） 1. 1) ① and bullets): its style name, the pattern that finds it, its structural rank, how to
read its number and how to write one. The parser (aligner.parse), the normaliser (which must not
join a line that starts a clause onto the one before), the article genre (aligner.articles), the
inline lists (aligner.inline) and the report labels (aligner.report.view) all use this grammar.

Patterns run on cleaned, simplified text (aligner.normalise folds full-width brackets and digits to
ASCII) and are matched with `pattern.match(text, pos)` (anchored at pos without a `^`), so looking
for a marker inside a long line never copies the rest of the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.lazy_re import lazy

CN_DIGITS = "零〇一二三四五六七八九十百千万两"
# A Chinese numeral of any size a plan can reach: 一, 十二, 一百零三, 一千零一.
CN_NUMERAL = f"[{CN_DIGITS}]{{1,12}}"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_WRITTEN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Style:
    """A numbering style: how to find its marker, where it ranks, how its number is written."""

    name: str
    pattern: re.Pattern[str]  # group 1 is the number (empty for bullets)
    inline: bool  # may also start a new clause in the middle of a line, after a sentence end
    stands_alone: bool  # its marker may stand alone on a line, the heading on the next (PDF/OCR copies)
    rank: int | None  # 编 0 < 章 1 < 节 2 < 条 3: structural levels; None where levels follow first use
    template: str  # how the marker is written, {} the number (in the style's numerals)
    numerals: str  # "cn" (一二三), "arabic" (1 2 3), "circled" (①②③) or "" (bullets)


# Arabic numbers of any length; `(?!\d)` after the mark keeps 2024.12 and 2024、2025年 out.
# Order matters: the first style that matches wins (第一条 before 一、, （一） before 一是).
STYLES: tuple[Style, ...] = (
    Style("volume", lazy(rf"第({CN_NUMERAL}|\d+)编\s*"), False, True, 0, "第{}编", "cn"),
    Style("chapter", lazy(rf"第({CN_NUMERAL}|\d+)(?:章|部分|篇)\s*"), False, True, 1, "第{}章", "cn"),
    Style("subsection", lazy(rf"第({CN_NUMERAL}|\d+)节\s*"), False, True, 2, "第{}节", "cn"),
    Style("article", lazy(rf"第({CN_NUMERAL}|\d+)条\s*"), True, True, 3, "第{}条", "cn"),
    Style("cn-comma", lazy(rf"({CN_NUMERAL})\s*[、.]\s*"), False, True, None, "{}、", "cn"),
    Style("cn-paren", lazy(rf"\(\s*({CN_NUMERAL})\s*\)\s*"), True, True, None, "({})", "cn"),
    Style("cn-shi", lazy(rf"({CN_NUMERAL})是(?![的否])"), True, False, None, "{}是", "cn"),
    Style("ar-paren", lazy(r"\(\s*(\d+)\s*\)\s*"), True, True, None, "({})", "arabic"),
    Style("ar-dot", lazy(r"(\d+)\s*[.、](?!\d)\s*"), True, True, None, "{}.", "arabic"),
    Style("ar-half-paren", lazy(r"(\d+)\)\s*"), False, True, None, "{})", "arabic"),
    Style("circled", lazy(f"([{CIRCLED}])\\s*"), True, True, None, "{}", "circled"),
    Style("bullet", lazy(r"[-*•·●▪■◆]\s+()"), False, False, None, "• ", ""),
)
BY_NAME = {s.name: s for s in STYLES}

# The structural styles of the article genre (编/章/节 above the 条), outermost first.
SECTION_STYLES = tuple(s.name for s in STYLES if s.rank is not None and s.name != "article")
ARTICLE_STYLE = "article"

# Where a clause may begin inside a line: right after a sentence (or list) end, where an inline
# marker can start (第, a bracket, a numeral). One pass skips the sentence ends no marker follows.
INLINE_CANDIDATE = lazy(rf"(?<=[。;!！？:：,，])(?=[第(\d{CN_DIGITS}{CIRCLED}])")

_NON_BLANK = lazy(r"\S")


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103, 一千零一 → 1001, 一万二千 → 12000; digits pass through."""
    # Circled numbers first: str.isdigit() is true for ① (and ²), but int() rejects them.
    if len(text) == 1 and text in CIRCLED:
        return CIRCLED.index(text) + 1
    if text.isdecimal():
        return int(text)
    total, section, current = 0, 0, 0  # section: the part below 万
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            section += (current or 1) * _UNITS[ch]
            current = 0
        elif ch == "万":
            total += ((section + current) or 1) * 10000
            section, current = 0, 0
        else:
            return None
    return total + section + current if text else None


def _below_10000(n: int) -> str:
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + _WRITTEN_DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


def int_to_cn(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 103 → 一百零三, 12000 → 一万二千: how plans write numbers."""
    if n <= 0:
        raise ValueError(f"no Chinese numeral for {n}")
    high, low = divmod(n, 10000)
    if high >= 10000:
        raise ValueError(f"{n} is beyond what a plan numbers")
    text = _below_10000(high) + "万" if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + _below_10000(low)
    return text[1:] if text.startswith("一十") else text  # 十二, not 一十二


def render(style: Style, n: int) -> str:
    """The marker of number n in a style (bullets have no number): render(cn-paren, 3) → (三)."""
    if style.numerals == "cn":
        return style.template.format(int_to_cn(n))
    if style.numerals == "arabic":
        return style.template.format(n)
    if style.numerals == "circled":
        return style.template.format(CIRCLED[n - 1])
    return style.template


def value_of(match: re.Match[str]) -> int | None:
    """The number a marker match reads, None for a bullet."""
    return cn_to_int(match.group(1)) if match.group(1) else None


def match_marker(text: str, inline_only: bool = False, pos: int = 0) -> tuple[Style, re.Match[str]] | None:
    """The numbering marker the text starts with at `pos`.

    Inside a line (inline_only) a marker must be followed by text; at the start of a line it may
    stand alone for the styles that allow it (the parser joins it with the line of its heading).
    """
    for style in STYLES:
        if inline_only and not style.inline:
            continue
        match = style.pattern.match(text, pos)
        if match:
            alone = _NON_BLANK.search(text, match.end()) is None
            if alone and (inline_only or not style.stands_alone):
                continue
            return style, match
    return None


def starts_clause(line: str) -> bool:
    """True when a line (cleaned, simplified) opens with a numbering marker the parser reads."""
    return match_marker(line.lstrip()) is not None


def label_style(label: str) -> str | None:
    """The style of a clause's printed number (第三条 → article, (一) → cn-paren), None if none."""
    for style in STYLES:
        match = style.pattern.match(label)
        if match and match.end() == len(label):
            return style.name
    return None


def rank(style: str | None) -> int | None:
    """编 < 章 < 节 < 条: the structural rank of a style, None for the styles ranked by first use."""
    found = BY_NAME.get(style or "")
    return found.rank if found else None


def formal(label: str) -> str:
    """A marker as 公文 print it: brackets full-width, （一）, whatever width the copy had."""
    return label.strip().replace("(", "（").replace(")", "）")
