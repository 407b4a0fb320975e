"""XLSX: a workbook (summary, national coverage, provincial tasks, links) to sort, filter and pivot.

Renders a `view.ReportView` only. Cells are written with `write_string`, which stores text as
text whatever it starts with, so a title like `=HYPERLINK(...)` never becomes a formula.
Deterministic: the creation time is fixed, so identical input gives identical bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from aligner.report.messages import Catalogue
from aligner.report.text import one_line
from aligner.report.view import CSV_COLUMNS, ReportView, coverage_records, csv_header, joined

if TYPE_CHECKING:
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    from aligner.report.matrix_view import MatrixView
    from aligner.report.registry import RenderOptions

# Fixed so the same alignment always gives byte-identical xlsx (xlsxwriter also fixes zip times).
FIXED_CREATED = datetime(2000, 1, 1, 0, 0, 0)

Cell = str | float | int


def render_matrix(view: MatrixView, options: RenderOptions) -> bytes:
    """The batch matrix as a workbook: a matrix sheet (frozen header, filters, wrapped text), the
    coverage row, and a footnote per unreliable province."""
    del options
    import xlsxwriter

    msg = Catalogue(view.lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": FIXED_CREATED, "title": one_line(view.title)[:255]})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    header = [msg("col.number"), msg("col.matrix_row"), *[c.name for c in view.columns]]
    rows: list[list[Cell]] = []
    for group in view.groups:
        rows.append(["", group.label, *["" for _ in view.columns]])
        for row in group.rows:
            suffix = msg("measure_suffix") if row.is_measure else ""
            rows.append([row.label, one_line(row.title) + suffix, *[f"{c.symbol} {msg.status(c.value)}" for c in row.cells]])
    rows.append(["", msg("col.coverage"), *[c.footer for c in view.columns]])
    rows += [["", note] for note in view.footnotes]
    rows += [[msg("provenance"), line] for line in view.provenance]
    sheet_of(book, msg("sheet.matrix"), header, rows, bold, wrap)
    book.close()
    return buffer.getvalue()


def render_report(view: ReportView, options: RenderOptions) -> bytes:
    del options
    return render_workbook(view)


def render_workbook(view: ReportView, created: datetime = FIXED_CREATED) -> bytes:
    """The workbook bytes; `created` is the document property (fixed by default, for reproducibility)."""
    buffer = io.BytesIO()
    import xlsxwriter  # only xlsx needs it; keeps start-up of every other format short

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": created, "title": one_line(view.titles.province_title)[:255]})
    add_province_sheets(book, view)
    book.close()
    return buffer.getvalue()


def add_province_sheets(book: xlsxwriter.Workbook, view: ReportView, prefix: str = "") -> None:
    """The four sheets of one province's report; `prefix` (a province name) when a workbook holds several."""
    msg = Catalogue(view.lang)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    _sheet(book, _name(prefix, msg("sheet.summary")), [msg("sheet.item"), msg("sheet.value")],
           _summary_rows(view, msg), bold, wrap)
    _sheet(book, _name(prefix, msg("sheet.coverage")), csv_header(view.lang), _coverage_rows(view), bold, wrap)
    if not prefix:  # a batch workbook keeps one coverage sheet per province; the detail is in its own report
        _sheet(book, msg("sheet.tasks"), csv_header(view.lang, _TASK_COLUMNS), _task_rows(view, msg), bold, wrap)
        _sheet(book, msg("sheet.links"), csv_header(view.lang, _LINK_COLUMNS), _link_rows(view), bold, wrap)


_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _name(prefix: str, name: str) -> str:
    """A valid sheet name (≤ 31 characters, none of []:*?/\\)."""
    text = f"{prefix} {name}" if prefix else name
    return text.translate(_SHEET_FORBIDDEN)[:31]


def _coverage_rows(view: ReportView) -> list[list[Cell]]:
    numbers = [CSV_COLUMNS.index("score"), CSV_COLUMNS.index("title_similarity")]
    out: list[list[Cell]] = []
    for record in coverage_records(view):
        values: list[Cell] = [record[c] for c in CSV_COLUMNS]
        for at in numbers:
            values[at] = float(values[at]) if values[at] else ""
        out.append(values)
    return out


