"""GitHub-flavoured markdown gap report and matrix, for pasting into issues, wikis and briefing notes.

Renders a `view.ReportView` / `view.MatrixView` only. Every piece of document text goes through
`md_escape`, because plan text is untrusted input: a `|` would split a table cell, `<script>`
would be live HTML on some renderers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aligner.report.escape import md_escape
from aligner.report.messages import Catalogue
from aligner.report.text import one_line
from aligner.report.view import CoverageRow, LegendEntry, ReportView, build_view

if TYPE_CHECKING:
    from aligner.model import Alignment
    from aligner.report.matrix_view import MatrixView
    from aligner.report.registry import RenderOptions

__all__ = ["md_escape", "render_markdown", "render_matrix", "render_report", "table_row"]


def table_row(cells: list[str]) -> str:
    """Cells must already be escaped; empty cells get a dash so the column is visibly empty."""
    return "| " + " | ".join(c if c else "—" for c in cells) + " |"


def render_markdown(alignment: Alignment, explain: bool, script: str) -> str:
    """The report of one alignment (for callers not yet on `registry.render_report`)."""
    return _report(build_view(alignment, explain=explain, script=script))


def render_report(view: ReportView, options: RenderOptions) -> str:
    """The full gap report as one markdown document (warnings first, then summary, then detail)."""
    del options  # explain and script are already in the view
    return _report(view)


def _report(view: ReportView) -> str:
    msg = Catalogue(view.lang)
    name = md_escape(view.titles.province_name) or msg("province")
    out: list[str] = [f"# {msg('report.title', name=name)}", ""]
    if view.warnings:
        out += [f"> **{msg('warnings')}**", ">"]
        out += [f"> - {md_escape(w)}" for w in view.warnings]
        out.append("")
    out += [md_escape(view.summary.paragraph), ""]
    out += _summary(view, msg)
    out += [f"**{msg('definitions')}**", "", *[f"- {d}" for d in view.summary.definitions], ""]
    out += [f"## {msg('coverage_of_tasks')}", ""]
    for group in view.task_groups:
        heading = f"{group.action.label} {group.action.title}" if group.action else msg("other_tasks")
        out += [f"### {md_escape(heading)}", ""]
        out += _coverage_table(group.rows, view.explain, msg("col.national_task"), msg)
    if view.measures:
        out += [f"## {msg('policy_measures')}", ""]
        out += _coverage_table(view.measures, view.explain, msg("col.national_measure"), msg)
    out += _gaps(view, msg)
    out += _additions(view, msg)
    out += _targets(view, msg)
    out += _provenance(view.provenance, msg)
    return "\n".join(out).rstrip("\n") + "\n"


def _provenance(lines: tuple[str, ...], msg: Catalogue) -> list[str]:
    return [f"## {msg('provenance')}", "", *[f"- {md_escape(line)}" for line in lines], ""] if lines else []


def _legend(entries: tuple[LegendEntry, ...]) -> str:
    return " · ".join(f"{e.symbol} {e.label}" for e in entries)


def _summary(view: ReportView, msg: Catalogue) -> list[str]:
    titles, summary = view.titles, view.summary
    colon = "：" if msg.zh else ":"
    return [
        f"- **{msg('plan')}{colon}** {md_escape(titles.province_title) or msg('untitled')}",
        f"- **{msg('plan_file')}{colon}** {md_escape(titles.province_path)}",
        *([f"- **{msg('meta.plan')}{colon}** {md_escape(titles.province_meta)}"] if titles.province_meta else []),
        f"- **{msg('national_plan')}{colon}** {md_escape(titles.national_title)}",
        *([f"- **{msg('meta.national')}{colon}** {md_escape(titles.national_meta)}"] if titles.national_meta else []),
        f"- **{msg('national_tasks')}{colon}** {summary.tasks_line}",
        f"- **{msg('national_measures')}{colon}** {summary.measures_line}",
        f"- **{msg('additions')}{colon}** {summary.counts.additions}",
        "",
        f"{msg('legend')}{colon} {_legend(view.legend)}",
        "",
        *[f"- {note}" for note in view.legend_notes],
        "",
    ]


_MISSING = {"zh": "（缺失）", "en": "(missing)"}


def _title(title: str | None, lang: str = "en") -> str:
    return title if title is not None else _MISSING.get(lang, "(missing)")


def _coverage_table(rows: tuple[CoverageRow, ...], explain: bool, header: str, msg: Catalogue) -> list[str]:
    head = [msg("col.number"), header, msg("col.status"), msg("col.counterparts"), msg("col.score"), msg("col.relation")]
    align = ["---", "---", "---", "---", "---:", "---"]
    if explain:
        head.append(msg("col.evidence"))
        align.append("---")
    out = [table_row(head), table_row(align)]
    # One table row per counterpart (the national cells left blank below the first): markdown
    # tables have no line breaks, and `<br>` is HTML that plain-markdown readers show as is.
    for row in rows:
        first = [md_escape(row.clause.label), md_escape(_title(row.clause.title, msg.lang)),
                 f"{row.symbol} {msg.status(row.status.value)}"]
        if not row.counterparts:
            out.append(table_row([*first, "", "", "", *([""] if explain else [])]))
        for n, part in enumerate(row.counterparts):
            link = part.link
            cells = [*(first if n == 0 else [" ", " ", " "]),  # blank, not the dash of an empty column
                     md_escape(f"{part.clause.label} {_title(part.clause.title, msg.lang)}"),
                     link.label if link else "—", link.relation if link else "—"]
            if explain:
                cells.append(md_escape("；".join(link.evidence)) if link else "")
            out.append(table_row(cells))
    out.append("")
    return out


def _gaps(view: ReportView, msg: Catalogue) -> list[str]:
    out = [f"## {msg('gaps')}", ""]
    if not view.gaps:
        return out + [msg("no_gaps"), ""]
    for row in view.gaps:
        where = f" — {md_escape(row.action_title)}" if row.action_title is not None else ""
        kind = msg.kind(row.clause.kind) if row.clause.title is not None else "?"
        title = md_escape(_title(row.clause.title, msg.lang))
        out.append(f"- {row.symbol} {md_escape(row.clause.label)} {title} ({kind}){where}")
    return out + [""]


def _additions(view: ReportView, msg: Catalogue) -> list[str]:
    out = [f"## {msg('additions')}", ""]
    if not view.additions:
        return out + [msg("none"), ""]
    for group in view.additions:
        heading = f"{group.action.label} {group.action.title}" if group.action else msg("outside_action")
        out += [f"### {md_escape(heading)}", ""]
        for item in group.items:
            units = f" ({md_escape('、'.join(item.units))})" if item.units else ""
            out.append(f"- {md_escape(item.clause.label)} {md_escape(_title(item.clause.title, msg.lang))}{units}")
        out.append("")
    return out


def _targets(view: ReportView, msg: Catalogue) -> list[str]:
    if view.targets is None:
        return []
    out = [f"## {msg('targets')}", ""]
    if not view.targets:
        return out + [msg("no_targets"), ""]
    out.append(table_row([msg("col.indicator"), msg("col.national"), md_escape(view.titles.province_name) or msg("province")]))
    out.append(table_row(["---", "---", "---"]))
    for row in view.targets:
        out.append(table_row([md_escape(row.indicator), md_escape(row.national), md_escape(row.province)]))
    return out + [""]


# ---------------------------------------------------------------------------------------------
# The batch matrix


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_matrix(view: MatrixView, options: RenderOptions) -> str:
    """One GFM table: an action heading row per group, then a status symbol per province."""
    del options
    msg = Catalogue(view.lang)
    head = [msg("col.number"), msg("col.matrix_row"), *[md_escape(c.name) or "?" for c in view.columns]]
    out = [f"# {msg('matrix.title', title=md_escape(view.title))}", ""]
    out.append(_legend(view.legend))
    out += ["", _md_row(head), _md_row(["---", "---", *[":---:" for _ in view.columns]])]
    for group in view.groups:
        out.append(_md_row(["", f"**{md_escape(group.label)}**", *["" for _ in view.columns]]))
        for row in group.rows:
            kind = msg("measure_suffix") if row.is_measure else ""
            cells = [cell.symbol for cell in row.cells]
            out.append(_md_row([md_escape(row.label), md_escape(one_line(row.title)) + kind, *cells]))
    out.append(_md_row(["", f"**{msg('col.coverage')}**", *[md_escape(c.footer) for c in view.columns]]))
    if view.footnotes:
        out += ["", *[md_escape(note) for note in view.footnotes]]
    if view.failed:
        out += ["", f"## {msg('matrix.failed')}", ""]
        out += [f"- {md_escape(c.name)}: {md_escape(c.error or '')}" for c in view.failed]
    if view.provenance:
        out += ["", *_provenance(view.provenance, msg)[:-1]]
    return "\n".join(out) + "\n"
