"""Word (.docx): the report as an official would forward it — title block, the summary paragraph,
a three-line coverage table, gaps, additions and warnings, on A4.

Renders a `view.ReportView` / `view.MatrixView` only (python-docx, already a dependency for
reading .docx). Deterministic: the core properties' dates are fixed, so identical input gives
identical bytes. Text is set as runs, never parsed, so plan text cannot inject anything.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING

from aligner.report.messages import Catalogue
from aligner.report.text import one_line
from aligner.report.view import CoverageRow, ReportView

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table

    from aligner.report.matrix_view import MatrixView
    from aligner.report.registry import RenderOptions

FIXED_DATE = datetime(2000, 1, 1)
_BODY_FONT = "仿宋"  # 公文 body face (FangSong); Word and WPS fall back when it is missing
_TITLE_FONT = "宋体"


def render_report(view: ReportView, options: RenderOptions) -> bytes:
    """One province's report as .docx bytes."""
    del options
    doc = _new_document()
    add_province(doc, view)
    return _bytes(doc)


def render_matrix(view: MatrixView, options: RenderOptions) -> bytes:
    """The batch matrix as one .docx (the per-province sections are added by `render_batch`)."""
    del options
    doc = _new_document()
    add_matrix(doc, view)
    return _bytes(doc)


def render_batch(matrix: MatrixView, provinces: list[ReportView]) -> bytes:
    """One document for a batch: the matrix, then a section per province."""
    doc = _new_document()
    add_matrix(doc, matrix)
    for view in provinces:
        doc.add_page_break()
        add_province(doc, view)
    return _bytes(doc)


def _new_document() -> Document:
    from docx import Document as new_document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.left_margin = section.right_margin = Mm(26)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = _BODY_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), _BODY_FONT)
    props = doc.core_properties
    props.created = props.modified = FIXED_DATE
    props.author = props.last_modified_by = "aligner"
    props.revision = 1
    return doc


def _bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _heading(doc: Document, text: str, level: int) -> None:
    from docx.oxml.ns import qn

    heading = doc.add_heading(level=level)
    run = heading.add_run(text)
    run.font.name = _TITLE_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), _TITLE_FONT)


