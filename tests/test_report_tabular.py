"""CSV and XLSX: rows read back, formula injection neutralised, xlsx byte-identical per input."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from report_fixtures import EVIL_FORMULAS, alignment, empty_alignment, expected_csv_rows

from aligner.report.tabular import CSV_COLUMNS, csv_safe, render_csv, render_xlsx


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "CSV starts with the UTF-8 BOM (Excel on Chinese Windows needs it)"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_header_and_row_count() -> None:
    al = alignment()
    text = render_csv(al)
    assert text.removeprefix("\ufeff").splitlines()[0].split(",") == list(CSV_COLUMNS)
    rows = read_csv(text)
    assert len(rows) == expected_csv_rows(al) == 9


def test_csv_row_content() -> None:
    rows = read_csv(render_csv(alignment()))
    first = rows[0]
    assert first["province"] == "青海"
    assert first["national_id"] == "2.2.1"
    assert first["national_kind"] == "task"
    assert first["national_action"] == "实施新一轮农业转移人口市民化行动"
    assert first["status"] == "covered"
    assert (first["province_id"], first["score"], first["relation"]) == ("1.1", "0.93", "same")
    assert first["shared_terms"] == "户籍制度、改革"
    assert first["responsible_units"] == "省公安厅、省发展改革委"
    gaps = [r for r in rows if r["status"] == "gap"]
    assert [g["national_id"] for g in gaps] == ["3.2.2", "3.3.1"]
    assert all(g["province_id"] == g["score"] == g["relation"] == "" for g in gaps)
    double = [r["province_id"] for r in rows if r["national_id"] == "3.2.3"]
    assert double == ["2.2", "2.1"]
    assert rows[3]["national_kind"] == "measure"


def test_csv_formula_cells_prefixed() -> None:
    rows = read_csv(render_csv(alignment()))
    titles = {r["province_id"]: r["province_title"] for r in rows}
    assert titles["1.2"] == "'=SUM(1) 健全常住地基本公共服务"
    assert titles["1.3"].startswith("'+1 ")
    assert titles["1.4"].startswith("'-1 ")
    assert titles["2.1"] == "'@x 培育高原特色产业集群"
    for row in rows:
        for value in row.values():
            assert not value.startswith(EVIL_FORMULAS + ("\t", "\r")), value


def test_csv_keeps_hostile_text_in_one_cell() -> None:
    rows = read_csv(render_csv(alignment()))
    gap = next(r for r in rows if r["national_id"] == "3.2.2")
    assert gap["national_title"] == "促进产业园区提级扩能 <script>alert(1)</script>"
    assert any(r["province_title"] == "<script>alert(1)</script> 强化人才支撑 a|b" for r in rows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), ("", "")],
)
def test_csv_safe(value: str, expected: str) -> None:
    assert csv_safe(value) == expected


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_sheets_and_values() -> None:
    al = alignment()
    book = load(render_xlsx(al))
    assert book.sheetnames == ["summary", "national coverage", "provincial tasks", "links"]
    summary = {r[0]: r[1] for r in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["province"] == "青海"
    assert (summary["national tasks"], summary["covered"], summary["partial"], summary["gap"]) == (6, 4, 1, 1)
    assert summary["coverage percent"] == 75
    assert summary["provincial additions"] == 1
    warnings = [r[1] for r in book["summary"].iter_rows(min_row=2, values_only=True) if r[0] == "warning"]
    assert len(warnings) == 3

    coverage = list(book["national coverage"].iter_rows(values_only=True))
    assert list(coverage[0]) == list(CSV_COLUMNS)
    assert len(coverage) - 1 == expected_csv_rows(al)
    assert coverage[1][CSV_COLUMNS.index("score")] == pytest.approx(0.93)

    tasks = {r[0]: r for r in book["provincial tasks"].iter_rows(min_row=2, values_only=True)}
    assert tasks["2.3"][-1] == "yes" and tasks["1.1"][-1] == "no"
    assert tasks["2.1"][1:3] == ("21.", "21")  # the plan's own numbering and line beside the id
    assert tasks["2.1"][7] == "3.2.1, 3.2.3"
    assert tasks["1.1"][6] == "省公安厅、省发展改革委"

    links = list(book["links"].iter_rows(values_only=True))
    assert len(links) - 1 == len(al.links)
    assert "thesaurus: 高原特色→特色" in [r[-1] for r in links]


def test_xlsx_has_no_formulas_and_keeps_text_verbatim() -> None:
    book = load(render_xlsx(alignment()))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    # xlsx stores text as text: no quote prefix needed or added
    assert "=SUM(1) 健全常住地基本公共服务" in texts
    assert "@x 培育高原特色产业集群" in texts
    assert not any(t.startswith("'") for t in texts)


def test_xlsx_is_deterministic() -> None:
    data = render_xlsx(alignment())
    assert data == render_xlsx(alignment())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # the timestamp is pinned, not "now" (which would only match within the same second)
    assert core.count("2000-01-01T00:00:00Z") == 2
    other = render_xlsx(alignment(), created=datetime(2024, 7, 28))
    assert other != render_xlsx(alignment())


def test_empty_alignment_exports() -> None:
    al = empty_alignment()
    assert len(read_csv(render_csv(al))) == 8
    book = load(render_xlsx(al))
    assert book["provincial tasks"].max_row == 1
