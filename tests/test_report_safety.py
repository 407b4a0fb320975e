"""Untrusted text in every output: terminal escapes, bidi overrides, undecodable file names, U+2028."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import openpyxl
import pytest
from report_fixtures import alignment, national_plan, use_fake_targets

from aligner.model import Alignment, Plan
from aligner.report.escape import json_safe, safe_text
from aligner.report.json_report import JsonStream, province_json, render_document
from aligner.report.matrix import MatrixColumn, matrix_columns_from
from aligner.report.registry import FORMATS, RenderOptions, render_matrix, render_report

ESC = "\x1b[31m"
RLO = "\u202e"
HOSTILE = f"{ESC}红色{RLO}txt.exe"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(autouse=True)
def _targets(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_targets(monkeypatch)


def _with_plans(al: Alignment, **province: object) -> Alignment:
    return dataclasses.replace(al, province=dataclasses.replace(al.province, **province))


def hostile_alignment() -> Alignment:
    """Control and bidi characters in titles, texts, units, the name, the path and a warning."""
    al = alignment()
    for plan in (al.national, al.province):
        for clause in plan.clauses:
            clause.title = clause.original_title = f"{clause.title}{HOSTILE}"
            clause.text = clause.original_text = f"{clause.text}{HOSTILE}\x85next"
            clause.units = [f"{u}{RLO}" for u in clause.units]
    al.warnings.append(f"warning {HOSTILE}")
    return _with_plans(al, name=f"青海{HOSTILE}", title=f"方案{HOSTILE}", path=f"plans/{RLO}gpj.txt")


def _texts(fmt: str, out: str | bytes) -> list[str]:
    """The strings a reader sees: xlsx cell values, everything else as text."""
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(out))  # type: ignore[arg-type]
        return [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    if fmt not in ("xlsx", "review"):
        assert isinstance(out, str)
        return [out]
    book = openpyxl.load_workbook(io.BytesIO(out))
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_safe_text_leaves_ordinary_text_alone() -> None:
    text = "深化户籍制度改革\n第二行\t（一）a|b <b> 「引号」 ✔ 😀"
    assert safe_text(text) is text or safe_text(text) == text


def test_safe_text_shows_what_it_replaces() -> None:
    assert safe_text(HOSTILE) == "\\x1b[31m红色<U+202E>txt.exe"
    assert safe_text("a\x00b\x7fc\x85d\u2066e\u200ff\u061cg") == "a\\x00b\\x7fc\\x85d<U+2066>e<U+200F>f<U+061C>g"
    assert safe_text("plans/\udcff\udc80.txt") == "plans/\\xff\\x80.txt"  # surrogateescape bytes
    assert safe_text("\ud800") == "\ufffd"


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
@pytest.mark.parametrize("script", ["original", "traditional"])
def test_no_raw_escape_or_bidi_in_any_display_format(fmt: str, script: str) -> None:
    out = render_report(hostile_alignment(), fmt, RenderOptions(lang="en", explain=True, script=script, width=100))
    for text in _texts(fmt, out):
        assert not RAW_CONTROL.search(text.replace("\r\n", "\n")), fmt
        assert not BIDI.search(text), fmt
    shown = "".join(_texts(fmt, out))
    assert "<U+202E>" in shown or "&lt;U+202E&gt;" in shown
    assert "x1b" in shown


def test_coloured_terminal_has_only_its_own_escapes() -> None:
    out = render_report(hostile_alignment(), "terminal", RenderOptions(lang="en", explain=True, color=True, width=100))
    assert isinstance(out, str)
    assert "\\x1b[31m" in out  # the document's sequence, made visible
    assert ESC + "红色" not in out
    assert not BIDI.search(out)


def test_csv_cells_read_back_visible() -> None:
    out = render_report(hostile_alignment(), "csv", RenderOptions(lang="en"))
    rows = list(csv.DictReader(io.StringIO(str(out).removeprefix("\ufeff"), newline="")))
    assert rows[0]["national_title"] == "进一步深化户籍制度改革\\x1b[31m红色<U+202E>txt.exe"
    assert rows[0]["province"] == "青海\\x1b[31m红色<U+202E>txt.exe"


def test_matrix_names_and_errors_are_made_safe() -> None:
    columns = [
        dataclasses.replace(matrix_columns_from(alignment()), name=f"青海{HOSTILE}"),
        MatrixColumn.failed(f"坏{RLO}", f"plans/\udcff{ESC}.doc: cannot read"),
    ]
    plan = national_plan()
    plan.clauses[4].title = f"进一步深化户籍制度改革{HOSTILE}"
    for fmt in ("terminal", "md", "csv", "html"):
        out = render_matrix(plan, columns, fmt, RenderOptions(lang="en", width=120))
        assert isinstance(out, str)
        out.encode("utf-8")
        assert not RAW_CONTROL.search(out.replace("\r\n", "\n")) and not BIDI.search(out), fmt
        assert "xff" in out and "x1b" in out


def surrogate_alignment() -> Alignment:
    """A plan file whose name is not valid UTF-8: Python hands it over with surrogate escapes."""
    al = alignment()
    al = dataclasses.replace(al, national=dataclasses.replace(al.national, path="plans/\udcc8\udcab全国.txt"))
    return _with_plans(al, path="plans/\udcff青海.txt", name="\udcff青海")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_undecodable_path_renders_and_encodes(fmt: str) -> None:
    out = render_report(surrogate_alignment(), fmt, RenderOptions(lang="en", explain=True))
    data = out.encode("utf-8") if isinstance(out, str) else out  # raised UnicodeEncodeError before
    if fmt == "json":
        document = json.loads(data.decode("utf-8"))
        assert document["provinces"][0]["path"] == "plans/\\xff青海.txt"
        assert document["national"]["path"] == "plans/\\xc8\\xab全国.txt"
    elif fmt == "xlsx":
        summary = openpyxl.load_workbook(io.BytesIO(data))["summary"]
        cells = {row[0].value: row[1].value for row in summary.iter_rows()}
        assert cells["plan file"] == "plans/\\xff青海.txt"
    elif fmt == "docx":
        assert data.startswith(b"PK") and not any("\udcff" in t for t in _texts(fmt, data))
    elif fmt == "review":
        assert "\\xff青海" in _texts(fmt, data)  # the province column
    else:
        assert "xff" in out


def test_json_safe_keeps_the_document_valid() -> None:
    dumped = json.dumps({"path": "a\udcffb", "name": "\ud83d"}, ensure_ascii=False)
    fixed = json_safe(dumped)
    fixed.encode("utf-8")
    assert json.loads(fixed) == {"path": "a\\xffb", "name": "\ufffd"}


def test_json_stream_survives_line_separators_in_strings() -> None:
    """U+2028, U+2029 and U+0085 stay raw in json.dumps(ensure_ascii=False); str.splitlines split them."""
    al = _with_plans(alignment(), name="青\u2028海\u2029省\x85", path="plans/\udcff.txt")
    body = province_json(al)
    stream = JsonStream(al.national)
    stream.add(body)
    stream.add(body)
    failed = [MatrixColumn.failed("坏\u2028", "cannot read")]
    text = "".join(stream.pieces(failed))
    document = json.loads(text.encode("utf-8"))
    assert [p["name"] for p in document["provinces"]] == ["青\u2028海\u2029省\x85"] * 2
    assert document["errors"] == [{"name": "坏\u2028", "error": "cannot read"}]
    assert text == render_document(al.national, [body, body], [{"name": "坏\u2028", "error": "cannot read"}])


def test_plan_built_by_hand_with_empty_fields_still_renders() -> None:
    al = _with_plans(alignment(), name="", title="", path="")
    al = dataclasses.replace(al, national=Plan(path="", title="", name="", clauses=al.national.clauses))
    for fmt in FORMATS:
        assert render_report(al, fmt, RenderOptions(lang="en"))
