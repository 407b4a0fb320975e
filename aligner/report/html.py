"""Self-contained HTML: the report as one table read across (national clause | status | provincial
clause | score | evidence, one row per link), and the batch matrix as a heat map.

One file with inline CSS and no JavaScript or external URLs, so it can be mailed, archived
and opened offline or on an intranet. Renders a `view.ReportView` / `view.MatrixView` only.
Plan text is untrusted; every piece of it passes through `esc` (html.escape) or `highlight`,
which escapes before adding <mark>.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aligner.report.escape import esc
from aligner.report.messages import Catalogue
from aligner.report.text import one_line
from aligner.report.view import (
    ClauseRef,
    Counterpart,
    CoverageRow,
    LegendEntry,
    ReportView,
    build_view,
)

if TYPE_CHECKING:
    from aligner.model import Alignment
    from aligner.report.matrix_view import MatrixView
    from aligner.report.registry import RenderOptions

__all__ = ["anchor", "esc", "highlight", "page", "render_html", "render_matrix", "render_report"]

BASE_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:1.5rem;
line-height:1.5;color:#1f2328;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem}
.covered{background:#dafbe1}.partial{background:#fff8c5}.gap{background:#ffebe9}
.error{background:#eaeef2;color:#57606a}
.legend span{display:inline-block;padding:0 .5em;margin-right:.5em;border:1px solid #d0d7de}
.warnings{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2em .5em;vertical-align:top}
:target{outline:3px solid #0969da}
mark{background:#ffd33d;padding:0}
@media print{@page{size:A4 landscape;margin:12mm}body{margin:0;font-size:10pt}
thead{display:table-header-group}tfoot{display:table-footer-group}tr,li,.clause{break-inside:avoid}
table{width:100%;table-layout:auto}a{color:inherit;text-decoration:none}}
"""

_PAGE_CSS = """
table.rows{width:100%;table-layout:fixed}
.rows col.c-national,.rows col.c-province{width:29%}.rows col.c-status{width:8%}.rows col.c-score{width:11%}
.rows col.c-evidence{width:23%}
.rows td{overflow-wrap:anywhere}
.rows tr.group td,.rows tr.group th{background:#f6f8fa;font-weight:bold}
.rows td.status{white-space:nowrap}
.rows tr.covered,.rows tr.partial,.rows tr.gap{background:none}
.rows tr.covered td.status{background:#dafbe1}.rows tr.partial td.status{background:#fff8c5}
.rows tr.gap td.status,.rows tr.gap td.province{background:#ffebe9}
.rows td.none{color:#cf222e}
.rows tr.again td.national{color:#57606a}
.rows ul{margin:0;padding-left:1.1em}
.addition{background:#fbefff}
.num{color:#57606a;margin-right:.4em}.badge{font-size:.85em}
.text{color:#424a53;font-size:.92em}
.evidence,.meta{color:#57606a;font-size:.85em}
@media print{.rows{font-size:8.5pt}}
"""


def anchor(side: str, clause_id: str) -> str:
    """`n-2.2.1` / `p-1.3`; characters outside [A-Za-z0-9.-] are hex-encoded so ids stay valid and unique."""
    safe = re.sub(r"[^A-Za-z0-9.\-]", lambda m: f"_{ord(m.group()):x}_", clause_id)
    return f"{side}-{safe}"


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escape text and wrap each occurrence of a term in <mark>; escaping happens piecewise first."""
    wanted = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    if not wanted:
        return esc(text)
    pattern = re.compile("(" + "|".join(re.escape(t) for t in wanted) + ")")
    parts = pattern.split(text)
    return "".join(f"<mark>{esc(p)}</mark>" if i % 2 else esc(p) for i, p in enumerate(parts))


def _legend_html(entries: tuple[LegendEntry, ...], extra: str = "") -> str:
    items = "".join(f'<span class="{e.key}">{e.symbol} {e.label}</span>' for e in entries)
    return f'<p class="legend">{items}{extra}</p>'


def page(title: str, body: str, css: str, lang: str = "zh") -> str:
    """Wrap body (already escaped HTML) in a complete document; `title` is raw text. The page is
    marked zh whatever `lang` the labels are in: the plans' text, most of the page, is Chinese."""
    del lang
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def render_html(alignment: Alignment, script: str) -> str:
    """The report of one alignment (for callers not yet on `registry.render_report`)."""
    return _report(build_view(alignment, explain=False, script=script))


def render_report(view: ReportView, options: RenderOptions) -> str:
    """The whole report as one HTML document string (evidence is always there, folded)."""
    del options
    return _report(view)


