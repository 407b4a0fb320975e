"""Multi-province matrix: five provinces, one of them failed, in every format."""

from __future__ import annotations

import csv
import io
import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from report_fixtures import alignment, national_plan, tables
from rich.cells import cell_len
from rich.console import Console

from aligner.model import Status
from aligner.report.matrix import (
    MatrixColumn,
    matrix_columns_from,
    matrix_groups,
    render_matrix_csv,
    render_matrix_html,
    render_matrix_markdown,
    render_matrix_terminal,
)

ROW_IDS = ["2.2.1", "2.2.2", "2.2.3", "2.3.1", "3.2.1", "3.2.2", "3.2.3", "3.3.1"]
# What a reader sees: the plan's own numbering (the fixture numbers 2 / 2. / 1.) and the line
ROW_LABELS = ["22.1. (line 24)", "22.2. (line 25)", "22.3. (line 26)", "23.1. (line 31)", "32.1. (line 43)",
              "32.2. (line 44)", "32.3. (line 45)", "33.1. (line 51)"]
ERROR = "plans/hebei.doc: cannot read <legacy .doc> | convert to .docx"


def columns() -> list[MatrixColumn]:
    qinghai = matrix_columns_from(alignment())
    all_covered = {i: Status.COVERED for i in ROW_IDS}
    return [
        qinghai,
        MatrixColumn("甘肃", all_covered, 100.0, None),
        MatrixColumn.failed("河北", ERROR),
        MatrixColumn("湖南", {i: Status.GAP for i in ROW_IDS[:-1]}, 0.0, None),  # 3.3.1 missing
        MatrixColumn("=内蒙古", {i: Status.PARTIAL for i in ROW_IDS}, 50.0, None),
    ]


def test_columns_from_alignment() -> None:
    column = matrix_columns_from(alignment())
    assert column.name == "青海" and column.error is None
    assert column.statuses["3.2.2"] is Status.GAP and column.statuses["2.2.3"] is Status.PARTIAL
    assert column.coverage_percent == pytest.approx(75.0)


def test_rows_grouped_tasks_then_measures() -> None:
    groups = matrix_groups(national_plan())
    assert [(a.id if a else None, [c.id for c in cs]) for a, cs in groups] == [
        ("2", ["2.2.1", "2.2.2", "2.2.3", "2.3.1"]),
        ("3", ["3.2.1", "3.2.2", "3.2.3", "3.3.1"]),
    ]


def test_terminal_fits_80_and_shows_failure() -> None:
    buffer = StringIO()
    render_matrix_terminal(national_plan(), columns(), Console(file=buffer, width=80, color_system=None))
    out = buffer.getvalue()
    assert "\x1b[" not in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    for name in ["青海", "甘肃", "河北", "湖南", "=内蒙古"]:
        assert name in out
    row = next(line for line in out.splitlines() if "22.3. (line 26)" in line)
    assert [s for s in row if s in "✔◐✘⚠?"] == ["◐", "✔", "⚠", "✘", "◐"]
    footer = next(line for line in out.splitlines() if "coverage" in line and "%" in line)
    assert "75.0%" in footer and "100.0%" in footer and "error" in footer
    assert "河北: plans/hebei.doc: cannot read <legacy .doc> | convert to .docx" in out
    missing = next(line for line in out.splitlines() if "33.1. (line 51)" in line)
    assert "?" in missing


def test_markdown_table_is_well_formed() -> None:
    out = render_matrix_markdown(national_plan(), columns())
    (table,) = tables(out)
    header, _, *rows = table
    assert header == ["#", "national task / measure", "青海", "甘肃", "河北", "湖南", "=内蒙古"]
    assert all(len(r) == len(header) for r in table)
    by_id = {r[0]: r for r in rows if r[0]}
    assert list(by_id) == ROW_LABELS
    assert by_id["32.2. (line 44)"][2:] == ["✘", "✔", "⚠", "✘", "◐"]
    assert by_id["33.1. (line 51)"][5] == "?"
    assert rows[-1][1] == "**coverage**" and rows[-1][2:] == ["75.0%", "100.0%", "error", "0.0%", "50.0%"]
    assert "- 河北: plans/hebei.doc: cannot read &lt;legacy .doc&gt; \\| convert to .docx" in out


def test_csv_matrix() -> None:
    text = render_matrix_csv(national_plan(), columns())
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    header, *body, footer = rows
    assert header == ["national_id", "national_number", "national_line", "national_kind", "national_action",
                      "national_title", "青海", "甘肃", "河北", "湖南", "'=内蒙古"]
    assert [r[0] for r in body] == ROW_IDS  # ids kept for scripts, the numbering and line beside them
    assert [(r[1], r[2]) for r in body][:2] == [("22.1.", "24"), ("22.2.", "25")]
    assert body[2][6:] == ["partial", "covered", "error", "gap", "partial"]
    assert body[-1][3] == "measure" and body[-1][9] == "missing"
    assert footer[5] == "coverage_percent"
    assert footer[6:] == ["75.0", "100.0", f"error: {ERROR}", "0.0", "50.0"]


def test_html_heat_map() -> None:
    text = render_matrix_html(national_plan(), columns())
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find_all("script") == [] and "http" not in text
    assert "<legacy .doc>" not in text
    table = soup.find("table", class_="matrix")
    assert [th.get_text() for th in table.thead.find_all("th")][2:] == ["青海", "甘肃", "河北", "湖南", "=内蒙古"]
    body_rows = [tr for tr in table.tbody.find_all("tr") if "group" not in (tr.get("class") or [])]
    assert [tr.find("td").get_text() for tr in body_rows] == ROW_LABELS
    groups = [tr.get_text() for tr in table.tbody.find_all("tr", class_="group")]
    assert groups == ["2 (line 20) 实施新一轮农业转移人口市民化行动", "3 (line 40) 实施潜力地区城镇化水平提升行动"]
    cells = body_rows[2].find_all("td", class_="cell")
    assert [c["class"][1] for c in cells] == ["partial", "covered", "error", "gap", "partial"]
    foot = [td.get_text() for td in table.tfoot.find_all("td")]
    assert foot == ["75.0%", "100.0%", "error", "0.0%", "50.0%"]
    assert "plans/hebei.doc: cannot read <legacy .doc> | convert to .docx" in soup.find(class_="failed-list").get_text()
    assert re.search(r"\.covered\{background", text)  # colours are defined inline


def test_matrix_is_deterministic() -> None:
    assert render_matrix_html(national_plan(), columns()) == render_matrix_html(national_plan(), columns())
    assert render_matrix_csv(national_plan(), columns()) == render_matrix_csv(national_plan(), columns())


def test_terminal_splits_many_provinces_to_stay_readable() -> None:
    template = columns()
    many = [
        MatrixColumn(f"省{n:02d}", template[n % 5].statuses, template[n % 5].coverage_percent, template[n % 5].error)
        for n in range(31)
    ]
    buffer = StringIO()
    render_matrix_terminal(national_plan(), many, Console(file=buffer, width=80, color_system=None))
    out = buffer.getvalue()
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert all(f"省{n:02d}" in out for n in range(31))
    assert "of 31)" in out  # split into several tables, each saying which provinces it holds
    # the national titles keep a usable width instead of being squeezed to one character
    assert "22.1. (line 24) 进一步深化户籍制度改革" in out
