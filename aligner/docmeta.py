"""A Chinese official document's 文号, issuing body and date, read from how 公文 write them.

General rules of the 公文 format (GB/T 9704), not words of any one document:
- 文号: the issuer's short name, the year in 〔〕 (or [] / （）), the serial and 号: 国发〔2024〕17号;
  regulations are promulgated by 令: 国务院令第722号.
- date: 2024年9月6日 (Arabic or Chinese numerals), on its own line at the end (落款) or opening the
  head of a law (`2021年3月31日 …会议通过`).
- issuer: the title reads 发文机关 + 关于 + 事由 + 文种 (`国务院关于印发…的通知`), or the signature
  line stands above the closing date.
Only the head and the tail of a document are read, so a date or number quoted in the body is not taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.lazy_re import lazy
from aligner.model import Plan

_EDGE = 15  # lines read at the head and at the tail of a document
_SIGNATURE_MAX = 30  # a signature line longer than this is body text, not an issuer

_NUMBER = lazy(
    r"([\u4e00-\u9fff]{1,12}\s*[〔\[［（(]\s*(?:19|20)\d{2}\s*[〕\]］）)]\s*第?\s*\d{1,5}\s*号"
    r"|[\u4e00-\u9fff]{1,16}令\s*第\s*\d{1,5}\s*号)"
)
_DIGIT = r"(?:\d|[〇○零一二三四五六七八九十])"
_DATE = lazy(rf"((?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})\s*年\s*{_DIGIT}{{1,3}}\s*月\s*{_DIGIT}{{1,3}}\s*日")
_TITLE_ISSUER = lazy(r"^([\u4e00-\u9fff　 ]{2,40}?)\s*关于")
_BRACKETS = "()（）[]［］〔〕 　"


@dataclass(frozen=True)
class DocMeta:
    number: str = ""  # 文号, "" when the document states none
    issuer: str = ""
    date: str = ""

    def __bool__(self) -> bool:
        return bool(self.number or self.issuer or self.date)

    def to_json(self) -> dict[str, str | None]:
        return {"number": self.number or None, "issuer": self.issuer or None, "date": self.date or None}


def extract(lines: Sequence[str]) -> DocMeta:
    """The 文号, issuer and date of a document given as its lines (simplified script)."""
    stripped = [line.strip() for line in lines]
    stripped = [line for line in stripped if line]
    head, tail = stripped[:_EDGE], stripped[-_EDGE:]
    number = _first(_NUMBER, head + tail, "号")
    date, signature = _closing_date(tail)
    if not date:
        date = next((m.group(0) for line in head if "日" in line and (m := _DATE.match(line))), "")
    issuer = next((_clean(m.group(1)) for line in head if "关于" in line and (m := _TITLE_ISSUER.match(line))), "") or signature
    return DocMeta(_squash(number), issuer, _squash(date))


def _first(pattern: re.Pattern[str], lines: Sequence[str], needs: str) -> str:
    """The first match in the lines; `needs` is a literal every match holds (a line without it is
    skipped, and the pattern is compiled only when some line has it)."""
    return next((m.group(0) for line in lines if needs in line and (m := pattern.search(line))), "")


def _closing_date(tail: Sequence[str]) -> tuple[str, str]:
    """A date standing alone on a line of the tail, and the signature line above it, if short."""
    for i in range(len(tail) - 1, -1, -1):
        line = tail[i].strip(_BRACKETS)
        match = _DATE.fullmatch(line) if "日" in line else None
        if match:
            above = tail[i - 1].strip() if i else ""
            signature = above if 2 <= len(above) <= _SIGNATURE_MAX and not re.search(r"[，。；：,.;:]", above) else ""
            return match.group(0), _clean(signature)
    return "", ""


def _clean(text: str) -> str:
    return re.sub(r"[\s　]+", " ", text).strip(" 《")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def plan_meta(plan: Plan) -> DocMeta:
    """The metadata of a parsed plan, read from its normalised lines (its title when those are gone)."""
    lines = [line.simplified for line in plan.clean.lines] if plan.clean is not None else [plan.title]
    return extract(lines)
