"""The multi-province matrix: national tasks down, provinces across, one status per cell.

A batch run keeps only a `MatrixColumn` per province (a few hundred statuses), not the
whole Alignment with both plans' text, so memory stays flat however many provinces run.
A province whose file failed still gets a column, showing the error, so a batch report
never silently drops a province.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from aligner.model import Alignment, Clause, Kind, Plan, Status
from aligner.report.html import esc, legend_html, page
from aligner.report.markdown import md_escape
from aligner.report.tabular import csv_safe
from aligner.report.text import (
    action_index,
    coverage_percent,
    format_percent,
    one_line,
    status_colour,
    status_symbol,
)

MISSING = "?"  # the province's result has no status for this national clause (e.g. an older national plan)
FAILED = "⚠"


@dataclass(frozen=True)
class MatrixColumn:
    """One province's column: statuses by national clause id, or the error that stopped it."""

    name: str
    statuses: dict[str, Status] = field(default_factory=dict)
    coverage_percent: float = 0.0
    error: str | None = None

    @classmethod
    def failed(cls, name: str, error: str) -> MatrixColumn:
        """A column for a province whose file could not be read, parsed or aligned."""
        return cls(name=name, statuses={}, coverage_percent=0.0, error=error)


def matrix_columns_from(alignment: Alignment) -> MatrixColumn:
    """Reduce an Alignment to what the matrix needs, so the Alignment can be dropped."""
    return MatrixColumn(
        name=alignment.province.name,
        statuses={c.national: c.status for c in alignment.coverage},
        coverage_percent=coverage_percent(alignment),
        error=None,
    )


def matrix_groups(national: Plan) -> list[tuple[Clause | None, list[Clause]]]:
    """National tasks, then measures, under each action in plan order; unattached clauses last."""
    actions = action_index(national)
    rows = [*national.of_kind(Kind.TASK), *national.of_kind(Kind.MEASURE)]
    groups: list[tuple[Clause | None, list[Clause]]] = []
    for action in [*national.of_kind(Kind.ACTION), None]:
        key = action.id if action else None
        members = [c for c in rows if _id_or_none(actions.get(c.id)) == key]
        if members:
            groups.append((action, members))
    return groups


def _id_or_none(clause: Clause | None) -> str | None:
    return clause.id if clause else None


def _status(value: str) -> Status | None:
    try:
        return Status(value)
    except ValueError:
        return None


def _cell(column: MatrixColumn, clause_id: str) -> str:
    """Status value, `error`, or `missing`: the vocabulary every matrix format uses."""
    if column.error is not None:
        return "error"
    status = column.statuses.get(clause_id)
    return status.value if status else "missing"


def _symbol(value: str) -> str:
    status = _status(value)
    if status is not None:
        return status_symbol(status)
    return FAILED if value == "error" else MISSING


def _footer(column: MatrixColumn) -> str:
    return "error" if column.error is not None else format_percent(column.coverage_percent)


def _action_label(action: Clause | None) -> str:
    return f"{action.id} {one_line(action.title)}" if action else "other"


_LABEL_MIN = 20  # narrowest useful national-title column, in terminal cells
_CELL_MAX = 12  # province names longer than this fold inside their column


def render_matrix_terminal(national: Plan, columns: list[MatrixColumn], console: Console) -> None:
    """A symbol grid that fits the console: titles fold, and many provinces split into several tables."""
    console.print(matrix_terminal(national, columns, console.width))


def matrix_terminal(national: Plan, columns: list[MatrixColumn], width: int = 80) -> Group:
    """The renderable behind render_matrix_terminal, kept separate so it can be measured or paged."""
    chunks = _chunks(columns, width)
    parts: list[object] = []
    for n, chunk in enumerate(chunks):
        title = one_line(national.title)
        if len(chunks) > 1:
            start = sum(len(c) for c in chunks[:n]) + 1
            title += f" (provinces {start}–{start + len(chunk) - 1} of {len(columns)})"
        parts.append(_terminal_table(national, chunk, title))
    parts.append(_terminal_legend())
    for column in columns:
        if column.error is not None:
            parts.append(Text(f"{FAILED} {one_line(column.name)}: {one_line(column.error)}", style="yellow"))
    return Group(*parts)


def _chunks(columns: list[MatrixColumn], width: int) -> list[list[MatrixColumn]]:
    """Greedily pack province columns so each table keeps a readable title column within `width`."""
    budget = max(width - _LABEL_MIN - 4, 1)
    chunks: list[list[MatrixColumn]] = [[]]
    used = 0
    for column in columns:
        need = min(max(cell_len(one_line(column.name)), 6), _CELL_MAX) + 3  # content + padding + border
        if chunks[-1] and used + need > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(column)
        used += need
    return chunks


def _terminal_table(national: Plan, columns: list[MatrixColumn], title: str) -> Table:
    table = Table(expand=True, show_footer=True, pad_edge=False, title=Text(title))
    table.add_column("national task / measure", footer=Text("coverage"), ratio=1, overflow="fold", min_width=_LABEL_MIN)
    for column in columns:
        style = "dim" if column.error is not None else ""
        table.add_column(
            Text(one_line(column.name) or "?", style=style),
            footer=Text(_footer(column), style=style),
            justify="center",
            overflow="fold",
            max_width=_CELL_MAX,
        )
    for n, (action, clauses) in enumerate(matrix_groups(national)):
        if n:
            table.add_section()
        table.add_row(Text(_action_label(action), style="bold"), *["" for _ in columns])
        for clause in clauses:
            label = Text(f"{clause.id} {one_line(clause.title)}")
            if clause.kind is Kind.MEASURE:
                label.append(" (measure)", style="dim")
            cells = []
            for column in columns:
                value = _cell(column, clause.id)
                status = _status(value)
                cells.append(Text(_symbol(value), style=status_colour(status) if status else "dim"))
            table.add_row(label, *cells)
    return table


