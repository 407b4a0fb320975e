"""Text → clean lines: strip the noise real web copies carry, keep the author's script for display.

Every per-line step here preserves meaning and is idempotent, so normalising twice changes nothing;
the parser can then trust that numbering, punctuation and script look the same in every document.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from aligner import numbering
from aligner.cjk import has_han_or_alnum, is_han
from aligner.lazy_re import lazy
from aligner.model import CleanText, Line
from aligner.package_data import read_data

# Pinyin vowels with tone marks, plus ü/v; a reading is a lowercase syllable in brackets right after
# a CJK character: 國(guó), 戶(hu)(hu). Real bracketed text (含技工院校), (一), (5G), (PPP) never matches.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_SYLLABLE = rf"[a-z{_TONED}]{{1,6}}"
_PINYIN_AFTER_CJK = lazy(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])(?:\(\s*{_SYLLABLE}\s*\))+")
_HAS_VOWEL = lazy(rf"[aeiouv{_TONED}]")

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’、。，；：！？《》〈〉【】〔〕（）·—…"
# Spaces an OCR or a web page put between CJK characters or brackets: 人 口, ( 一), 联 系 人, and after
# punctuation already folded to ASCII (，&nbsp;一是 → ", 一是"). Between two ASCII marks or digits and
# letters they stay (2024, 2025).
# `_drop_spaces_between` does what re.sub(rf"(?<=[{_CJK}{_CJK_PUNCT}(),;:!?])[ \t\u00a0\u3000]+(?=[same])", "")
# does, without compiling that class (about 5 ms at start-up); tests/test_startup.py holds them equal.
_GAP_SPACES = frozenset(" \t\u00a0\u3000")
_BETWEEN_EXTRA = frozenset("“”‘’、。，；：！？《》〈〉【】〔〕（）·—…(),;:!?")
_SPACE_AFTER_OPEN = lazy(r"(?<=\()[ \t]+|[ \t]+(?=\))")

# Characters that carry no text: replacement char, zero-width, BOM, soft hyphen, private use.
_INVISIBLE = lazy("[\ufffd\u200b-\u200f\u2060\ufeff\u00ad\ue000-\uf8ff]")
# A '?' standing for a character lost in a bad conversion: between CJK, or alone on a line.
# `_drop_lost_chars` does what re.sub(rf"(?<=[{_CJK}\s])\?+(?=[{_CJK}\s]|$)|^\?+(?=[{_CJK}])", "") does,
# without compiling the CJK class (about 6 ms at start-up); tests/test_startup.py holds them equal.

# Mojibake (bytes decoded with the wrong codec or out of step, e.g. GBK read one byte late) turns
# words into runs of characters ordinary text almost never holds: box drawing, bopomofo, and
# ideographs outside both national repertoires (GB2312 for simplified, Big5 for traditional
# script) that are not a traditional form either. Real plans, in either script, stay inside
# them; two such characters close together
# mark a garbled line. A class rule, so no list of characters seen in one file is needed.
_ODD_CLASSES = ((0x2500, 0x257F), (0x3100, 0x312F), (0x31A0, 0x31BF))  # box drawing, bopomofo
_IDEOGRAPH_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
_ODD_NEAR = 8  # two odd characters at most this far apart make a line garbled

# The commonest web mojibake, UTF-8 read as GBK or Windows-1252 (鎺ㄨ繘…, ä¸­å›½…), often
# stays inside the repertoires; its signature is in the bytes: encoded back with the wrong codec,
# the text is a chain of UTF-8 sequences for CJK characters. Real GBK/Big5 text forms such a
# chain of four by chance about once in ten million characters; a garbled phrase forms a long one.
_MISREAD_CODECS = ("gb18030", "cp1252")
_UTF8_CJK = rb"(?:[\xe3-\xe9][\x80-\xbf]|\xef[\xbc-\xbf])[\x80-\xbf]"
_MISREAD_LINE = lazy(rb"(?:" + _UTF8_CJK + rb"){4,}")
_MISREAD_PIECE = lazy(rb"(?:" + _UTF8_CJK + rb"){2,}")  # inside a line already found garbled

# Enclosed numbers keep their look: ① is a numbering style of its own, not "1". A full-width ？ stays
# full-width, because a plain ? between CJK characters marks a character lost in conversion.
_KEEP = lazy("[\u2460-\u24ff\u2776-\u2793\u3251-\u32bf\uff1f]")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def junk_patterns() -> tuple[re.Pattern[str], ...]:
    """Web-page furniture lines (banners, bylines, comment boxes), one regex a line in data/junk.txt."""
    text = read_data("junk.txt")
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

    return _PINYIN_AFTER_CJK.sub(drop, text) if "(" in text else text  # no bracket, no reading


def _between_class(ch: str) -> bool:
    """`ch` is in [{_CJK}{_CJK_PUNCT}(),;:!?]: a CJK character, CJK, full-width or folded punctuation, a bracket."""
    return (is_han(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
            or ch in _BETWEEN_EXTRA)


def _drop_spaces_between(text: str) -> str:
    """Remove each run of spaces that has a `_between_class` character on both sides, scanning as
    `re.sub` does: the longest run first, and U+3000 (a space that is also CJK punctuation) may end
    one run and start the next."""
    out: list[str] = []
    n, i, kept = len(text), 1, 0
    while i < n:
        if text[i] not in _GAP_SPACES or not _between_class(text[i - 1]):
            i += 1
            continue
        k = i
        while k < n and text[k] in _GAP_SPACES:
            k += 1
        end = k if k < n and _between_class(text[k]) else None
        if end is None:  # backtrack to the last U+3000 inside the run (it is itself a class character)
            end = next((j for j in range(k - 1, i, -1) if text[j] == "\u3000"), None)
        if end is None:
            i += 1
            continue
        out.append(text[kept:i])
        kept = i = end
    out.append(text[kept:])
    return "".join(out) if kept else text


def _drop_lost_chars(text: str) -> str:
    """Remove runs of `?` between CJK characters or spaces (or at the end), or at the very start
    before a CJK character."""
    out: list[str] = []
    n, i, kept = len(text), 0, 0
    while i < n:
        if text[i] != "?" or (i and text[i - 1] == "?"):
            i += 1
            continue
        k = i
        while k < n and text[k] == "?":
            k += 1
        after = text[k] if k < n else ""
        at_end = k == n or (k == n - 1 and after == "\n")
        if i:
            before = text[i - 1]
            lost = (is_han(before) or before.isspace()) and (at_end or is_han(after) or after.isspace())
        else:
            lost = after != "" and is_han(after)
        if lost:
            out.append(text[kept:i])
            kept = k
        i = k
    out.append(text[kept:])
    return "".join(out) if kept else text


def collapse_spaces(text: str) -> str:
    """Join CJK broken up by spaces (人 口 → 人口, ( 一) → (一)) and trim the line."""
    if " " in text or "\t" in text or "\u00a0" in text or "\u3000" in text:
        text = _drop_spaces_between(text)
    text = _SPACE_AFTER_OPEN.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


# The ideograph rows of each repertoire: GB2312 levels 1–2, Big5 common and less common characters.
_REPERTOIRE_ROWS = (
    ("gb2312", range(0xB0, 0xF8), bytes(range(0xA1, 0xFF))),
    ("big5", range(0xA4, 0xFA), bytes([*range(0x40, 0x7F), *range(0xA1, 0xFF)])),
)


@lru_cache(maxsize=1)
def _repertoire() -> str:
    """Every ideograph GB2312 or Big5 can encode, by decoding their code tables row by row."""
    rows: list[str] = []
    for codec, leads, trails in _REPERTOIRE_ROWS:
        table = bytearray(2 * len(trails) * len(leads))
        table[1::2] = trails * len(leads)
        table[0::2] = b"".join(bytes([lead]) * len(trails) for lead in leads)
        rows.append(table.decode(codec, "replace"))  # each pair is one character or one U+FFFD
    return "".join(rows)


_MARK = "\ue000"  # private use: cleaning removed every such character before this runs
_MARKED = lazy(f"[{_MARK}\U00020000-\U0003ffff]")  # the supplementary planes are all outside


@lru_cache(maxsize=1)
def _odd_marks() -> dict[int, str]:
    """str.translate table that marks every odd BMP character, so a line is scanned in C.

    Built once per process (≈5 ms, string operations in C): the BMP ideographs outside the two
    repertoires, less those that are the traditional form of a standard simplified character
    (爲 → 为, 説 → 说: the forms OpenCC and many mainland sites write), plus box drawing and bopomofo.
    """
    repertoire = _repertoire()
    every = "".join("".join(map(chr, range(first, last + 1))) for first, last in _IDEOGRAPH_BLOCKS if last <= 0xFFFF)
    outside = every.translate(dict.fromkeys(map(ord, repertoire)))
    simplified = _converter().convert("\n".join(outside)).split("\n")
    ordinary = set(repertoire)
    # Kept unless a single ordinary character is its simplified form; most convert to themselves,
    # so that test comes first (a third of the time of the negated conjunction).
    marks = dict.fromkeys(
        [ord(ch) for ch, simple in zip(outside, simplified) if simple == ch or len(simple) != 1 or simple not in ordinary],
        _MARK,
    )
    marks.update((code, _MARK) for first, last in _ODD_CLASSES for code in range(first, last + 1))
    return marks


def _odd_positions(text: str) -> list[int]:
    return [m.start() for m in _MARKED.finditer(text.translate(_odd_marks()))]


def _misread_utf8(text: str, chain: re.Pattern[bytes]) -> bool:
    if text.isascii():
        return False
    return any(chain.search(text.encode(codec, "replace")) for codec in _MISREAD_CODECS)


def looks_like_mojibake(text: str) -> bool:
    """Garbled bytes rather than words (e.g. ?。ㄒ唬嵤┬乱惠…): two odd characters close together,
    or UTF-8 bytes read with a Chinese or Western codec."""
    positions = _odd_positions(text)
    if any(b - a <= _ODD_NEAR for a, b in zip(positions, positions[1:])):
        return True
    return _misread_utf8(text, _MISREAD_LINE)


def _garbled(piece: str) -> bool:
    return bool(_odd_positions(piece)) or _misread_utf8(piece, _MISREAD_PIECE)


_PIECE = lazy(r"[^。，,;；:：!！]+[。，,;；:：!！]*")


def drop_mojibake(text: str) -> str:
    """Drop the garbled pieces of a line (between punctuation), keep the readable ones.

    A reliable byte-level repair needs the original bytes, which a web copy no longer has; the
    caller records what was cut so the report can say so.
    """
    kept = [p for p in _PIECE.findall(text) if not _garbled(p)]
    return "".join(kept).strip()


_MARKDOWN_HEADING = lazy(r"^\s*#{1,6}\s+")
# Markdown's strong emphasis (**（一）推进……**, __……__): copies made through markdown bold the
# headings, and the marks hide the numbering a clause starts with.
_MARKDOWN_STRONG = lazy(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Character references a copy of a page's source keeps (&nbsp; &ldquo; &#8220;): only the
# well-formed ones with their semicolon, which ordinary text never writes.
_CHAR_REFERENCE = lazy(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescape(match: re.Match[str]) -> str:
    from html import unescape

    return unescape(match.group(0))


def _clean_once(text: str) -> str:
    if "&" in text:
        text = _CHAR_REFERENCE.sub(_unescape, text)
    text = fold_width(_INVISIBLE.sub("", text))
    text = _MARKDOWN_HEADING.sub("", text)  # after folding, so a full-width ＃ heading goes too
    if "**" in text or "__" in text:
        text = _MARKDOWN_STRONG.sub(r"\2", text)
    text = strip_pinyin(text)
    text = collapse_spaces(text)
    if "?" in text:
        text = _drop_lost_chars(text)
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
    """Web furniture or placeholders, never part of a plan."""
    stripped = line.strip()
    if not stripped:
        return True
    if not has_han_or_alnum(stripped):
        return True  # punctuation or symbols only
    return any(p.search(stripped) for p in junk_patterns())


def to_simplified(text: str) -> str:
    return _converter().convert(text)


# A metadata header before the text: `name: value` lines with a Latin field name (as e-mail,
# HTTP, YAML front matter or a download tool write them), optionally as `#` comments, or a
# `---` fenced block. Chinese plans never open that way, so such a leading block is not plan text.
_HEADER_FIELD = lazy(r"^\s*(?:#+\s*)?[A-Za-z][A-Za-z0-9_ -]{0,30}\s*:\s*\S")
_FENCE = lazy(r"^\s*---\s*$")


def header_length(lines: list[str]) -> int:
    """How many leading lines are a metadata header (0 when there is none)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if first < len(lines) and _FENCE.match(lines[first]):
        closing = next((i for i in range(first + 1, len(lines)) if _FENCE.match(lines[i])), None)
        return 0 if closing is None else closing + 1
    end = first
    while end < len(lines) and _HEADER_FIELD.match(lines[end]):
        end += 1
    return end if end > first else 0