def _report(view: ReportView) -> str:
    t = view.titles
    msg = Catalogue(view.lang)
    sep = "：" if msg.zh else ": "
    parts = [f"<h1>{esc(t.province_name or msg('province'))}{sep}{esc(t.province_title or msg('untitled'))}</h1>"]
    parts.append(_warnings(view.warnings, msg))
    parts.append(_summary(view, msg))
    cells = _Cells(view, msg)
    parts.append(_rows(view, cells))
    parts.append(_gaps(view, msg))
    parts.append(_additions(view, cells))
    parts.append(_targets(view, msg))
    parts.append(_provenance(view.provenance, msg))
    return page(f"{t.province_name} — {t.province_title}", "\n".join(p for p in parts if p), _PAGE_CSS, msg.lang)


def _provenance(lines: tuple[str, ...], msg: Catalogue) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f'<footer id="provenance" class="meta"><h2>{esc(msg("provenance"))}</h2><ul>{items}</ul></footer>'


def _warnings(warnings: tuple[str, ...], msg: Catalogue) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return f'<section class="warnings" id="warnings"><h2>{esc(msg("warnings"))}</h2><ul>{items}</ul></section>'


def _summary(view: ReportView, msg: Catalogue) -> str:
    t, summary = view.titles, view.summary
    rows = [
        (msg("province"), t.province_name),
        (msg("plan"), t.province_title),
        (msg("plan_file"), t.province_path),
        *([(msg("meta.plan"), t.province_meta)] if t.province_meta else []),
        (msg("national_plan"), t.national_title),
        *([(msg("meta.national"), t.national_meta)] if t.national_meta else []),
        (msg("national_plan_file"), t.national_path),
        (msg("national_tasks"), summary.tasks_line),
        (msg("national_measures"), summary.measures_line),
        (msg("additions"), str(summary.counts.additions)),
    ]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    legend = _legend_html(view.legend, f'<span class="addition">+ {esc(msg("addition"))}</span>')
    legend += "".join(f'<p class="meta legend-note">{esc(note)}</p>' for note in view.legend_notes)
    definitions = "".join(f"<li>{esc(d)}</li>" for d in summary.definitions)
    return (f'<section id="summary"><h2>{esc(msg("summary"))}</h2><p class="paragraph">{esc(summary.paragraph)}</p>'
            f'<table>{body}</table>{legend}<h3>{esc(msg("definitions"))}</h3><ul class="meta">{definitions}</ul></section>')


class _Cells:
    """Writes the cells of the aligned table; each clause's anchor goes on its first cell only."""

    def __init__(self, view: ReportView, msg: Catalogue) -> None:
        self.msg = msg
        self.blocks = {"n": {b.id: b for b in view.national_column.blocks},
                       "p": {b.id: b for b in view.province_column.blocks}}
        self.placed: set[str] = set()

    def clause(self, side: str, ref: ClauseRef, *, full: bool = True) -> str:
        """A clause as its plan numbers it, its title with the shared terms marked, and its text."""
        if ref.title is None:
            return f'<span class="num">{esc(ref.label)}</span>{esc(self.msg("missing"))}'
        block = self.blocks[side].get(ref.id)
        terms = block.terms if block else ()
        body = f'<span class="num">{esc(ref.label)}</span><span class="title">{highlight(ref.title, terms)}</span>'
        if full and block is not None:
            body += f'<div class="text">{highlight(block.text, terms)}</div>' if block.text else ""
            body += f'<div class="meta">{esc("、".join(block.units))}</div>' if block.units else ""
        return body

    def anchor_attr(self, side: str, ref: ClauseRef) -> str:
        """` id="n-2.2.1"` the first time a clause is shown, "" after (and for a missing clause)."""
        key = anchor(side, ref.id)
        if ref.title is None or key in self.placed:
            return ""
        self.placed.add(key)
        return f' id="{esc(key)}"'


