"""Character-level safety for untrusted document text, shared by every output format.

Plan titles, texts, province names and file paths come from documents and file systems nobody
vetted. `safe_text` is the one gate the report view passes every displayed string through, so
terminal control sequences, bidi overrides (which can make `gpj.exe` read as `exe.jpg`) and
undecodable file-name bytes never reach a terminal, spreadsheet or browser raw. The per-format
escapes (`esc` for HTML, `md_escape` for markdown, `csv_safe` for spreadsheets) live here too, so
no renderer needs to import another.
"""

from __future__ import annotations

import re

from aligner.lazy_re import lazy

# C0 controls except tab and newline (layout helpers collapse those), DEL and C1 controls.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidi embeddings/overrides/isolates and the implicit marks: they reorder what the reader sees.
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# Lone surrogates: Python's surrogateescape form of file-name bytes that are not valid UTF-8.
_SURROGATES = "\ud800-\udfff"
_UNSAFE = lazy(f"[{_CONTROLS}{_BIDI}{_SURROGATES}]")
_LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")


def _visible_match(match: re.Match[str]) -> str:
    return _visible(match.group())


def _visible(char: str) -> str:
    """How one unsafe character is shown: `\\x1b`, `<U+202E>`, `\\xff` for an escaped file-name byte."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape of byte 0x80..0xff
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def safe_text(text: str) -> str:
    """Text with every control, bidi and lone-surrogate character replaced by a visible escape.

    Ordinary text (including newlines and tabs) is returned unchanged, so reports of normal
    documents are byte-identical; the result always encodes to UTF-8.
    """
    return _UNSAFE.sub(_visible_match, text) if text else text


def json_safe(dumped: str) -> str:
    """JSON text (ensure_ascii=False) without lone surrogates, so it encodes to valid UTF-8.

    Surrogates only occur inside JSON strings, where the visible escape needs its backslash
    escaped: a file name byte 0xff reads back as the four characters `\\xff`.
    """
    return _LONE_SURROGATE.sub(lambda m: _visible(m.group()).replace("\\", "\\\\"), dumped)


def esc(text: str) -> str:
    """html.escape with quotes, so the result is safe in text and in attribute values."""
    import html  # here, not at the top: only HTML reports need it (start-up)

    return html.escape(text, quote=True)


_MD_SPECIALS = lazy(r"([\\`*_\[\]|~])")
# Everything str.splitlines() breaks on, so no renderer or reader sees a new line inside a cell.
_MD_NEWLINES = lazy(r"[ \t]*(?:\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029])\s*")
_MD_CONTROLS = lazy(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")


def md_escape(text: str) -> str:
    """Make text inert in a GFM table cell or inline position.

    HTML specials become entities, markdown specials get a backslash (including `|`),
    newlines become a space (a table cell holds no line break, and `<br>` is HTML that
    plain-markdown readers print as is), and a leading
    `#` is escaped so a title cannot turn into a heading.
    """
    import html

    text = _MD_SPECIALS.sub(r"\\\1", _MD_CONTROLS.sub("", text).strip())
    text = html.escape(text, quote=False)
    text = _MD_NEWLINES.sub(" ", text)
    if text.startswith("#"):
        text = "\\" + text
    return text


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Prefix `'` to text a spreadsheet would read as a formula (CSV/DDE injection)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