def normalise(path: str, text: str) -> CleanText:
    """Split into lines, clean each, drop junk; keep line numbers of the source for reports."""
    lines: list[Line] = []
    notes: list[str] = []
    raw_lines = text.splitlines()
    skip = header_length(raw_lines)
    blank: set[int] = set()
    for number, raw in enumerate(raw_lines[skip:], start=skip + 1):
        original = clean_line(raw)
        if not original.strip():
            blank.add(number)
        # Furniture first: a byline or footer that quotes garbled text is dropped, not reported.
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
    widths = {line.number: len(raw_lines[line.number - 1].rstrip()) for line in lines}
    joined = rejoin_wrapped(lines, frozenset(blank), widths)
    if len(joined) < len(lines):
        notes.append(f"hard-wrapped text (as extracted from a PDF): {len(lines) - len(joined)} line breaks joined")
    return CleanText(path=path, lines=tuple(joined), notes=tuple(notes))


# A line that opens a paragraph without a number: a dash-led item (——推进…).
_DASH_ITEM = lazy(r"^\s*——")
# A sentence end, perhaps inside closing quotes (…实施方案。”); a closing bracket or quote alone
# (…《实施方案》) is where a wrapped line happens to break, not where a sentence ends.
_ENDS_SENTENCE = lazy(r"[。;；!！？?:：][”」』)）]*$")


