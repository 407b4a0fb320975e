"""CSV: one row per national task × counterpart, and the batch matrix, for spreadsheets and scripts.

Renders a `view.ReportView` / `view.MatrixView` only. Plan text is untrusted: a title like
`=HYPERLINK(...)` must never become a live formula, so every cell goes through `csv_safe`.
RFC 4180 with CRLF line ends; write it with encoding utf-8-sig for Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aligner.report.escape import csv_safe
from aligner.report.messages import Catalogue
from aligner.report.text import one_line
from aligner.report.view import CSV_COLUMNS, ReportView, coverage_records, csv_header

BOM = "\ufeff"  # Excel on Chinese Windows reads a CSV without it as GBK: garbled

if TYPE_CHECKING:
    from aligner.report.matrix_view import MatrixView
    from aligner.report.registry import RenderOptions


_MATRIX_FIELDS = ("national_id", "national_number", "national_line", "national_kind", "national_action", "national_title")


def _csv(rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO(newline="")
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return buffer.getvalue()


def render_report(view: ReportView, options: RenderOptions) -> str:
    """The coverage rows under a header of `CSV_COLUMNS`."""
    del options
    return _csv([csv_header(view.lang), *([r[c] for c in CSV_COLUMNS] for r in coverage_records(view))])


def render_matrix(view: MatrixView, options: RenderOptions) -> str:
    """One row per national task/measure, a status per province, a final coverage_percent row."""
    del options
    msg = Catalogue(view.lang)
    header = [*csv_header(view.lang, _MATRIX_FIELDS),
              *[c.name for c in view.columns]]
    rows: list[list[str]] = [header]
    for group in view.groups:
        for row in group.rows:
            line = str(row.line) if row.line is not None else ""
            rows.append([row.id, row.number, line, msg.kind(row.kind), one_line(row.action_title), one_line(row.title),
                         *[msg.status(c.value) if msg.zh else c.value for c in row.cells]])
    footer = [f"{msg('matrix.error')}: {one_line(c.error)}" if c.error is not None
              else (c.footer if c.unreliable else f"{c.percent:.1f}") for c in view.columns]
    pad = [""] * (len(_MATRIX_FIELDS) - 1)
    rows.append([*pad, msg("field.coverage_percent"), *footer])
    rows += [[*pad, note] for note in view.footnotes]
    return _csv(rows)
