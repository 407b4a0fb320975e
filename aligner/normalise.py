"""Text → clean lines: strip the noise real web copies carry, keep the author's script for display.

Every per-line step here preserves meaning and is idempotent, so normalising twice changes nothing;
the parser can then trust that numbering, punctuation and script look the same in every document.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import opencc

from aligner.model import CleanText, Line

# Pinyin vowels with tone marks, plus ü/v; a reading is a lowercase syllable in brackets right after
# a CJK character: 國(guó), 戶(hu)(hu). Real bracketed text (含技工院校), (一), (5G), (PPP) never matches.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_SYLLABLE = rf"[a-z{_TONED}]{{1,6}}"
_PINYIN_AFTER_CJK = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])(?:\(\s*{_SYLLABLE}\s*\))+")
_HAS_VOWEL = re.compile(rf"[aeiouv{_TONED}]")

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’、。，；：！？《》〈〉【】〔〕（）·—…"
# Spaces an OCR or a web page put between CJK characters or brackets: 人 口, ( 一), 联 系 人
_SPACE_BETWEEN = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}()])[ \t\u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}()])")
_SPACE_AFTER_OPEN = re.compile(r"(?<=\()[ \t]+|[ \t]+(?=\))")

# Characters that carry no text: replacement char, zero-width, BOM, soft hyphen, private use.
_INVISIBLE = re.compile("[\ufffd\u200b-\u200f\u2060\ufeff\u00ad\ue000-\uf8ff]")
# A '?' standing for a character lost in a bad conversion: between CJK, or alone on a line.
_LOST_CHAR = re.compile(rf"(?<=[{_CJK}\s])\?+(?=[{_CJK}\s]|$)|^\?+(?=[{_CJK}])")

# Characters typical of GBK-bytes-read-as-something-else mojibake (box drawing, bopomofo, rare
# CJK that never occur in policy text). Two or more in the first few characters mark a line.
_MOJIBAKE_CHARS = set("ㄒ唬嵤┬嗈┌┐└┘├┤┴┼ㄊㄋㄌㄍㄎㄏㄐㄑㄓㄔㄕㄖㄗㄘㄙㄚㄛㄜㄝㄞㄟㄠㄡㄢㄣㄤㄥㄦㄧㄨㄩ")
_BOX_OR_BOPOMOFO = re.compile("[\u2500-\u257f\u3100-\u312f\u31a0-\u31bf]")

# Enclosed numbers keep their look: ① is a numbering style of its own, not "1". A full-width ？ stays
# full-width, because a plain ? between CJK characters marks a character lost in conversion.
_KEEP = re.compile("[\u2460-\u24ff\u2776-\u2793\u3251-\u32bf\uff1f]")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def junk_patterns() -> tuple[re.Pattern[str], ...]:
    """Web-page furniture lines (banners, bylines, comment boxes), one regex a line in data/junk.txt."""
    text = resources.files("aligner").joinpath("data/junk.txt").read_text(encoding="utf-8")
    return tuple(
        re.compile(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def fold_width(text: str) -> str:
    """Map compatibility forms to their plain form one character at a time (length-preserving).

    Full-width digits, letters and punctuation, ideographic space, `﹒`, Kangxi radicals from PDFs.
    """
    if text.isascii():
        return text
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character's folded form; cached, since a plan uses a few thousand distinct characters."""
    if ch.isascii() or _KEEP.match(ch):
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def strip_pinyin(text: str) -> str:
    """Remove pinyin readings placed after characters: 國(guó) → 國, 戶(hu)(hu) → 戶."""

    def drop(match: re.Match[str]) -> str:
        return "" if _HAS_VOWEL.search(match.group(0)) else match.group(0)

    return _PINYIN_AFTER_CJK.sub(drop, text)


def collapse_spaces(text: str) -> str:
    """Join CJK broken up by spaces (人 口 → 人口, ( 一) → (一)) and trim the line."""
    text = _SPACE_BETWEEN.sub("", text)
    text = _SPACE_AFTER_OPEN.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _is_odd(ch: str) -> bool:
    return ch in _MOJIBAKE_CHARS or bool(_BOX_OR_BOPOMOFO.match(ch))


def looks_like_mojibake(text: str) -> bool:
    """Garbled bytes rather than words (e.g. ?。ㄒ唬嵤┬乱惠…): two odd characters close together."""
    positions = [i for i, ch in enumerate(text) if _is_odd(ch)]
    return any(b - a <= 8 for a, b in zip(positions, positions[1:]))


