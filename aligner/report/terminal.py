"""The terminal report and matrix: what an analyst reads first, so they fit 80 columns and survive pipes.

Renders a `view.ReportView` / `view.MatrixView` only. Document text is only ever wrapped in
`rich.text.Text` (never passed as a markup string), so brackets like `[/]` in a plan cannot be
taken for rich markup; control and bidi characters were already made visible by the view.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from aligner.report.messages import Catalogue
from aligner.report.text import one_line, status_colour
from aligner.report.view import (
    STATUS_LEGEND,
    AdditionGroup,
    CoverageRow,
    LegendEntry,
    ReportView,
    TargetRow,
    build_view,
)

if TYPE_CHECKING:
    from aligner.model import Alignment
    from aligner.report.matrix_view import MatrixColumnView, MatrixView
    from aligner.report.registry import RenderOptions


def render_report(view: ReportView, options: RenderOptions) -> str:
    """The report as the text rich prints to a console of `options.width`, coloured or plain."""
    return _print_to_text(terminal_sections(view), options)


def render_matrix(view: MatrixView, options: RenderOptions) -> str:
    """The batch matrix as printed text; many provinces split into several tables that fit the width."""
    return _print_to_text([matrix_renderable(view, options.width)], options)


def _print_to_text(renderables: list[object], options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        force_terminal=options.color,
        color_system="auto" if options.color else None,
        highlight=False,
        no_color=not options.color,
    )
    for renderable in renderables:
        console.print(renderable)
    return buffer.getvalue()


def render_terminal(alignment: Alignment, console: Console, explain: bool, script: str) -> None:
    """Print the whole report on `console` (for callers that hold a Console, e.g. the current CLI)."""
    for renderable in terminal_sections(build_view(alignment, explain=explain, script=script)):
        console.print(renderable)


def terminal_sections(view: ReportView) -> list[object]:
    """The report as rich renderables: warnings, summary, per-action coverage, measures, gaps, additions, targets."""
    msg = Catalogue(view.lang)
    out: list[object] = []
    if view.warnings:
        out.append(_warnings_panel(view.warnings, msg))
    out.append(Text(view.summary.paragraph))
    out.append(Text(""))
    out.append(_summary(view, msg))
    if _shortened(view):
        out.append(Text(msg("short.hint"), style="dim"))
    for group in view.task_groups:
        label = f"{group.action.label} {group.action.title}" if group.action else msg("other_tasks")
        out.append(_rule(Text(one_line(label), style="bold")))
        out.append(_coverage_table(group.rows, view.explain, msg("col.national_task"), msg))
    if view.measures:
        out.append(_rule(Text(msg("policy_measures"), style="bold")))
        out.append(_coverage_table(view.measures, view.explain, msg("col.national_measure"), msg))
    out.append(_rule(Text(msg("gaps"), style="bold red")))
    out.append(_gaps(view.gaps, msg))
    out.append(_rule(Text(msg("additions"), style="bold")))
    out.append(_additions(view.additions, msg))
    if view.targets is not None:
        out.append(_rule(Text(msg("targets"), style="bold")))
        out.append(_targets(view.targets, view.titles.province_name, msg))
    if view.provenance:
        out.append(_rule(Text(msg("provenance"), style="dim")))
        out.append(Text("\n".join(view.provenance), style="dim"))
    return out


def _rule(title: Text) -> Group:
    """A blank line then a left-aligned rule: sections stay findable when scrolling back."""
    return Group(Text(""), Rule(title, align="left"))


def _warnings_panel(warnings: tuple[str, ...], msg: Catalogue) -> Panel:
    """One bullet per warning, its text hanging beside the bullet: a long Chinese sentence has no space
    to break at, so "• " + text would leave the bullet alone on its line."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for warning in warnings:
        grid.add_row("•", Text(one_line(warning)))
    return Panel(grid, title=Text(msg("warnings")), border_style="yellow", title_align="left")


def _summary(view: ReportView, msg: Catalogue) -> Table:
    grid = Table.grid(padding=(0, 2), expand=False)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    titles, summary = view.titles, view.summary
    rows = [
        (msg("province"), Text(one_line(titles.province_name) or msg("unnamed"))),
        (msg("plan"), Text(one_line(titles.province_title) or msg("untitled"))),
        *([(msg("meta.plan"), Text(titles.province_meta))] if titles.province_meta else []),
        (msg("national_plan"), Text(one_line(titles.national_title))),
        *([(msg("meta.national"), Text(titles.national_meta))] if titles.national_meta else []),
        (msg("national_tasks"), Text(summary.tasks_line)),
        (msg("short.measures"), Text(summary.measures_line)),
        (msg("short.additions"), Text(str(summary.counts.additions))),
        (msg("legend"), legend_text(view.legend)),
        *(("", Text(note)) for note in view.legend_notes),
    ]
    for key, value in rows:
        grid.add_row(key, value)
    return grid


