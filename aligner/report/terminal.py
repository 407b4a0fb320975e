"""The terminal report: what an analyst reads first, so it must fit 80 columns and survive pipes.

Document text is only ever wrapped in `rich.text.Text` (never passed as a markup string),
so brackets like `[/]` in a plan cannot be taken for rich markup.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from aligner.model import Alignment, Clause, Coverage, Kind, Link, Plan, Status, Target
from aligner.report.text import (
    check_script,
    coverage_percent,
    display_title,
    evidence_lines,
    format_percent,
    format_score,
    group_by_action,
    links_by_pair,
    measures_line,
    one_line,
    status_colour,
    status_symbol,
    summary_counts,
    summary_line,
    target_cell,
    target_indicator,
    target_pairs,
)


def render_terminal(alignment: Alignment, console: Console, explain: bool, script: str) -> None:
    """Print the whole report: warnings, summary, per-action coverage, measures, gaps, additions, targets."""
    check_script(script)
    for renderable in terminal_sections(alignment, explain, script):
        console.print(renderable)


def terminal_sections(alignment: Alignment, explain: bool, script: str) -> list[object]:
    """The report as rich renderables, separate from printing so it can be tested or paged."""
    out: list[object] = []
    if alignment.province.warnings or alignment.warnings:
        out.append(_warnings_panel(alignment))
    out.append(_summary(alignment))
    nat_index = alignment.national.by_id()
    tasks = [c for c in alignment.coverage if _kind_of(nat_index, c) is Kind.TASK]
    by_id = {c.national: c for c in tasks}
    for action, ids in group_by_action(alignment.national, by_id):
        heading = display_title(alignment.national, action, script) if action else "other tasks"
        label = f"{action.id} {heading}" if action else heading
        out.append(_rule(Text(one_line(label), style="bold")))
        out.append(_coverage_table(alignment, [by_id[i] for i in ids], explain, script, "national task"))
    measures = [c for c in alignment.coverage if _kind_of(nat_index, c) is Kind.MEASURE]
    if measures:
        out.append(_rule(Text("National policy measures", style="bold")))
        out.append(_coverage_table(alignment, measures, explain, script, "national measure"))
    out.append(_rule(Text("Gaps", style="bold red")))
    out.append(_gaps(alignment, script))
    out.append(_rule(Text("Provincial additions", style="bold")))
    out.append(_additions(alignment, script))
    pairs = target_pairs(alignment)
    if pairs is not None:
        out.append(_rule(Text("Quantitative targets", style="bold")))
        out.append(_targets(alignment, pairs))
    return out


def _rule(title: Text) -> Group:
    """A blank line then a left-aligned rule: sections stay findable when scrolling back."""
    return Group(Text(""), Rule(title, align="left"))


def _kind_of(index: dict[str, Clause], coverage: Coverage) -> Kind | None:
    clause = index.get(coverage.national)
    return clause.kind if clause else None


def _warnings_panel(alignment: Alignment) -> Panel:
    lines = [Text("• " + one_line(w)) for w in [*alignment.province.warnings, *alignment.warnings]]
    return Panel(Group(*lines), title=Text("Warnings"), border_style="yellow", title_align="left")


def _summary(alignment: Alignment) -> Table:
    counts = summary_counts(alignment)
    grid = Table.grid(padding=(0, 2), expand=False)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    tasks = Text(summary_line(counts) + f" ({format_percent(coverage_percent(alignment))})")
    rows = [
        ("Province", Text(one_line(alignment.province.name) or "(unnamed)")),
        ("Plan", Text(one_line(alignment.province.title) or "(untitled)")),
        ("National plan", Text(one_line(alignment.national.title))),
        ("National tasks", tasks),
        ("Measures", Text(measures_line(counts))),
        ("Additions", Text(str(counts.additions))),
        ("Legend", status_legend()),
    ]
    for key, value in rows:
        grid.add_row(key, value)
    return grid


def status_legend() -> Text:
    """✔ covered  ◐ partial  ✘ gap, in the status colours (also used by the batch matrix)."""
    legend = Text()
    for status in Status:
        legend.append(status_symbol(status), style=status_colour(status))
        legend.append(f" {status.value}  ")
    return legend


def _coverage_table(
    alignment: Alignment, rows: list[Coverage], explain: bool, script: str, header: str
) -> Table:
    """One row per national clause; counterparts stacked in one folded cell to stay within 80 columns."""
    national = alignment.national.by_id()
    province = alignment.province.by_id()
    pairs = links_by_pair(alignment)
    table = Table(expand=True, show_lines=explain, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column(header, ratio=1, overflow="fold")
    table.add_column("province: id title · score relation", ratio=1, overflow="fold")
    for row in rows:
        clause = national.get(row.national)
        title = display_title(alignment.national, clause, script) if clause else "(missing)"
        status = Text(status_symbol(row.status), style=status_colour(row.status))
        counterparts = _counterparts(alignment.province, province, row, pairs, explain, script)
        table.add_row(status, Text(f"{row.national} {one_line(title)}"), counterparts)
    return table


def _counterparts(
    plan: Plan,
    province: dict[str, Clause],
    row: Coverage,
    pairs: dict[tuple[str, str], Link],
    explain: bool,
    script: str,
) -> Text:
    """Counterparts best first, each with score and relation, evidence indented under it."""
    if not row.counterparts:
        return Text("— no counterpart", style="red")
    out = Text()
    for n, pid in enumerate(row.counterparts):
        if n:
            out.append("\n")
        clause = province.get(pid)
        title = display_title(plan, clause, script) if clause else "(missing)"
        out.append(f"{pid} {one_line(title)}")
        link = pairs.get((row.national, pid))
        if link is not None:
            out.append(f" · {format_score(link.score)} {link.relation.value}", style="cyan")
            if explain:
                for line in evidence_lines(link, script):
                    out.append("\n  " + one_line(line), style="dim")
    return out


def _gaps(alignment: Alignment, script: str) -> object:
    national = alignment.national.by_id()
    gaps = [c for c in alignment.coverage if c.status is Status.GAP]
    if not gaps:
        return Text("none — every national task and measure has a counterpart")
    lines = []
    for row in gaps:
        clause = national.get(row.national)
        title = display_title(alignment.national, clause, script) if clause else "(missing)"
        kind = clause.kind.value if clause else "?"
        line = Text(status_symbol(Status.GAP) + " ", style="red")
        line.append(f"{row.national} {one_line(title)} ({kind})")
        lines.append(line)
    return Group(*lines)


def _additions(alignment: Alignment, script: str) -> object:
    if not alignment.additions:
        return Text("none")
    province = alignment.province.by_id()
    parts: list[Text] = []
    for action, ids in group_by_action(alignment.province, alignment.additions):
        heading = display_title(alignment.province, action, script) if action else "outside any action"
        parts.append(Text(one_line(f"{action.id} {heading}" if action else heading), style="bold"))
        for pid in ids:
            parts.append(_addition_line(alignment.province, province.get(pid), pid, script))
    return Group(*parts)


def _addition_line(plan: Plan, clause: Clause | None, pid: str, script: str) -> Text:
    title = display_title(plan, clause, script) if clause else "(missing)"
    line = Text(f"  + {pid} {one_line(title)}")
    if clause and clause.units:
        line.append("  [" + "、".join(clause.units) + "]", style="dim")
    return line


def _targets(alignment: Alignment, pairs: list[tuple[Target | None, Target | None]]) -> object:
    if not pairs:
        return Text("no quantitative targets found")
    table = Table(expand=True, pad_edge=False)
    table.add_column("indicator", ratio=2, overflow="fold")
    table.add_column("national", ratio=1, overflow="fold")
    table.add_column(Text(one_line(alignment.province.name) or "province"), ratio=1, overflow="fold")
    for pair in pairs:
        national, province = pair
        table.add_row(
            Text(one_line(target_indicator(pair))),
            Text(one_line(target_cell(national)) or "—"),
            Text(one_line(target_cell(province)) or "—"),
        )
    return table