def _row(cells: _Cells, national: ClauseRef, status: str, part: Counterpart | None, *, again: bool,
         css: str) -> str:
    """One line of the table: national clause | status | provincial clause | score | evidence."""
    msg = cells.msg
    n_attr = "" if again else cells.anchor_attr("n", national)
    classes = " ".join(c for c in (css, "again" if again else "") if c)
    data = f' data-national="{esc(national.id)}"'
    if part is None:
        province = f'<td class="province none">{esc(msg("no_match"))}</td>' if status else '<td class="province"></td>'
        return (f'<tr class="{esc(classes)}"{data}><td class="national"{n_attr}>{cells.clause("n", national)}</td>'
                f'<td class="status">{status}</td>{province}<td class="score"></td><td class="evidence"></td></tr>')
    data += f' data-province="{esc(part.clause.id)}"'
    p_attr = cells.anchor_attr("p", part.clause)
    link = part.link
    score = evidence = ""
    if link is not None:
        score = f'<div class="relation">{esc(link.relation)}</div><div class="value">{esc(link.label)}</div>'
        evidence = "".join(f"<li>{esc(line)}</li>" for line in link.evidence)
        evidence = f"<ul>{evidence}</ul>" if evidence else ""
    return (f'<tr class="{esc(classes)}"{data}><td class="national"{n_attr}>{cells.clause("n", national, full=not again)}</td>'
            f'<td class="status">{status}</td><td class="province"{p_attr}>{cells.clause("p", part.clause)}</td>'
            f'<td class="score">{score}</td><td class="evidence">{evidence}</td></tr>')


def _coverage_rows(cells: _Cells, row: CoverageRow) -> list[str]:
    status = (f'<span class="badge {row.status.value}">{row.symbol} {esc(cells.msg.status(row.status.value))}</span>')
    css = f"{row.status.value} k-{row.clause.kind}"
    if not row.counterparts:
        return [_row(cells, row.clause, status, None, again=False, css=css)]
    return [_row(cells, row.clause, status, part, again=n > 0, css=css) for n, part in enumerate(row.counterparts)]


def _heading_row(text: str) -> str:
    return f'<tr class="group"><th colspan="5">{esc(text)}</th></tr>'


def _rows(view: ReportView, cells: _Cells) -> str:
    """Both plans read across: one row per link (a gap: one row whose provincial cell says 未见对应),
    under the national action it belongs to, whose own links to provincial actions head the group."""
    msg = cells.msg
    rows: list[str] = []
    shown: set[tuple[str, str]] = set()
    for group in view.task_groups:
        action = group.action
        if action is None:
            rows.append(_heading_row(msg("other_tasks")))
        else:
            parts: list[Counterpart | None] = list(group.counterparts) or [None]
            rows += [_row(cells, action, "", part, again=n > 0, css="group") for n, part in enumerate(parts)]
            shown.update((action.id, p.clause.id) for p in group.counterparts)
        for row in group.rows:
            rows.extend(_coverage_rows(cells, row))
        shown.update((g.clause.id, p.clause.id) for g in group.rows for p in g.counterparts)
    if view.measures:
        rows.append(_heading_row(msg("policy_measures")))
        for row in view.measures:
            rows.extend(_coverage_rows(cells, row))
            shown.update((row.clause.id, p.clause.id) for p in row.counterparts)
    rest = [r for r in view.links if (r.national.id, r.province.id) not in shown]
    if rest:
        rows.append(_heading_row(msg("other_links")))
        for r in rest:
            rows.append(_row(cells, r.national, "", Counterpart(r.province, (), r.link), again=False, css="other"))
    head = "".join(f"<th>{esc(msg(k))}</th>" for k in
                   ("col.national_clause", "col.status", "col.province_clause", "col.score", "col.evidence"))
    cols = "".join(f'<col class="c-{c}">' for c in ("national", "status", "province", "score", "evidence"))
    h2 = f"<h2>{esc(msg('aligned'))}</h2>"
    return (f'<section id="alignment">{h2}<table class="rows"><colgroup>{cols}</colgroup>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>')


def _ref(side: str, clause: ClauseRef) -> str:
    if clause.title is None:
        return esc(clause.label)
    return f'<a href="#{esc(anchor(side, clause.id))}">{esc(clause.label)} {esc(clause.title)}</a>'


def _gaps(view: ReportView, msg: Catalogue) -> str:
    h2 = f"<h2>{esc(msg('gaps'))}</h2>"
    if not view.gaps:
        return f'<section id="gaps">{h2}<p>{esc(msg("none"))}</p></section>'
    items = []
    for row in view.gaps:
        kind = f' <span class="meta">{esc(msg.kind(row.clause.kind))}</span>' if row.clause.title is not None else ""
        where = f' <span class="meta">— {esc(row.action_title)}</span>' if row.action_title is not None else ""
        items.append(f'<li class="gap">{_ref("n", row.clause)}{kind}{where}</li>')
    return f'<section id="gaps">{h2}<ul>{"".join(items)}</ul></section>'