def _terminal_legend() -> Text:
    from aligner.report.terminal import status_legend

    legend = status_legend()
    legend.append(f"{MISSING} missing  {FAILED} failed")
    return legend


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_matrix_markdown(national: Plan, columns: list[MatrixColumn]) -> str:
    """One GFM table: an action heading row per group, then a status symbol per province."""
    head = ["#", "national task / measure", *[md_escape(c.name) or "?" for c in columns]]
    out = [f"# Coverage matrix: {md_escape(national.title)}", ""]
    out.append(" · ".join(f"{status_symbol(s)} {s.value}" for s in Status) + f" · {MISSING} missing · {FAILED} failed")
    out += ["", _md_row(head), _md_row(["---", "---", *[":---:" for _ in columns]])]
    for action, clauses in matrix_groups(national):
        out.append(_md_row(["", f"**{md_escape(_action_label(action))}**", *["" for _ in columns]]))
        for clause in clauses:
            kind = " (measure)" if clause.kind is Kind.MEASURE else ""
            cells = [_symbol(_cell(c, clause.id)) for c in columns]
            out.append(_md_row([md_escape(clause.id), md_escape(one_line(clause.title)) + kind, *cells]))
    out.append(_md_row(["", "**coverage**", *[_footer(c) for c in columns]]))
    errors = [c for c in columns if c.error is not None]
    if errors:
        out += ["", "## Failed provinces", ""]
        out += [f"- {md_escape(c.name)}: {md_escape(c.error or '')}" for c in errors]
    return "\n".join(out) + "\n"


def render_matrix_csv(national: Plan, columns: list[MatrixColumn]) -> str:
    """One row per national task/measure, a status per province, a final coverage_percent row."""
    actions = action_index(national)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [csv_safe(x) for x in ["national_id", "national_kind", "national_action", "national_title", *[c.name for c in columns]]]
    )
    for _, clauses in matrix_groups(national):
        for clause in clauses:
            action = actions.get(clause.id)
            row = [clause.id, clause.kind.value, one_line(action.title) if action else "", one_line(clause.title)]
            writer.writerow([csv_safe(x) for x in [*row, *[_cell(c, clause.id) for c in columns]]])
    footer = [
        f"error: {one_line(c.error)}" if c.error is not None else f"{c.coverage_percent:.1f}" for c in columns
    ]
    writer.writerow([csv_safe(x) for x in ["", "", "", "coverage_percent", *footer]])
    return buffer.getvalue()


_MATRIX_CSS = """
.matrix td.cell{text-align:center;min-width:3.5em}
.matrix tr.group th{text-align:left;background:#f6f8fa}
.matrix thead th{position:sticky;top:0;background:#fff}
.matrix tfoot td,.matrix tfoot th{font-weight:bold}
.failed-list li{color:#57606a}
"""


def render_matrix_html(national: Plan, columns: list[MatrixColumn]) -> str:
    """A self-contained heat map: cells coloured by status, coverage % footer, failed columns greyed."""
    width = 2 + len(columns)
    head = "".join(
        f'<th class="{"error" if c.error is not None else ""}" title="{esc(c.error or "")}">{esc(c.name or "?")}</th>'
        for c in columns
    )
    rows: list[str] = []
    for action, clauses in matrix_groups(national):
        rows.append(f'<tr class="group"><th colspan="{width}">{esc(_action_label(action))}</th></tr>')
        for clause in clauses:
            kind = ' <span class="meta">(measure)</span>' if clause.kind is Kind.MEASURE else ""
            cells = []
            for column in columns:
                value = _cell(column, clause.id)
                cells.append(f'<td class="cell {value}" title="{esc(value)}">{esc(_symbol(value))}</td>')
            rows.append(f"<tr><td>{esc(clause.id)}</td><td>{esc(one_line(clause.title))}{kind}</td>{''.join(cells)}</tr>")
    foot = "".join(
        f'<td class="error" title="{esc(c.error)}">error</td>' if c.error is not None else f"<td>{esc(_footer(c))}</td>"
        for c in columns
    )
    failed = [c for c in columns if c.error is not None]
    failed_html = (
        '<h2>Failed provinces</h2><ul class="failed-list">'
        + "".join(f"<li><b>{esc(c.name)}</b>: {esc(c.error or '')}</li>" for c in failed)
        + "</ul>"
        if failed
        else ""
    )
    legend = legend_html().replace("</p>", f'<span class="missing">{MISSING} missing</span><span class="error">{FAILED} failed</span></p>')
    body = (
        f"<h1>Coverage matrix: {esc(national.title)}</h1>{legend}"
        f'<table class="matrix"><thead><tr><th>#</th><th>national task / measure</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr><th colspan="2">coverage</th>{foot}</tr></tfoot></table>{failed_html}'
    )
    return page(f"Coverage matrix: {national.title}", body, _MATRIX_CSS)