def legend_text(entries: tuple[LegendEntry, ...] = STATUS_LEGEND) -> Text:
    """✔ covered  ◐ partial  ✘ gap (in the status colours), then any other symbols of the legend."""
    legend = Text()
    statuses = [e for e in entries if e.key in _STATUS_KEYS]
    others = [e for e in entries if e.key not in _STATUS_KEYS]
    for entry in statuses:
        legend.append(entry.symbol, style=_colour(entry.key))
        legend.append(f" {entry.label}  ")
    if others:
        legend.append("  ".join(f"{e.symbol} {e.label}" for e in others))
    return legend


_STATUS_KEYS = {e.key for e in STATUS_LEGEND}


def _colour(key: str) -> str:
    from aligner.model import Status

    return status_colour(Status(key))


# A title wider than this (terminal cells; a Chinese character takes two) is cut with "…" so a row of
# the coverage table stays on two or three lines at 80 columns; --explain shows every title in full.
_TITLE_CELLS = 34


def fit_title(title: str, explain: bool) -> str:
    """The title on one line, shortened to `_TITLE_CELLS` unless the reader asked for everything."""
    text = one_line(title)
    if explain or cell_len(text) <= _TITLE_CELLS:
        return text
    out, used = [], 0
    for char in text:
        used += cell_len(char)
        if used > _TITLE_CELLS - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def _shortened(view: ReportView) -> bool:
    titles = [r.clause.title for r in view.coverage] + [p.clause.title for r in view.coverage for p in r.counterparts]
    titles += [i.clause.title for g in view.additions for i in g.items]
    return not view.explain and any(t is not None and fit_title(t, False) != one_line(t) for t in titles)