def _additions(view: ReportView, cells: _Cells) -> str:
    """Provincial additions in their own section, each with its text (and the anchor of its clause)."""
    msg = cells.msg
    h2 = f"<h2>{esc(msg('additions'))}</h2>"
    if not view.additions:
        return f'<section id="additions">{h2}<p>{esc(msg("none"))}</p></section>'
    parts = []
    for group in view.additions:
        heading = f"{group.action.label} {group.action.title}" if group.action else msg("outside_action")
        items = "".join(f'<li class="addition"{cells.anchor_attr("p", item.clause)}>{cells.clause("p", item.clause)}</li>'
                        for item in group.items)
        parts.append(f"<h3>{esc(heading)}</h3><ul>{items}</ul>")
    return f'<section id="additions">{h2}{"".join(parts)}</section>'


def _targets(view: ReportView, msg: Catalogue) -> str:
    if view.targets is None:
        return ""
    h2 = f"<h2>{esc(msg('targets'))}</h2>"
    if not view.targets:
        return f'<section id="targets">{h2}<p>{esc(msg("no_targets"))}</p></section>'
    rows = "".join(
        f"<tr><td>{esc(r.indicator)}</td><td>{esc(r.national)}</td><td>{esc(r.province)}</td></tr>" for r in view.targets
    )
    head = (f"<tr><th>{esc(msg('col.indicator'))}</th><th>{esc(msg('col.national'))}</th>"
            f"<th>{esc(view.titles.province_name or msg('province'))}</th></tr>")
    return f'<section id="targets">{h2}<table>{head}{rows}</table></section>'


# ---------------------------------------------------------------------------------------------
# The batch matrix

_MATRIX_CSS = """
.matrix td.cell{text-align:center;min-width:3.5em}
.matrix tr.group th{text-align:left;background:#f6f8fa}
.matrix thead th{position:sticky;top:0;background:#fff}
@media print{.matrix{font-size:8pt}.matrix thead th{position:static}}
.matrix tfoot td,.matrix tfoot th{font-weight:bold}
.failed-list li{color:#57606a}
"""


def _to_report(report: str, fragment: str, inner: str) -> str:
    """`inner` linked to the province's HTML report (at the national clause `fragment`), when one
    was written beside the matrix; the file name is percent-encoded, so any name stays one URL."""
    if not report:
        return inner
    from urllib.parse import quote

    href = quote(report) + (f"#{fragment}" if fragment else "")
    return f'<a href="{esc(href)}">{inner}</a>'


def render_matrix(view: MatrixView, options: RenderOptions) -> str:
    """A self-contained heat map: cells coloured by status, coverage % footer, failed columns greyed."""
    del options
    msg = Catalogue(view.lang)
    width = 2 + len(view.columns)
    head = "".join(
        f'<th class="{"error" if c.error is not None else ""}" title="{esc(c.error or "")}">'
        f'{_to_report(c.report, "", esc(c.name or "?"))}</th>'
        for c in view.columns
    )
    rows: list[str] = []
    for group in view.groups:
        rows.append(f'<tr class="group"><th colspan="{width}">{esc(group.label)}</th></tr>')
        for row in group.rows:
            kind = f' <span class="meta">{esc(msg("measure_suffix"))}</span>' if row.is_measure else ""
            cells = "".join(
                f'<td class="cell {cell.value}" title="{esc(msg.status(cell.value))}">'
                f"{_to_report(column.report, anchor('n', row.id), esc(cell.symbol))}</td>"
                for cell, column in zip(row.cells, view.columns, strict=True)
            )
            rows.append(f"<tr><td>{esc(row.label)}</td><td>{esc(one_line(row.title))}{kind}</td>{cells}</tr>")
    foot = "".join(
        f'<td class="error" title="{esc(c.error)}">{esc(c.footer)}</td>' if c.error is not None else f"<td>{esc(c.footer)}</td>"
        for c in view.columns
    )
    failed_html = (
        f'<h2>{esc(msg("matrix.failed"))}</h2><ul class="failed-list">'
        + "".join(f"<li><b>{esc(c.name)}</b>: {esc(c.error or '')}</li>" for c in view.failed)
        + "</ul>"
        if view.failed
        else ""
    )
    legend = _legend_html(view.legend)
    notes = "".join(f'<p class="footnote">{esc(note)}</p>' for note in view.footnotes)
    body = (
        f"<h1>{esc(msg('matrix.title', title=view.title))}</h1>{legend}"
        f'<table class="matrix"><thead><tr><th>{esc(msg("col.number"))}</th><th>{esc(msg("col.matrix_row"))}</th>'
        f'{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr><th colspan="2">{esc(msg("col.coverage"))}</th>{foot}</tr></tfoot></table>{notes}{failed_html}'
        f"{_provenance(view.provenance, msg)}"
    )
    return page(msg("matrix.title", title=view.title), body, _MATRIX_CSS, msg.lang)
