"""Documents organised as 第X编 / 第X章 / 第X节 / 第X条 (regulations, implementing measures, laws).

The parser's numbering grammar finds the markers; this module says what they mean in this genre:
the article (条) is the clause unit, numbered as written; 编/章/节 are the sections above it; the
paragraphs (款) and enumerated items (（一）…) inside an article are its units of evidence, not
clauses of their own; the lines before the first chapter or article (title, adoption and
promulgation notes) are metadata. And, for matching, which articles play a drafting role
(purpose, scope, definition, effective date, liability) that every regulation repeats.

Rules come from the conventions of Chinese legislative drafting (立法技术规范), checked on the
development pair (优化营商环境条例 → 山东省条例) and the other parse-only corpus files.
"""

from __future__ import annotations

import re
from enum import Enum

from aligner import numbering
from aligner.lazy_re import lazy
from aligner.model import Clause, Plan

# The structural styles of the genre, outermost first (names and ranks from aligner.numbering).
SECTION_STYLES = numbering.SECTION_STYLES
ARTICLE_STYLE = numbering.ARTICLE_STYLE
# An article document numbers at least this many articles at the start of a line.
_MIN_ARTICLES = 3

_MARKUP = lazy(r"<!--.*?-->")
# Document names of the genre: …条例 / …办法 / …法 / …规定 / …细则 / …决定 (and plans' own kinds).
_DOCUMENT_NAME = lazy(r"(条例|办法|法|规定|细则|决定|规则|方案|计划|规划|意见|措施|纲要|要点)$")
_NOTE = lazy(r"(通过|公布|施行|修正|修订|批准|发布)$|^(根据|依据)")

# Head of an article: a clause shorter than this is a subject, a purpose (为了…) or a condition
# (…的), not yet a rule, so the next clause joins it; the head stops at the end of a sentence and
# never grows past the target length.
_HEAD_MIN = 10
_HEAD_TARGET = 30
_HEAD_MAX = 40
_SENTENCE_END = lazy(r"[。;；!！？]")
_CLAUSE_END = lazy(r"[。;；!！？,，]")


def is_article_plan(plan: Plan) -> bool:
    """A parsed document whose clause units are articles (第X条)."""
    return len(article_clauses(plan)) >= _MIN_ARTICLES


def article_clauses(plan: Plan) -> list[Clause]:
    return [c for c in plan.clauses if numbering.label_style(c.number) == ARTICLE_STYLE]


def strip_markup(text: str) -> str:
    """HTML comments (<!-- INFO END --> of a markdown law collection) are markup, not text."""
    return _MARKUP.sub("", text)


def is_article_document(styles: list[tuple[str | None, bool]]) -> bool:
    """True when the document numbers its clauses 第X条: (style, at line start) of every piece."""
    return sum(1 for style, at_start in styles if style == ARTICLE_STYLE and at_start) >= _MIN_ARTICLES


def structural_rank(style: str | None) -> int | None:
    """编 < 章 < 节 < 条: a marker closes every open level of its rank or below, whatever the
    order styles were first seen in (a 第一节 in chapter two must not nest under an article)."""
    return numbering.rank(style)


def split_head(text: str) -> tuple[str, str]:
    """An article's title (its first clause or sentence, ≤ ~30 characters) and the rest of it.

    title + rest is the article's text with the one punctuation mark between them dropped, so
    nothing of the article is lost (a reader, and a scorer, find it by its opening words).
    """
    sentence = _SENTENCE_END.search(text)
    first_end = sentence.start() if sentence else len(text)
    if first_end <= _HEAD_TARGET:
        return text[:first_end].rstrip(":："), text[first_end + 1 :].strip() if sentence else ""
    cut = None
    for mark in _CLAUSE_END.finditer(text):
        if mark.start() > first_end:
            break
        if mark.start() > _HEAD_TARGET and cut is not None:
            break
        cut = mark.start()
        if cut >= _HEAD_MIN:
            break
    if cut is None or cut > _HEAD_MAX:
        # One long clause: its opening words stand for it, up to the last list comma (、) that
        # keeps a whole item, else the target length.
        pause = text.rfind("、", _HEAD_MIN, _HEAD_TARGET + 1)
        if pause > 0:
            return text[:pause], text[pause + 1 :].strip()
        return text[:_HEAD_TARGET], text[_HEAD_TARGET:].strip()
    return text[:cut].rstrip(":："), text[cut + 1 :].strip()


def document_title(lines: list[str]) -> str:
    """The document's name: its first short line before the articles that reads as one (the
    markdown `#` heading of a law collection, or a plain title line); notes are not titles."""
    for line in lines:
        text = line.strip().lstrip("#").strip()
        if not (4 <= len(text) <= 80) or re.search(r"[,，。;；:：!！？]", text):
            continue
        if _NOTE.search(text) or re.search(r"\d{4}年", text):
            continue
        if _DOCUMENT_NAME.search(text):
            return text
    return ""


class Role(str, Enum):
    """The drafting role of a paragraph: every regulation has these, in the same words."""

    NONE = ""
    PURPOSE = "purpose"  # 为了……，制定本条例
    SCOPE = "scope"  # ……适用本条例 / 本条例适用于……
    DEFINITION = "definition"  # 本条例所称……是指……
    EFFECTIVE = "effective"  # 本条例自……起施行
    LIABILITY = "liability"  # 违反本条例……依法给予处分 / 追究……责任


_SELF = r"本(?:条例|办法|法|规定|细则|决定|规则)"
_ROLE_PATTERNS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.EFFECTIVE, lazy(rf"^{_SELF}.{{0,12}}自.{{2,30}}起(?:施行|实施|生效)")),
    (Role.PURPOSE, lazy(rf"^(?:为了|为)[^。]*(?:制定|特制定){_SELF}")),
    (Role.DEFINITION, lazy(rf"^{_SELF}(?:中)?所称")),
    (Role.SCOPE, lazy(rf"适用{_SELF}|^{_SELF}适用于")),
    (
        Role.LIABILITY,
        lazy(
            rf"^(?:违反{_SELF}|.{{0,60}}(?:违反{_SELF}|有下列(?:情形|行为)之一的)[^。]*"
            r"(?:责令|处分|追究|处罚|罚款|处以|予以|依法处理|法律责任))"
        ),
    ),
)
_LIABILITY_ANYWHERE = lazy(
    r"(?:依法(?:给予|予以)处分|依法(?:依规)?追究[^。]{0,12}责任|由[^。]{1,30}责令(?:限期)?改正|承担[^。]{0,6}(?:法律)?责任)"
)


def role_of(passage: str) -> Role:
    """The drafting role a paragraph plays, from the fixed formulas of legislative drafting."""
    text = passage.strip()
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(text):
            return role
    if _LIABILITY_ANYWHERE.search(text):
        return Role.LIABILITY
    return Role.NONE