def _write(sheet: Worksheet, r: int, c: int, value: Cell, fmt: object = None) -> None:
    """Numbers as numbers, everything else with write_string: never a formula, never a URL."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(r, c, value, fmt)
    elif value != "":
        sheet.write_string(r, c, str(value), fmt)


def sheet_of(book: xlsxwriter.Workbook, name: str, header: Iterable[str], rows: list[list[Cell]], bold: object,
             wrap: object = None) -> Worksheet:
    """A sheet with a frozen header row, filters, widths for Chinese text (wide cells) and wrapped text."""
    sheet = book.add_worksheet(name)
    header = list(header)
    for c, title in enumerate(header):
        _write(sheet, 0, c, title, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write(sheet, r, c, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    for c, title in enumerate(header):
        widest = max([len(title), *(len(str(row[c])) for row in rows if c < len(row))])
        sheet.set_column(c, c, min(max(widest * 1.6, 8), 60), wrap)
    return sheet


_sheet = sheet_of


def _meta_row(label: str, meta: str) -> list[list[Cell]]:
    return [[label, meta]] if meta else []


def _summary_rows(view: ReportView, msg: Catalogue) -> list[list[Cell]]:
    counts, t = view.summary.counts, view.titles
    rows: list[list[Cell]] = [
        [msg("xl.province"), one_line(t.province_name)],
        [msg("xl.plan"), one_line(t.province_title)],
        [msg("xl.plan_file"), t.province_path],
        *_meta_row(msg("meta.plan"), t.province_meta),
        [msg("xl.national_plan"), one_line(t.national_title)],
        *_meta_row(msg("meta.national"), t.national_meta),
        [msg("xl.national_tasks"), counts.tasks],
        [msg("sheet.covered"), counts.covered],
        [msg("sheet.partial"), counts.partial],
        [msg("sheet.gap"), counts.gap],
        [msg("sheet.percent"), round(view.summary.percent, 1) if not view.summary.unreliable else view.summary.tasks_line],
        [msg("xl.national_measures"), counts.measures],
        [msg("sheet.measures_covered"), counts.measures_covered],
        [msg("sheet.measures_partial"), counts.measures_partial],
        [msg("xl.additions"), counts.additions],
    ]
    rows.append([msg("legend"), " · ".join(f"{e.symbol} {e.label}" for e in view.legend)])
    rows += [["", note] for note in view.legend_notes]
    return (rows + [[msg("sheet.warning"), one_line(w)] for w in view.warnings]
            + [[msg("provenance"), line] for line in view.provenance])


_TASK_COLUMNS = ("province_id", "province_number", "province_line", "kind", "action", "title", "responsible_units",
                 "linked_national_ids", "addition")


def _task_rows(view: ReportView, msg: Catalogue) -> list[list[Cell]]:
    """Provincial tasks and measures with what they implement, so additions can be filtered."""
    return [
        [
            task.clause.id,
            task.clause.number,
            _line(task.clause.line),
            msg.kind(task.clause.kind),
            one_line(task.action_title) if task.action_title is not None else "",
            one_line(task.clause.title or ""),
            joined(task.units),
            ", ".join(task.linked),
            msg("sheet.yes") if task.addition else msg("sheet.no"),
        ]
        for task in view.provincial_tasks
    ]


_LINK_COLUMNS = (
    "national_id",
    "national_number",
    "national_line",
    "national_title",
    "province_id",
    "province_number",
    "province_line",
    "province_title",
    "score",
    "title_similarity",
    "relation",
    "shared_terms",
    "province_sentence",
    "national_sentence",
    "sentence_score",
    "notes",
)


def _link_rows(view: ReportView) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for row in view.links:
        link = row.link
        rows.append(
            [
                row.national.id,
                row.national.number,
                _line(row.national.line),
                one_line(row.national.title) if row.national.title is not None else "",
                row.province.id,
                row.province.number,
                _line(row.province.line),
                one_line(row.province.title) if row.province.title is not None else "",
                round(link.score, 4),
                round(link.title_similarity, 4) if link.title_similarity is not None else "",
                link.relation,
                joined(link.shared_terms),
                one_line(link.province_sentence),
                one_line(link.national_sentence),
                round(link.sentence_score, 4),
                "; ".join(one_line(x) for x in link.notes),
            ]
        )
    return rows


def _line(line: int | None) -> str:
    return str(line) if line is not None else ""