_PIECE = re.compile(r"[^。，,;；:：!！]+[。，,;；:：!！]*")


def drop_mojibake(text: str) -> str:
    """Drop the garbled pieces of a line (between punctuation), keep the readable ones.

    A reliable byte-level repair needs the original bytes, which a web copy no longer has; the
    caller records what was cut so the report can say so.
    """
    kept = [p for p in _PIECE.findall(text) if not any(_is_odd(ch) for ch in p)]
    return "".join(kept).strip()


_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")


def _clean_once(text: str) -> str:
    text = fold_width(_INVISIBLE.sub("", text))
    text = _MARKDOWN_HEADING.sub("", text)  # after folding, so a full-width ＃ heading goes too
    text = strip_pinyin(text)
    text = collapse_spaces(text)
    text = _LOST_CHAR.sub("", text)
    text = strip_pinyin(text)  # a reading can surface once spaces or lost chars are gone
    return collapse_spaces(text)


def clean_line(raw: str) -> str:
    """One line in the author's script with noise removed; idempotent.

    Each step can expose work for another (a lost `?` goes, the spaces around it collapse, and a
    pinyin reading ends up right after a character; `# # 标题` loses one heading mark at a time), so
    the steps run until nothing changes. That makes idempotency hold by construction rather than by
    the order of the steps. It terminates: folding and invisible-character removal do all their
    work in the first pass, and every later pass that changes the line makes it shorter.
    """
    text = _clean_once(raw)
    while True:
        again = _clean_once(text)
        if again == text:
            return text
        text = again


def is_junk(line: str) -> bool:
    """Web furniture, provenance headers or markers, never part of a plan."""
    stripped = line.strip()
    if not stripped:
        return True
    if not re.search(rf"[{_CJK}A-Za-z0-9]", stripped):
        return True  # punctuation or symbols only
    return any(p.search(stripped) for p in junk_patterns())


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def normalise(path: str, text: str) -> CleanText:
    """Split into lines, clean each, drop junk; keep line numbers of the source for reports."""
    lines: list[Line] = []
    notes: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        original = clean_line(raw)
        # Furniture first: a provenance header that quotes garbled text is dropped, not reported.
        if is_junk(original):
            continue
        if looks_like_mojibake(original):
            kept = clean_line(drop_mojibake(original))
            if is_junk(kept):
                kept = ""  # only debris (?。) is left: say the line was skipped, not "kept ?。"
            notes.append(
                f"line {number}: garbled text (mojibake) "
                + (f"cut, kept 「{kept[:20]}」" if kept else "skipped")
            )
            original = kept
        if is_junk(original):
            continue
        simplified = to_simplified(original)
        lines.append(Line(number=number, original=original, simplified=simplified))
    joined = rejoin_wrapped(lines)
    if len(joined) < len(lines):
        notes.append(f"hard-wrapped text (as extracted from a PDF): {len(lines) - len(joined)} line breaks joined")
    return CleanText(path=path, lines=tuple(joined), notes=tuple(notes))


# A line that starts a new clause or paragraph: a numbering marker or a bullet.
_STARTS_CLAUSE = re.compile(
    r"^(第?[一二三四五六七八九十百]+[、是章条节]|\(\s*[一二三四五六七八九十\d]+\s*\)|\d{1,3}\s*[.、)]|[①-⑳]|[-*•·]\s|——)"
)
_ENDS_SENTENCE = re.compile(r"[。;；!！？:：”」』)）]$")


def _wrap_width(lines: list[Line]) -> int | None:
    """The width text was hard-wrapped at, if it was: many lines of the same length (±1)."""
    lengths = [len(line.original) for line in lines if len(line.original) >= 15]
    if len(lengths) < 8:
        return None
    width = max(set(lengths), key=lambda n: (sum(1 for x in lengths if abs(x - n) <= 1), n))
    near = sum(1 for x in lengths if abs(x - width) <= 1)
    return width if near >= 5 and near >= 0.3 * len(lengths) else None


def rejoin_wrapped(lines: list[Line]) -> list[Line]:
    """Undo hard wrapping (PDF text layers): a full-width line that does not end a sentence
    continues on the next line unless that one starts a clause."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[Line] = []
    for line in lines:
        previous = out[-1] if out else None
        if (
            previous is not None
            and len(previous.original.split("\n")[-1]) >= width - 1
            and not _ENDS_SENTENCE.search(previous.original)
            and not _STARTS_CLAUSE.match(line.original)
        ):
            out[-1] = Line(previous.number, previous.original + line.original, previous.simplified + line.simplified)
        else:
            out.append(line)
    return out
