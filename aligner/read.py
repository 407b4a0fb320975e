"""First pipeline stage: turn a file's bytes into text, or explain clearly why it cannot be used.

Plans arrive as whatever a user saved from a government site: UTF-8, GB18030/GBK, Big5, UTF-16
from Notepad, Word files, PDFs, saved web pages. Every failure becomes an `InputError` with one
short sentence, so the CLI never shows a traceback for a bad input.
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .lazy_re import lazy
from .model import SourceText

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_MB = 1024 * 1024

# Limits on what a reader expands, all tied to --max-size (max_bytes) so one option raises them all.
# A file can be small and expand hugely (a zip bomb: a few MB of .docx holding gigabytes of XML), so
# the size limit alone does not bound memory or time. For a ZIP container (.docx):
# - its members may expand to at most _EXPANSION × max_bytes in total (200 MB by default), checked
#   from the zip directory before anything is parsed and again while every member is streamed
#   through a bounded reader (a directory can lie about sizes);
# - it may hold at most _ENTRIES_PER_MB entries per MB of max_bytes (10,240 by default; a Word file
#   has a few dozen, plus its images).
# For every kind of file, the extracted text may be at most _TEXT_FACTOR × max_bytes characters, and
# no line longer than max_bytes characters (neither can be reached by a .txt within the size limit).
# Real documents are far inside these: Word XML compresses 5–10 times, a 10 MB .docx of text
# expands to well under 200 MB, and a plan's paragraphs are thousands of characters, not millions.
# Long lines are made cheap instead of forbidden (every later stage is linear in a line's length),
# so the line limit only stops a pathological input.
_EXPANSION = 20
_ENTRIES_PER_MB = 1024
_TEXT_FACTOR = 2
_STREAM_CHUNK = 1 << 20

# BOMs, longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
)

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: old .doc, or an encrypted .docx
# (magic prefix, what it is, hint) — checked against files that are meant to be text.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF file", " (rename it to .pdf?)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", ""),
    (b"\xff\xd8\xff", "a JPEG image", ""),
    (b"GIF87a", "a GIF image", ""),
    (b"GIF89a", "a GIF image", ""),
    (_CFB_MAGIC, "an old Word .doc or other Office file", " (save it as .docx?)"),
    (b"\x7fELF", "an executable (ELF)", ""),
    (b"\x1f\x8b", "a gzip archive", ""),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", ""),
    (b"Rar!\x1a\x07", "a RAR archive", ""),
    (b"SQLite format 3\x00", "an SQLite database", ""),
    (b"{\\rtf", "an RTF document", " (save it as .docx or .txt?)"),
)

# Candidates for non-UTF-8 Chinese text; gb18030 is a superset of gbk/gb2312, so it replaces them.
_CANDIDATES = ("gb18030", "big5", "utf_16")
_GUESSABLE = ("gb18030", "big5", "utf-16")
_CODEC_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "gb_2312": "gb18030", "x-gbk": "gb18030",
                  "cp936": "gb18030", "big5-hkscs": "big5hkscs", "utf8": "utf-8", "utf_8": "utf-8",
                  "utf_16": "utf-16"}

_HTML_DROP = ("head", "title", "script", "style", "nav", "header", "footer", "noscript", "template")
_HTML_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
                "table", "ul", "ol", "section", "article", "blockquote", "pre", "dt", "dd")
_META_CHARSET = lazy(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Big CJK character classes cost ~2 ms each to compile (re builds a 64 K-entry map), and only
# reading a file that is not plain UTF-8 needs these: compiled on first use, not at start-up.


@lru_cache(maxsize=1)
def _cjk() -> re.Pattern[str]:
    return re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _plausible() -> re.Pattern[str]:
    return re.compile(
        r"[\x21-\x7e\u00b7\u2010-\u206f\u2150-\u218f\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff"
        r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
    )


def read_document(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a plan file of any supported kind; every unusable input raises InputError."""
    name = str(path)
    file = Path(path)
    size = _checked_size(file, name, max_bytes)
    if size == 0:
        raise InputError(name, "is empty (0 bytes)")
    data = _read_bytes(file, name, max_bytes)
    return read_bytes(data, name, file.suffix.lower(), max_bytes)