def _coverage_table(rows: tuple[CoverageRow, ...], explain: bool, header: str, msg: Catalogue) -> Table:
    """One row per national clause; counterparts stacked in one folded cell to stay within 80 columns."""
    table = Table(expand=True, show_lines=explain, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column(header, ratio=1, overflow="fold")
    table.add_column(msg("col.terminal_counterparts"), ratio=1, overflow="fold")
    for row in rows:
        title = row.clause.title if row.clause.title is not None else msg("missing")
        status = Text(row.symbol, style=status_colour(row.status))
        table.add_row(status, Text(f"{row.clause.label} {fit_title(title, explain)}"), _counterparts(row, explain, msg))
    return table


def _counterparts(row: CoverageRow, explain: bool, msg: Catalogue) -> RenderableType:
    """Counterparts best first, each with score and relation, evidence indented under it."""
    if not row.counterparts:
        return Text(msg("no_counterpart"), style="red")
    parts = []
    for part in row.counterparts:
        title = part.clause.title if part.clause.title is not None else msg("missing")
        head = Text(f"{part.clause.label} {fit_title(title, explain)}")
        tail, evidence = Text(), Text()
        if part.link is not None:
            tail = Text(f"· {part.link.label} {part.link.relation}", style="cyan")
            if explain:
                for line in part.link.evidence:
                    evidence.append("\n  " + one_line(line), style="dim")
        parts.append((head, tail, evidence))
    return _KeptTogether(parts)


class _KeptTogether:
    """Counterparts whose `· 1.00（标题0.62） 调整` stays whole: after the title when it fits on the
    title's last line, else on a line of its own (never split between the score and its title similarity)."""

    def __init__(self, parts: list[tuple[Text, Text, Text]]) -> None:
        self.parts = parts

    def _text(self, console: Console, width: int) -> Text:
        out = Text()
        for n, (head, tail, evidence) in enumerate(self.parts):
            out.append_text(Text("\n") if n else Text())
            out.append_text(head)
            if tail:
                last = head.wrap(console, width)[-1] if head else Text()
                fits = cell_len(last.plain) + 1 + tail.cell_len <= width
                out.append_text(Text(" " if fits else "\n"))
                out.append_text(tail)
            out.append_text(evidence)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._text(console, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._text(console, options.max_width))


def _gaps(gaps: tuple[CoverageRow, ...], msg: Catalogue) -> object:
    if not gaps:
        return Text(msg("no_gaps"))
    lines = []
    for row in gaps:
        title = row.clause.title if row.clause.title is not None else msg("missing")
        kind = msg.kind(row.clause.kind) if row.clause.title is not None else "?"
        line = Text(row.symbol + " ", style="red")
        line.append(f"{row.clause.label} {one_line(title)} ({kind})")
        lines.append(line)
    return Group(*lines)


def _additions(groups: tuple[AdditionGroup, ...], msg: Catalogue) -> object:
    if not groups:
        return Text(msg("none"))
    parts: list[Text] = []
    for group in groups:
        heading = f"{group.action.label} {group.action.title}" if group.action else msg("outside_action")
        parts.append(Text(one_line(heading), style="bold"))
        for item in group.items:
            title = item.clause.title if item.clause.title is not None else msg("missing")
            line = Text(f"  + {item.clause.label} {one_line(title)}")
            if item.units:
                line.append("  [" + "、".join(item.units) + "]", style="dim")
            parts.append(line)
    return Group(*parts)


def _targets(rows: tuple[TargetRow, ...], province_name: str, msg: Catalogue) -> object:
    if not rows:
        return Text(msg("no_targets"))
    table = Table(expand=True, pad_edge=False)
    table.add_column(msg("col.indicator"), ratio=2, overflow="fold")
    table.add_column(msg("col.national"), ratio=1, overflow="fold")
    table.add_column(Text(one_line(province_name) or msg("province")), ratio=1, overflow="fold")
    for row in rows:
        table.add_row(
            Text(one_line(row.indicator)),
            Text(one_line(row.national) or "—"),
            Text(one_line(row.province) or "—"),
        )
    return table


# ---------------------------------------------------------------------------------------------
# The batch matrix

_LABEL_MIN = 20  # narrowest useful national-title column, in terminal cells
_CELL_MAX = 12  # province names longer than this fold inside their column


def matrix_renderable(view: MatrixView, width: int = 80) -> Group:
    """A symbol grid that fits `width`: titles fold, and many provinces split into several tables."""
    msg = Catalogue(view.lang)
    chunks = _chunks(list(range(len(view.columns))), view.columns, width)
    parts: list[RenderableType] = []
    for n, chunk in enumerate(chunks):
        title = one_line(view.title)
        if len(chunks) > 1:
            start = sum(len(c) for c in chunks[:n]) + 1
            title += msg("matrix.part", start=start, end=start + len(chunk) - 1, total=len(view.columns))
        parts.append(_matrix_table(view, chunk, title, msg))
    parts.append(legend_text(view.legend))
    for note in view.footnotes:
        parts.append(Text(note, style="yellow"))
    for column in view.failed:
        parts.append(Text(f"{_failed_symbol(view)} {one_line(column.name)}: {one_line(column.error or '')}", style="yellow"))
    parts += [Text(line, style="dim") for line in view.provenance]
    return Group(*parts)


def _failed_symbol(view: MatrixView) -> str:
    return next((e.symbol for e in view.legend if e.key == "error"), "")


def _chunks(indexes: list[int], columns: tuple[MatrixColumnView, ...], width: int) -> list[list[int]]:
    """Greedily pack province columns so each table keeps a readable title column within `width`."""
    budget = max(width - _LABEL_MIN - 4, 1)
    chunks: list[list[int]] = [[]]
    used = 0
    for i in indexes:
        need = min(max(cell_len(one_line(columns[i].name)), 6), _CELL_MAX) + 3  # content + padding + border
        if chunks[-1] and used + need > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(i)
        used += need
    return chunks


def _matrix_table(view: MatrixView, chunk: list[int], title: str, msg: Catalogue) -> Table:
    table = Table(expand=True, show_footer=True, pad_edge=False, title=Text(title))
    table.add_column(msg("col.matrix_row"), footer=Text(msg("col.coverage")), ratio=1, overflow="fold",
                     min_width=_LABEL_MIN)
    for i in chunk:
        column = view.columns[i]
        style = "dim" if column.error is not None else ""
        table.add_column(
            Text(one_line(column.name) or "?", style=style),
            footer=Text(column.footer, style=style),
            justify="center",
            overflow="fold",
            max_width=_CELL_MAX,
        )
    for n, group in enumerate(view.groups):
        if n:
            table.add_section()
        table.add_row(Text(group.label, style="bold"), *["" for _ in chunk])
        for row in group.rows:
            label = Text(f"{row.label} {one_line(row.title)}")
            if row.is_measure:
                label.append(msg("measure_suffix"), style="dim")
            cells = []
            for i in chunk:
                cell = row.cells[i]
                cells.append(Text(cell.symbol, style=status_colour(cell.status) if cell.status else "dim"))
            table.add_row(label, *cells)
    return table
