"""read_document: every bad input gives one InputError with a clear problem; good inputs come back exactly."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import docx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.errors import InputError
from aligner.read import DEFAULT_MAX_BYTES, read_document

PLANS = Path(__file__).resolve().parent.parent / "plans"
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def _qinghai_paragraph() -> str:
    """A real traditional-script paragraph (pinyin readings removed so Big5 can encode it)."""
    text = _PINYIN.sub("", (PLANS / "qinghai.txt").read_text(encoding="utf-8"))
    return text.splitlines()[4]


TRADITIONAL = _qinghai_paragraph()
SIMPLIFIED = "到2030年,全省常住人口城镇化率达到67%左右,农牧业转移人口落户城市渠道更加通畅,县域新型城镇化水平明显提升。"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _problem(path: Path, **kwargs: int) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, **kwargs)
    assert info.value.path == str(path)
    assert info.value.problem == info.value.problem.strip()
    return info.value.problem


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer: a Type0 font whose codes are Unicode, plus a ToUnicode map."""
    content = "BT /F1 12 Tf 14 TL 20 180 Td\n" + "".join(
        "<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*\n" for line in lines
    ) + "ET"
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        "1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode())} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /Dummy /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Dummy "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        f"<< /Length {len(cmap.encode())} >>\nstream\n{cmap}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _blank_pdf(password: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    document.add_paragraph("常住人口城镇化率提升至接近70%。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "任务"
    table.cell(0, 1).text = "责任单位"
    table.cell(1, 0).text = "推进落户"
    table.cell(1, 1).text = "省公安厅"
    document.add_paragraph("二、组织实施")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- bad inputs ----------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert _problem(tmp_path / "nope.txt") == "file not found"


def test_directory(tmp_path: Path) -> None:
    assert _problem(tmp_path) == "is a directory, not a file"


def test_no_read_permission(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.txt", "正文".encode())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: a mode-000 file is still readable")
        assert _problem(path) == "cannot be read (permission denied)"
    finally:
        path.chmod(0o644)