def starts_paragraph(line: Line) -> bool:
    """A line that starts a new clause (a marker of the numbering grammar, read on the simplified
    text as the parser reads it) or a dash-led paragraph: never joined onto the line before."""
    return numbering.starts_clause(line.simplified) or bool(_DASH_ITEM.match(line.simplified))


def _wrap_width(lengths: list[int]) -> int | None:
    """The width text was hard-wrapped at, if it was: many lines of the same length (±1)."""
    lengths = [n for n in lengths if n >= 15]
    if len(lengths) < 8:
        return None
    width = max(set(lengths), key=lambda n: (sum(1 for x in lengths if abs(x - n) <= 1), n))
    near = sum(1 for x in lengths if abs(x - width) <= 1)
    return width if near >= 5 and near >= 0.3 * len(lengths) else None


def rejoin_wrapped(
    lines: list[Line], blank: frozenset[int] = frozenset(), widths: dict[int, int] | None = None,
) -> list[Line]:
    """Undo hard wrapping (PDF text layers): a full-width line that does not end a sentence
    continues on the next line unless that one starts a clause or a blank line (in `blank`, source
    line numbers) separates them. Widths are those of the source lines (`widths`, by line number),
    as the wrapping saw them: cleaning (pinyin readings, spaces) shortens lines unevenly."""
    def width_of(line: Line) -> int:
        return widths[line.number] if widths and line.number in widths else len(line.original)

    width = _wrap_width([width_of(line) for line in lines])
    if width is None:
        return lines
    if len(blank) * 2 >= len(lines):
        blank = frozenset()  # blank lines between most lines are the layer's line spacing, not paragraphs
    out: list[Line] = []
    last_number = 0  # the physical line the previous output line ends on
    last_full = False  # whether that physical line ran to the wrap width
    rejoined: set[int] = set()  # output lines made of several physical ones
    for line in lines:
        previous = out[-1] if out else None
        # Only blank lines between the two: a paragraph ends, never joined across it. A page break
        # (a page number dropped as junk, blank lines around it) is no such end.
        gap = range(last_number + 1, line.number)
        apart = len(gap) > 0 and all(number in blank for number in gap)
        last_number = line.number
        full, last_full = last_full, width_of(line) >= width - 1
        if (
            previous is not None
            and not apart
            and full
            and not _ENDS_SENTENCE.search(previous.original)
            and not starts_paragraph(line)
        ):
            out[-1] = Line(previous.number, previous.original + line.original, previous.simplified + line.simplified)
            rejoined.add(len(out) - 1)
        else:
            out.append(line)
    # A reading the wrap cut in two (鎮(zh | èn)) is whole again only now: clean the joined lines once more.
    for index in rejoined:
        original = clean_line(out[index].original)
        if original != out[index].original:
            out[index] = Line(out[index].number, original, to_simplified(original))
    return out