def read_bytes(data: bytes, name: str, suffix: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Decode a document held in memory; `suffix` (".docx", ".pdf", ".html", anything else: text)
    says how, as a file's extension would. Same checks and errors as `read_document`."""
    if len(data) > max_bytes:
        raise InputError(name, f"is {_size(len(data))}, over the {_size(max_bytes)} limit (raise the limit with --max-size MB)")
    if not data:
        raise InputError(name, "is empty (0 bytes)")
    if suffix == ".docx":
        text, encoding = _read_docx(data, name, max_bytes), "docx"
    elif suffix == ".pdf":
        text, encoding = _read_pdf(data, name), "pdf"
    elif suffix in (".html", ".htm"):
        text, encoding = _read_html(data, name)
    else:
        text, encoding = _decode_text(data, name)
    if not text.strip():
        extracted = suffix in (".docx", ".html", ".htm")
        raise InputError(name, "contains no text" if extracted else "is empty (only whitespace)")
    _check_text(text, name, max_bytes)
    return SourceText(path=name, text=text, encoding=encoding)


def _raise_hint(max_bytes: int) -> str:
    return f"raise it with --max-size MB; it is now {_size(max_bytes)}"


def _check_text(text: str, name: str, max_bytes: int) -> None:
    """What a reader extracted must stay within the limits every later stage is sized for."""
    if len(text) > _TEXT_FACTOR * max_bytes:
        raise InputError(
            name,
            f"holds more than {_TEXT_FACTOR * max_bytes:,} characters of text "
            f"(the limit is {_TEXT_FACTOR} per byte of --max-size; {_raise_hint(max_bytes)})",
        )
    longest = max(map(len, text.splitlines()), default=0)
    if longest > max_bytes:
        raise InputError(
            name,
            f"has a line of {longest:,} characters, over the {max_bytes:,} limit "
            f"(the limit is 1 per byte of --max-size; {_raise_hint(max_bytes)})",
        )


# --- file system -------------------------------------------------------------------------------


def _checked_size(file: Path, name: str, max_bytes: int) -> int:
    """Stat before reading, so a huge file or a device fails at once instead of being read."""
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InputError(name, "file not found") from None
    except NotADirectoryError:
        raise InputError(name, "file not found (a parent in the path is not a directory)") from None
    except PermissionError:
        raise InputError(name, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({_reason(exc)})") from None
    except ValueError:  # e.g. an embedded NUL in the name
        raise InputError(name, "is not a valid file name") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(name, "is not a regular file")
    if info.st_size > max_bytes:
        raise InputError(
            name,
            f"is {_size(info.st_size)}, over the {_size(max_bytes)} limit "
            "(raise the limit with --max-size MB)",
        )
    return info.st_size


def _read_bytes(file: Path, name: str, max_bytes: int) -> bytes:
    """Read at most one byte past the limit, in case the file grew after the stat."""
    try:
        with file.open("rb") as handle:
            # In blocks: read(n) allocates n bytes up front, and a huge --max-size would ask for exabytes.
            blocks: list[bytes] = []
            total = 0
            while total <= max_bytes and (block := handle.read(min(1 << 20, max_bytes + 1 - total))):
                blocks.append(block)
                total += len(block)
            data = b"".join(blocks)
    except PermissionError:
        raise InputError(name, "cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({_reason(exc)})") from None
    if len(data) > max_bytes:
        raise InputError(name, f"is over the {_size(max_bytes)} limit (raise the limit with --max-size MB)")
    return data


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _size(n: int) -> str:
    """Human size for messages; MB because that is the unit of --max-size."""
    if n >= _MB // 10:
        return f"{n / _MB:.1f} MB"
    return f"{n:,} bytes"


# --- plain text --------------------------------------------------------------------------------


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode text bytes: BOM, then strict UTF-8, then a Chinese-only guess that must decode strictly."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], codec, name, label), label
    _reject_magic(data, name)
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise InputError(name, "contains NUL bytes; looks like a binary file, not text")
        return utf16, "utf-16"
    try:
        return _checked_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed_line = _first_non_utf8_line_if_mixed(data)
    if mixed_line is not None:
        other = _guess_codec(b"\n".join(_non_utf8_lines(data)))
        raise InputError(
            name,
            f"mixes encodings: UTF-8 lines and {_codec_label(other) if other else 'non-UTF-8'} lines "
            f"(first at line {mixed_line}); re-save it as UTF-8",
        )
    guessed = _guess_codec(data)
    if guessed is None:
        raise InputError(name, "cannot decode as UTF-8, GB18030 or Big5")
    label = "utf-16" if guessed.startswith("utf-16") else guessed
    return _strict(data, guessed, name, label), label


def _strict(data: bytes, codec: str, name: str, label: str) -> str:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        raise InputError(name, f"is not valid {_codec_label(label)} text (its byte-order mark says it is)") from None
    return _checked_text(text, name)


def _checked_text(text: str, name: str) -> str:
    """A decoding can succeed on binary junk; many control characters give that away."""
    sample = text[:65536]
    controls = sum(1 for c in sample if _is_control(c))
    if sample and controls / len(sample) > 0.05:
        raise InputError(name, "looks like binary data, not text")
    return text


def _is_control(char: str) -> bool:
    return (ord(char) < 32 and char not in "\t\n\r\f\v") or 0x7F <= ord(char) < 0xA0


def _plausible_chinese(text: str) -> bool:
    """Guessed decodings of junk give rare symbols; real plans are CJK, ASCII and punctuation."""
    sample = [c for c in text[:65536] if not c.isspace()]
    if not sample:
        return True
    plausible = _plausible()
    good = sum(1 for c in sample if plausible.match(c))
    return good / len(sample) >= 0.8


def _reject_magic(data: bytes, name: str) -> None:
    """Known file signatures: a renamed PDF or image should say what it is."""
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise InputError(name, f"looks like {what}, not text{hint}")
    if data.startswith(_ZIP_MAGIC):
        if _zip_has(data, "word/document.xml"):
            raise InputError(name, "looks like a Word .docx file, not text (rename it to .docx?)")
        raise InputError(name, "looks like a ZIP archive, not text")


def _zip_has(data: bytes, member: str) -> bool:
    import zipfile  # only for input that starts like a ZIP archive (start-up)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters put their NUL on the same side of every pair.

    A few NULs on the other side are fine: ideographs like 一 (U+4E00) have a zero low byte.
    """
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd > 3 * even:
        codec = "utf-16-le"
    elif even > 3 * odd:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if any(_is_control(c) for c in text) or not _plausible_chinese(text):
        return None
    return text


def _non_utf8_lines(data: bytes) -> list[bytes]:
    return [line for line in data.split(b"\n") if not _is_utf8(line)]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _first_non_utf8_line_if_mixed(data: bytes) -> int | None:
    """Line number of the first non-UTF-8 line when other lines are clearly UTF-8 Chinese.

    A GBK or Big5 line is almost never valid UTF-8 *and* made of CJK ideographs, so two such
    ideographs on one line are taken as proof that the file really holds UTF-8.
    """
    lines = data.split(b"\n")
    has_utf8_cjk = False
    first_bad: int | None = None
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            if first_bad is None:
                first_bad = number
            continue
        if len(_cjk().findall(text)) >= 2:
            has_utf8_cjk = True
    return first_bad if has_utf8_cjk else None


def _guess_codec(data: bytes) -> str | None:
    """Pick among the Chinese candidates with charset-normalizer; the pick must decode strictly."""
    from charset_normalizer import from_bytes

    try:
        best = from_bytes(data, cp_isolation=list(_CANDIDATES)).best()
    except Exception:  # charset-normalizer is heuristic code; a crash must not escape as a traceback
        best = None
    tried: list[str] = []
    if best is not None and best.encoding:
        tried.append(_normal_codec(best.encoding))
    tried.extend(c for c in _GUESSABLE if c not in tried)
    for codec in tried:
        if codec not in _GUESSABLE or (codec == "utf-16" and len(data) % 2):
            continue
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible_chinese(text):
            return codec
    return None


def _normal_codec(name: str) -> str:
    key = name.strip().lower()
    return _CODEC_ALIASES.get(key, _CODEC_ALIASES.get(key.replace("-", "_"), key.replace("_", "-")))


def _codec_label(codec: str) -> str:
    return {"gb18030": "GB18030", "big5": "Big5", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
            "utf-16-be": "UTF-16", "utf-32": "UTF-32", "utf-8": "UTF-8", "utf-8-sig": "UTF-8"}.get(codec, codec)


# --- Word ----------------------------------------------------------------------------------------


def _read_docx(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Paragraphs and table cells in document order, one line per paragraph."""
    if data.startswith(_CFB_MAGIC):
        raise InputError(name, "is password-protected or an old .doc (save it as an unprotected .docx)")
    if not data.startswith(_ZIP_MAGIC):
        raise InputError(name, "is not a valid .docx (corrupt or not a Word file)")
    _check_zip(data, name, max_bytes)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines = _docx_lines(document.element.body, document)
    except Exception:  # python-docx/lxml/zipfile raise many types for broken packages
        raise InputError(name, "is not a valid .docx (corrupt or not a Word file)") from None
    return "\n".join(lines)


def _check_zip(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse a ZIP that expands beyond the limits, before a parser inflates it into memory.

    The directory is checked first (cheap), then every member is streamed through zipfile's
    bounded reader and counted, since declared sizes can lie; memory stays at one chunk.
    """
    limit = _EXPANSION * max_bytes
    entries = max(1, _ENTRIES_PER_MB * max_bytes // _MB)
    import zipfile

    too_big = (
        f"expands to more than {_size(limit)} (the limit is {_EXPANSION} × --max-size; {_raise_hint(max_bytes)})"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > entries:
                raise InputError(
                    name,
                    f"holds {len(members):,} files, over the {entries:,} limit "
                    f"(the limit is {_ENTRIES_PER_MB} per MB of --max-size; {_raise_hint(max_bytes)})",
                )
            if sum(member.file_size for member in members) > limit:
                raise InputError(name, too_big)
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_STREAM_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise InputError(name, too_big)
    except InputError:
        raise
    except Exception:  # zipfile raises BadZipFile, EOFError, zlib.error, NotImplementedError…
        raise InputError(name, "is not a valid .docx (corrupt or not a Word file)") from None


# Word's automatic list numbers are not part of the paragraph text; these stand in for them, one
# style per list level, in the order Chinese official documents nest them.
_LIST_MARKERS = ("{cn}、", "（{cn}）", "{n}.", "（{n}）", "{circled}")
_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五, 1001 → 一千零一 (as list markers write them)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = chinese_numeral(low) if low else ""
        return chinese_numeral(high) + "万" + ("零" if rest and low < 1000 else "") + rest
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if gap else "") + _CN_DIGITS[digit] + unit
            gap = False
        elif out:
            gap = True
    return out[1:] if out.startswith("一十") else out  # 十二, not 一十二


def _list_marker(level: int, n: int) -> str:
    circled = chr(0x2460 + n - 1) if n <= 20 else f"({n})"
    return _LIST_MARKERS[min(level, len(_LIST_MARKERS) - 1)].format(cn=chinese_numeral(n), n=n, circled=circled)


def _numbering(paragraph: object) -> tuple[str, int] | None:
    """(list id, level) of a paragraph in an automatically numbered Word list, else None."""
    p_pr = paragraph._p.pPr  # type: ignore[attr-defined]
    num_pr = p_pr.numPr if p_pr is not None else None
    if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:
        return None
    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), int(level)


def _blocks(element: object, parent: object) -> Iterator[object]:
    """Paragraphs and tables of a body or cell in document order, content controls opened."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():  # type: ignore[attr-defined]
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)  # type: ignore[arg-type]
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)  # type: ignore[arg-type]
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            yield from _blocks(child if content is None else content, parent)


def _docx_lines(element: object, parent: object) -> list[str]:
    """The lines of a body or table cell: CT_P and CT_Tbl children read in order."""
    from docx.table import Table

    lines: list[str] = []
    counters: dict[tuple[str, int], int] = {}
    for block in _blocks(element, parent):
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            continue
        text = block.text.strip()  # type: ignore[attr-defined]
        if not text:
            continue
        numbered = _numbering(block)
        if numbered is not None:
            list_id, level = numbered
            counters[list_id, level] = counters.get((list_id, level), 0) + 1
            for deeper in [key for key in counters if key[0] == list_id and key[1] > level]:
                del counters[deeper]  # a new item restarts the numbering below it
            text = _list_marker(level, counters[list_id, level]) + text
        lines.append(text)
    return lines


# A cell that holds only a sequence number (序号 column): 1, 12, 一, 十二, or already 1. / （一）.
_BARE_NUMBER = lazy(r"^(?:(\d+)|([一二三四五六七八九十百千]+)|[(（]?\s*[\d一二三四五六七八九十百千]+\s*[)）.、．]?)$")


def _table_lines(table: object) -> list[str]:
    """Each cell paragraph a line, row by row; merged cells (repeated by python-docx) read once.

    Task tables often give each task a row with its number in a cell of its own: that number
    becomes the marker of the row's next line, so the task is found. A table sits under a
    heading, so a bare Chinese numeral takes the second-level form (1 → "1.", 一 → "（一）").
    """
    lines: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        seen: set[int] = set()
        row_lines: list[list[str]] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            row_lines.append(_docx_lines(cell._tc, cell))
        cells = [cell for cell in row_lines if cell]
        if len(cells) >= 2 and len(cells[0]) == 1 and (number := _BARE_NUMBER.match(cells[0][0])):
            bare = cells[0][0]
            marker = f"{bare}." if number.group(1) else f"（{bare}）" if number.group(2) else bare
            cells = [[marker + cells[1][0], *cells[1][1:]], *cells[2:]]
        for cell in cells:
            lines.extend(cell)
    return lines


# --- PDF -----------------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str) -> str:
    """The text layer, pages joined with newlines; scans without one need OCR first."""
    if b"%PDF-" not in data[:1024]:
        raise InputError(name, "is not a valid PDF")
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except DependencyError:
                raise InputError(name, "is encrypted with AES; install the 'cryptography' package to read it") from None
            if not unlocked:
                raise InputError(name, "is password-protected")
        pages = [(page.extract_text() or "").rstrip() for page in reader.pages]
    except InputError:
        raise
    except Exception:  # pypdf raises many types (PdfReadError, KeyError, ValueError…) on broken files
        raise InputError(name, "is not a valid PDF") from None
    text = "\n".join(pages)
    if not text.strip():
        raise InputError(name, "has no text layer (scanned image?); run OCR first")
    return text


# --- HTML ----------------------------------------------------------------------------------------


def _read_html(data: bytes, name: str) -> tuple[str, str]:
    markup, codec = _decode_html(data, name)
    try:
        return _html_text(markup), f"html/{codec}"
    except Exception:  # html.parser is lenient, but a crash must still become a clean message
        raise InputError(name, "is not valid HTML") from None


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """The declared charset when it decodes strictly (gbk read as gb18030), else byte detection.

    A declared UTF-16/32 is ignored: the declaration was readable as ASCII, so it is wrong.
    """
    declared = _META_CHARSET.search(data[:8192])
    if declared and not any(data.startswith(bom) for bom, _, _ in _BOMS):
        _reject_magic(data, name)
        codec = _normal_codec(declared.group(1).decode("ascii", "replace"))
        if not codec.startswith(("utf-16", "utf-32")):
            try:
                return _checked_text(data.decode(codec), name), codec
            except (UnicodeDecodeError, LookupError):
                pass
    return _decode_text(data, name)


def _html_text(markup: str) -> str:
    """Visible text with block elements on their own lines and blank lines removed.

    Source line breaks inside a paragraph are only layout, so whitespace is collapsed first and
    the newlines come from block elements alone. One streaming pass of the standard HTML parser
    (the one BeautifulSoup's "html.parser" builder drives) with a stack of open elements: linear
    in the page, however many <br> or nested <div> it holds.
    """
    extractor = _text_extractor()()
    extractor.feed(markup)
    extractor.close()
    lines = (_squeeze(line) for line in "".join(extractor.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# Elements that never have content or an end tag; they are not pushed on the stack.
_HTML_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)
_HTML_DROP_SET = frozenset(_HTML_DROP)
_HTML_BLOCK_SET = frozenset(_HTML_BLOCKS)


@lru_cache(maxsize=1)
def _text_extractor() -> type:
    """The extractor class, defined on first use: html.parser is imported only for HTML input."""
    from html.parser import HTMLParser

    class _TextExtractor(HTMLParser):
        """Collects text outside dropped elements, a newline at each block element's start and end.

        An end tag closes the most recent open element of its name and everything opened after it
        (as BeautifulSoup does); an end tag with no open element of its name is ignored. Counting
        the open elements by name keeps every check O(1), and each element is popped once.
        """

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.stack: list[str] = []
            self.open: dict[str, int] = {}
            self.dropping = 0  # open dropped elements (script, nav, …)
            self.in_pre = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _HTML_BLOCK_SET and not self.dropping:
                self.parts.append("\n")
            if tag in _HTML_VOID:
                if tag in _HTML_BLOCK_SET and not self.dropping:
                    self.parts.append("\n")
                return
            self.stack.append(tag)
            self.open[tag] = self.open.get(tag, 0) + 1
            self.dropping += tag in _HTML_DROP_SET
            self.in_pre += tag == "pre"

        def handle_endtag(self, tag: str) -> None:
            if not self.open.get(tag):
                return
            while self.stack:
                closed = self.stack.pop()
                self.open[closed] -= 1
                self.dropping -= closed in _HTML_DROP_SET
                self.in_pre -= closed == "pre"
                if closed in _HTML_BLOCK_SET and not self.dropping:
                    self.parts.append("\n")
                if closed == tag:
                    return

        def handle_data(self, data: str) -> None:
            if not self.dropping:
                self.parts.append(data if self.in_pre else re.sub(r"\s+", " ", data))

    return _TextExtractor


def _squeeze(line: str) -> str:
    """HTML whitespace is insignificant; between two CJK characters it is only a source line wrap."""
    line = re.sub(r"[^\S\n]+", " ", line).strip()
    return re.sub(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])", "", line)