def test_permission_error_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same message when the OS refuses the read itself (also covers running as root)."""
    path = _write(tmp_path, "locked.txt", "正文".encode())

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    assert _problem(path) == "cannot be read (permission denied)"


def test_empty_file(tmp_path: Path) -> None:
    assert _problem(_write(tmp_path, "empty.txt", b"")) == "is empty (0 bytes)"


@pytest.mark.parametrize("data", [b" \n\t\r\n", "\u3000\n".encode(), b"\xef\xbb\xbf  \n"])
def test_whitespace_only(tmp_path: Path, data: bytes) -> None:
    assert _problem(_write(tmp_path, "blank.txt", data)) == "is empty (only whitespace)"


def test_too_large_fails_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: instant to create, and it must never be read
        handle.truncate(20 * 1024 * 1024)
    problem = _problem(path)
    assert problem == "is 20.0 MB, over the 10.0 MB limit (raise the limit with --max-size MB)"
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024


def test_too_large_with_small_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "plan.txt", "正文".encode() * 100)
    assert _problem(path, max_bytes=100) == "is 600 bytes, over the 100 bytes limit (raise the limit with --max-size MB)"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF file, not text (rename it to .pdf?)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image, not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "looks like a JPEG image, not text"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00", "looks like a GIF image, not text"),
        (b"\x7fELF\x02\x01\x01\x00", "looks like an executable (ELF), not text"),
        (b"PK\x03\x04\x14\x00\x00\x00", "looks like a ZIP archive, not text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "looks like an old Word .doc or other Office file, not text (save it as .docx?)"),
        (b"abc\x00\x00\x00\x01\x02def\x00", "contains NUL bytes; looks like a binary file, not text"),
    ],
)
def test_binary_renamed_txt(tmp_path: Path, data: bytes, expected: str) -> None:
    assert _problem(_write(tmp_path, "plan.txt", data)) == expected


def test_docx_renamed_txt(tmp_path: Path) -> None:
    path = _write(tmp_path, "plan.txt", _docx_bytes())
    assert _problem(path) == "looks like a Word .docx file, not text (rename it to .docx?)"


def test_undecodable(tmp_path: Path) -> None:
    path = _write(tmp_path, "plan.txt", bytes(range(0x80, 0x100)) * 4)
    assert _problem(path) == "cannot decode as UTF-8, GB18030 or Big5"


def test_mixed_utf8_and_gbk_lines(tmp_path: Path) -> None:
    data = (
        "一、总体要求\n".encode()
        + (SIMPLIFIED + "\n").encode("utf-8")
        + "二、重点任务\n".encode("gbk")
        + (SIMPLIFIED + "\n").encode("gbk")
    )
    problem = _problem(_write(tmp_path, "plan.txt", data))
    assert problem == "mixes encodings: UTF-8 lines and GB18030 lines (first at line 3); re-save it as UTF-8"


def test_corrupt_docx(tmp_path: Path) -> None:
    assert _problem(_write(tmp_path, "plan.docx", b"this is not a zip")) == (
        "is not a valid .docx (corrupt or not a Word file)"
    )
    truncated = _docx_bytes()[:2000]
    assert _problem(_write(tmp_path, "cut.docx", truncated)) == "is not a valid .docx (corrupt or not a Word file)"


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _problem(_write(tmp_path, "plan.docx", buffer.getvalue())) == (
        "is not a valid .docx (corrupt or not a Word file)"
    )


def test_password_protected_docx(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert _problem(_write(tmp_path, "plan.docx", data)) == (
        "is password-protected or an old .doc (save it as an unprotected .docx)"
    )


def test_corrupt_pdf(tmp_path: Path) -> None:
    assert _problem(_write(tmp_path, "plan.pdf", b"hello")) == "is not a valid PDF"
    assert _problem(_write(tmp_path, "cut.pdf", b"%PDF-1.4\n1 0 obj << /Type")) == "is not a valid PDF"


def test_encrypted_pdf(tmp_path: Path) -> None:
    assert _problem(_write(tmp_path, "plan.pdf", _blank_pdf("secret"))) == "is password-protected"


def test_pdf_without_text(tmp_path: Path) -> None:
    assert _problem(_write(tmp_path, "scan.pdf", _blank_pdf())) == (
        "has no text layer (scanned image?); run OCR first"
    )


def test_pdf_with_empty_user_password_is_opened(tmp_path: Path) -> None:
    """Owner-only encryption (printing restrictions) must not block reading; here it has no text."""
    assert _problem(_write(tmp_path, "plan.pdf", _blank_pdf(""))) == (
        "has no text layer (scanned image?); run OCR first"
    )


# --- good inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TRADITIONAL.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TRADITIONAL.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + TRADITIONAL.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + TRADITIONAL.encode("utf-16-be"), "utf-16"),
        (TRADITIONAL.encode("utf-16-le"), "utf-16"),
        (TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL.encode("gb18030"), "gb18030"),
    ],
)
def test_traditional_text_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    source = read_document(_write(tmp_path, "plan.txt", data))
    assert (source.text, source.encoding) == (TRADITIONAL, encoding)


@pytest.mark.parametrize("codec", ["gbk", "gb2312", "gb18030"])
def test_simplified_gb_text(tmp_path: Path, codec: str) -> None:
    source = read_document(_write(tmp_path, "plan.txt", SIMPLIFIED.encode(codec)))
    assert (source.text, source.encoding) == (SIMPLIFIED, "gb18030")


def test_short_big5_and_gbk_lines(tmp_path: Path) -> None:
    """Short files are where Big5 and GB18030 are easiest to confuse."""
    for text in ("一、總體要求", "青海省實施方案"):
        assert read_document(_write(tmp_path, "b.txt", text.encode("big5"))).text == text
    for text in ("一、总体要求", "青海省实施方案"):
        assert read_document(_write(tmp_path, "g.txt", text.encode("gbk"))).text == text


def test_real_plans_read_as_utf8() -> None:
    for path in sorted(PLANS.glob("*.txt")):
        source = read_document(path)
        assert source.encoding == "utf-8"
        assert source.text == path.read_text(encoding="utf-8")


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    source = read_document(_write(tmp_path, "plan.docx", _docx_bytes()))
    assert source.encoding == "docx"
    assert source.text == "一、总体要求\n常住人口城镇化率提升至接近70%。\n任务\n责任单位\n推进落户\n省公安厅\n二、组织实施"


def test_pdf_text_layer(tmp_path: Path) -> None:
    source = read_document(_write(tmp_path, "plan.pdf", make_pdf(["常住人口城镇化率提升至接近70%", "Hello world"])))
    assert (source.text, source.encoding) == ("常住人口城镇化率提升至接近70%\nHello world", "pdf")


def test_html_with_junk_and_gbk_meta(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>网站标题_门户</title><style>p { color: red }</style>
<script>var x = "不要这段";</script></head>
<body><header>网站头部</header><nav><ul><li>首页</li><li>政务公开</li></ul></nav>
<div class="article"><h1>实施方案</h1>
<p>一、总体要求</p><p>到2030年,全省常住人口城镇化率
达到67%左右。</p>
<ul><li>推进落户</li><li>完善服务</li></ul>
第一行<br>第二行
<table><tr><td>任务</td><td>责任单位</td></tr></table>
<!-- 注释 -->
</div><noscript>请启用脚本</noscript><footer>版权所有</footer></body></html>"""
    source = read_document(_write(tmp_path, "plan.html", page.encode("gbk")))
    assert source.encoding == "html/gb18030"
    assert source.text == (
        "实施方案\n一、总体要求\n到2030年,全省常住人口城镇化率达到67%左右。\n推进落户\n完善服务\n"
        "第一行\n第二行\n任务\n责任单位"
    )