def add_province(doc: Document, view: ReportView) -> None:
    """Title block, summary paragraph, definitions, coverage table, gaps, additions, warnings."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    msg = Catalogue(view.lang)
    t = view.titles
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(msg("report.title", name=one_line(t.province_name) or msg("province"))).bold = True
    doc.add_paragraph(view.summary.paragraph)  # first: what the reader pastes
    block = [(msg("plan"), t.province_title), *([(msg("meta.plan"), t.province_meta)] if t.province_meta else []),
             (msg("national_plan"), t.national_title),
             *([(msg("meta.national"), t.national_meta)] if t.national_meta else []),
             (msg("national_tasks"), view.summary.tasks_line), (msg("national_measures"), view.summary.measures_line),
             (msg("additions"), str(view.summary.counts.additions))]
    for label, value in block:
        line = doc.add_paragraph()
        line.add_run(f"{label}{'：' if msg.zh else ': '}").bold = True
        line.add_run(one_line(value))
    if view.warnings:
        _heading(doc, msg("warnings"), 2)
        for warning in view.warnings:
            doc.add_paragraph(one_line(warning), style="List Bullet")
    _heading(doc, msg("definitions"), 2)
    for definition in view.summary.definitions:
        doc.add_paragraph(definition, style="List Bullet")
    legend = doc.add_paragraph()
    legend.add_run(f"{msg('legend')}{'：' if msg.zh else ': '}").bold = True
    legend.add_run(" · ".join(f"{e.symbol} {e.label}" for e in view.legend))
    for note in view.legend_notes:
        doc.add_paragraph(note, style="List Bullet")
    _heading(doc, msg("coverage_of_tasks"), 2)
    _coverage_table(doc, view.coverage, msg)
    _heading(doc, msg("gaps"), 2)
    if not view.gaps:
        doc.add_paragraph(msg("no_gaps"))
    for row in view.gaps:
        doc.add_paragraph(f"{row.clause.label} {one_line(row.clause.title or msg('missing'))}"
                          f"（{msg.kind(row.clause.kind)}）" if msg.zh else
                          f"{row.clause.label} {one_line(row.clause.title or msg('missing'))} ({row.clause.kind})",
                          style="List Bullet")
    _heading(doc, msg("additions"), 2)
    if not view.additions:
        doc.add_paragraph(msg("none"))
    for group in view.additions:
        heading = f"{group.action.label} {one_line(group.action.title or '')}" if group.action else msg("outside_action")
        doc.add_paragraph().add_run(heading).bold = True
        for item in group.items:
            units = f"（{'、'.join(item.units)}）" if item.units else ""
            doc.add_paragraph(f"{item.clause.label} {one_line(item.clause.title or msg('missing'))}{units}",
                              style="List Bullet")
    add_provenance(doc, view.provenance, msg)


def add_provenance(doc: Document, lines: tuple[str, ...], msg: Catalogue) -> None:
    """Where the report came from, last: version, date, inputs with sha256, thresholds, thesaurus."""
    if not lines:
        return
    _heading(doc, msg("provenance"), 2)
    for line in lines:
        doc.add_paragraph(line)


def _coverage_table(doc: Document, rows: tuple[CoverageRow, ...], msg: Catalogue) -> Table:
    head = [msg("col.number"), msg("col.national_task"), msg("col.status"), msg("col.counterparts"), msg("col.score")]
    body = []
    for row in rows:
        parts = [f"{p.clause.label} {one_line(p.clause.title or msg('missing'))}" for p in row.counterparts]
        scores = [f"{p.link.label} {p.link.relation}" for p in row.counterparts if p.link is not None]
        body.append([row.clause.label, one_line(row.clause.title or msg("missing")),
                     f"{row.symbol} {msg.status(row.status.value)}", "\n".join(parts), "\n".join(scores)])
    return three_line_table(doc, head, body)


def three_line_table(doc: Document, head: list[str], body: list[list[str]]) -> Table:
    """The 三线表 of Chinese reports: a thick rule above and below, a thin one under the header,
    no vertical rules; the header row repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1 + len(body), cols=len(head))
    for c, text in enumerate(head):
        cell = table.rows[0].cells[c]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for r, values in enumerate(body, start=1):
        for c, text in enumerate(values):
            table.rows[r].cells[c].text = text
    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", "12"), ("bottom", "12"), ("insideH", "0"), ("left", "0"), ("right", "0"),
                       ("insideV", "0")):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if size != "0" else "nil")
        if size != "0":
            element.set(qn("w:sz"), size)
        borders.append(element)
    table._tbl.tblPr.append(borders)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for cell in table.rows[0].cells:
        cell_borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "6")
        cell_borders.append(bottom)
        cell._tc.get_or_add_tcPr().append(cell_borders)
    return table


def add_matrix(doc: Document, view: MatrixView) -> None:
    """The matrix: national tasks down, a status symbol per province, coverage and footnotes."""
    msg = Catalogue(view.lang)
    _heading(doc, msg("matrix.title", title=one_line(view.title)), 1)
    doc.add_paragraph(" · ".join(f"{e.symbol} {e.label}" for e in view.legend))
    head = [msg("col.number"), msg("col.matrix_row"), *[c.name for c in view.columns]]
    body = []
    for group in view.groups:
        body.append(["", group.label, *["" for _ in view.columns]])
        for row in group.rows:
            suffix = msg("measure_suffix") if row.is_measure else ""
            body.append([row.label, one_line(row.title) + suffix, *[cell.symbol for cell in row.cells]])
    body.append(["", msg("col.coverage"), *[c.footer for c in view.columns]])
    three_line_table(doc, head, body)
    for note in view.footnotes:
        doc.add_paragraph(note)
    for column in view.failed:
        doc.add_paragraph(f"{column.name}: {one_line(column.error or '')}")
    add_provenance(doc, view.provenance, msg)
