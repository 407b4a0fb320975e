"""The review sheet (`-f review`): every proposed link and every provincial addition, with an
empty decision column for an analyst to fill in and pass back with `--decisions`.

Renders a `view.ReportView` only. One row per link, then one per addition; the doubtful come
first (partial links, lowest score first, then the other links from the lowest score, then the
additions, which an analyst may link with 新增). Clauses are named as the reports name them
(`二、（一）1.（第14行）`), which aligner.decisions reads back. XLSX by default; CSV when -o ends
in .csv (`review-csv`). Cells are written as text: no formula can come from a plan.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import TYPE_CHECKING

from aligner.report.escape import csv_safe
from aligner.report.messages import Catalogue
from aligner.report.text import one_line
from aligner.report.view import ReportView

if TYPE_CHECKING:
    from aligner.report.registry import RenderOptions

FIXED_CREATED = datetime(2000, 1, 1)  # identical input gives identical bytes, as -f xlsx
COLUMNS = ("province", "provincial", "provincial_title", "national", "national_title", "relation", "score",
           "evidence", "decision", "note")


def review_rows(view: ReportView) -> list[list[str]]:
    """The header (in the report's language) and one row per link and per addition, doubtful first."""
    msg = Catalogue(view.lang)
    name = one_line(view.titles.province_name)
    partial = msg.relation("partial")
    links = sorted(view.links, key=lambda r: (not r.link.relation.startswith(partial), r.link.score))
    rows = [[msg(f"review.{c}") for c in COLUMNS]]
    # A sheet made by a run with --decisions carries those decisions and notes (rejected links too),
    # so passing it back, or filling in more, loses none of them.
    for row in (*links, *view.rejected):
        decided = row.link.decision
        relation = row.link.relation.removesuffix(msg(f"decision.{decided}")) if decided else row.link.relation
        rows.append([name, one_line(row.province.label), one_line(row.province.title or ""), one_line(row.national.label),
                     one_line(row.national.title or ""), relation, row.link.score_text,
                     "；".join(one_line(e) for e in row.link.evidence),
                     msg(f"review.decided.{decided}") if decided else "", one_line(row.link.note)])
    for group in view.additions:
        for item in group.items:
            rows.append([name, one_line(item.clause.label), one_line(item.clause.title or ""), "", "", "", "",
                         msg("review.addition"), "", ""])
    return rows


def render_report(view: ReportView, options: RenderOptions) -> bytes:
    """The review workbook: one sheet, frozen header, filters, a note on how to fill it in."""
    del options
    import xlsxwriter

    msg = Catalogue(view.lang)
    header, *rows = review_rows(view)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": FIXED_CREATED, "title": one_line(view.titles.province_title)[:255],
                         "comments": msg("review.hint")})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(msg("review.sheet"))
    for c, title in enumerate(header):
        sheet.write_string(0, c, title, bold)  # write_string: text stays text, whatever it starts with
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    for c, title in enumerate(header):
        widest = max([len(title), *(len(row[c]) for row in rows)])
        sheet.set_column(c, c, min(max(widest * 1.6, 8), 60), wrap)
    sheet.write_comment(0, COLUMNS.index("decision"), msg("review.hint"))
    book.close()
    return buffer.getvalue()


def render_csv(view: ReportView, options: RenderOptions) -> str:
    """The same rows as CSV (UTF-8 with BOM for Excel, formula-like cells neutralised)."""
    del options
    buffer = io.StringIO(newline="")
    buffer.write("\ufeff")  # Excel on Chinese Windows reads a CSV without it as GBK
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in review_rows(view):
        writer.writerow([csv_safe(cell) for cell in row])
    return buffer.getvalue()