def test_html_without_meta_is_detected(tmp_path: Path) -> None:
    page = f"<html><body><p>{TRADITIONAL}</p></body></html>"
    source = read_document(_write(tmp_path, "plan.htm", page.encode("big5")))
    assert (source.text, source.encoding) == (TRADITIONAL, "html/big5")


def test_html_with_wrong_meta_charset_falls_back_to_detection(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{SIMPLIFIED}</p></body></html>'
    source = read_document(_write(tmp_path, "plan.html", page.encode("gbk")))
    assert (source.text, source.encoding) == (SIMPLIFIED, "html/gb18030")


def test_html_with_only_junk(tmp_path: Path) -> None:
    page = "<html><body><nav>首页</nav><script>x()</script></body></html>"
    assert _problem(_write(tmp_path, "plan.html", page.encode())) == "contains no text"


def test_docx_without_text(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert _problem(_write(tmp_path, "plan.docx", buffer.getvalue())) == "contains no text"


def test_unknown_extension_is_text(tmp_path: Path) -> None:
    source = read_document(_write(tmp_path, "plan.md", SIMPLIFIED.encode("utf-8")))
    assert (source.text, source.encoding) == (SIMPLIFIED, "utf-8")


# --- robustness ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=600),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(alphabet="中文化率省市一二三,。\n 0123456789%abc", max_size=200).flatmap(
        lambda s: st.sampled_from([s.encode("utf-8"), s.encode("gb18030"), s.encode("utf-16")])
    ),
))
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    try:
        source = read_document(path)
    except InputError as error:
        assert error.problem
    else:
        assert source.text.strip()


def test_docx_automatic_list_numbers_become_markers(tmp_path: Path) -> None:
    """Word's auto-numbering is not in the text; levels get 一、/（一）/1. markers so tasks parse."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", level), ("w:numId", 1)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), str(value))
            num_pr.append(element)
        paragraph._p.get_or_add_pPr().append(num_pr)

    numbered("总体要求", 0)
    document.add_paragraph("坚持以人为本。")
    numbered("实施农业转移人口市民化行动", 0)
    numbered("深化户籍制度改革。", 1)
    numbered("健全常住地提供基本公共服务制度。", 1)
    numbered("实施城市更新行动", 0)
    numbered("推进老旧小区改造。", 1)
    path = tmp_path / "plan.docx"
    document.save(str(path))

    assert read_document(path).text.splitlines() == [
        "一、总体要求",
        "坚持以人为本。",
        "二、实施农业转移人口市民化行动",
        "（一）深化户籍制度改革。",
        "（二）健全常住地提供基本公共服务制度。",
        "三、实施城市更新行动",
        "（一）推进老旧小区改造。",
    ]
